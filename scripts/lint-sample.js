#!/usr/bin/env node
// The README's first command: lint the sample php.ini with the CLI. The sample is full of mistakes on
// purpose, so "findings" (exit code 1) is the expected outcome here; only a real error fails.
'use strict';
const path = require('node:path');
const { main } = require(path.join(__dirname, '..', 'out', 'server', 'src', 'cli.js'));

const code = main([path.join('test', 'fixtures', 'sample', 'php.ini'), ...process.argv.slice(2)]);
if (code === 1) console.log('\nThese are the mistakes the sample php.ini was written to show. Try: node bin/php-ini-lint.js --help');
process.exitCode = code === 1 ? 0 : code;
