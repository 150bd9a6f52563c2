#!/usr/bin/env node
// Runs every test: the mocha suites (engine, rules, CLI, differential against PHP, LSP, neovim), then
// the suite inside a real VS Code. Ends with one "N passed, N failed" line covering all of them.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const Mocha = require('mocha');

const root = path.join(__dirname, '..');
const skipE2E = process.argv.includes('--no-e2e') || process.env.PHP_INI_LINT_SKIP_E2E === '1';
const grep = process.env.MOCHA_GREP;

function find(dir, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'e2e') find(p, out);
    } else if (e.name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const mocha = new Mocha({ timeout: 30000, reporter: 'spec', color: process.stdout.isTTY, grep });
for (const f of find(path.join(root, 'out', 'test')).sort()) mocha.addFile(f);

const runner = mocha.run(() => {
  const stats = runner.stats;
  let passed = stats.passes;
  let failed = stats.failures;
  const pending = stats.pending || 0;
  if (!skipE2E) {
    console.log('\nReal VS Code (code-server) suite:');
    const setup = spawnSync('bash', [path.join(root, 'scripts', 'setup-vscode.sh')], { stdio: 'inherit', cwd: root });
    if (setup.status !== 0) {
      console.log('setting up the real VS Code failed');
      failed++;
    } else {
      const run = spawnSync(process.execPath, [path.join(root, 'test', 'e2e', 'runTests.js')], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      process.stdout.write(run.stdout || '');
      process.stderr.write(run.stderr || '');
      const m = /^(\d+) passed, (\d+) failed/m.exec(run.stdout || '');
      if (m) {
        passed += Number(m[1]);
        failed += Number(m[2]);
      }
      if (run.status !== 0 && (!m || Number(m[2]) === 0)) failed++;
    }
  }
  console.log(`\n${passed} passed, ${failed} failed${pending ? `, ${pending} skipped` : ''}`);
  process.exitCode = failed ? 1 : 0;
});
