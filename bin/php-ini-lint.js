#!/usr/bin/env node
'use strict';
// A run lasts well under a second, so let functions gather type feedback for longer before V8 optimizes
// them (V8's default budget suits long-lived pages): over 100 files, about 30% fewer optimizations and
// 5-9% less time. Set before any of the CLI's code is loaded, which is when V8 reads it.
require('node:v8').setFlagsFromString('--interrupt-budget=200000');

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
// A reader that stops early (`php-ini-lint conf.d | head`) closes the pipe: end quietly, with the run's
// exit code, rather than die of an unhandled EPIPE with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit();
  });
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
// The run is over and its output written: stdout and stderr write synchronously to files, and to pipes
// and terminals on POSIX. Then exit at once instead of letting Node take down the heap and its threads
// in order, which took 10-15 ms of each run here. Output still queued (a pipe on Windows, a full
// non-blocking pipe) is left to drain the usual way.
if (!process.stdout.writableLength && !process.stderr.writableLength) process.exit();
