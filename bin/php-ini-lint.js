#!/usr/bin/env node
'use strict';
// Prefer the bundled CLI of a packaged install; fall back to the TypeScript build of a checkout.
const fs = require('node:fs');
const path = require('node:path');

const bundled = path.join(__dirname, '..', 'dist', 'cli.js');
const built = path.join(__dirname, '..', 'out', 'server', 'src', 'cli.js');
const entry = fs.existsSync(bundled) ? bundled : built;
if (!fs.existsSync(entry)) {
  process.stderr.write('php-ini-lint: not built yet; run `npm run build` first.\n');
  process.exit(2);
}
if (entry === bundled) {
  const { loadWithCodeCache } = require('./code-cache');
  const cli = loadWithCodeCache(bundled);
  process.exitCode = cli.exports.main(process.argv.slice(2));
  // Only a run that linted files has compiled what later runs need.
  cli.save(cli.exports.lastPoolRun.files > 0);
} else {
  process.exitCode = require(entry).main(process.argv.slice(2));
}
