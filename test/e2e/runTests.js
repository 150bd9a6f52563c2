#!/usr/bin/env node
/*
 * End-to-end tests in a real VS Code: `node test/e2e/runTests.js`.
 *
 * By default VS Code is code-server 4.139.1 (VS Code 1.139.1) in headless Chromium,
 * through the stand-in executable test/e2e/code-stub.js (needs
 * `bash scripts/setup-vscode.sh` once). With VSCODE_EXECUTABLE=/path/to/code (a
 * desktop VS Code) the same suite runs unchanged in that VS Code instead.
 *
 * The suite must be compiled first (out/test/e2e/suite/index.js), e.g. `tsc -p .`.
 *
 * After the suite, test/e2e/vsix-smoke.js packages the current dist/ (`vsce package`, no rebuild),
 * installs the .vsix into a fresh code-server and checks the real UI (Explorer, Problems panel).
 * Skip it with --no-vsix or PHP_INI_LINT_SKIP_VSIX=1. The suite's and the smoke test's own
 * "N passed, N failed" lines are printed with a prefix; the last line is the one total
 * "N passed, N failed" over both (what scripts/run-tests.js reads).
 */
'use strict';

const cp = require('child_process');
const fs = require('fs');
const path = require('path');
const { runTests } = require('@vscode/test-electron');

const SUMMARY = /^(\d+) passed, (\d+) failed(.*)$/;

/**
 * A stdout stand-in that passes lines through, except that it takes a "N passed, N failed" line
 * for itself (counts) and prints it with `prefix`, so only the final total starts a line that way.
 */
class SummaryTap {
  constructor(prefix, out = process.stdout) {
    this.prefix = prefix;
    this.out = out;
    this.buf = '';
    this.counts = undefined;
  }
  write(chunk) {
    this.buf += String(chunk);
    const lines = this.buf.split('\n');
    this.buf = lines.pop();
    for (const line of lines) this.line(line);
    return true;
  }
  line(line) {
    const m = SUMMARY.exec(line.replace(/\r$/, ''));
    if (m) {
      this.counts = { passed: Number(m[1]), failed: Number(m[2]) };
      this.out.write(`${this.prefix}: ${line}\n`);
    } else {
      this.out.write(`${line}\n`);
    }
  }
  end() {
    if (this.buf) this.line(this.buf);
    this.buf = '';
  }
}

/** test/e2e/vsix-smoke.js --no-build as a child; its output goes through a SummaryTap. */
function runVsixSmoke(root) {
  return new Promise((resolve) => {
    const tap = new SummaryTap('vsix smoke');
    const child = cp.spawn(process.execPath, [path.join(__dirname, 'vsix-smoke.js'), '--no-build'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout.on('data', (d) => tap.write(d));
    child.on('error', (err) => {
      console.error(`e2e: could not run the vsix smoke test: ${err.message}`);
      resolve({ code: 1, counts: undefined });
    });
    child.on('close', (code) => {
      tap.end();
      resolve({ code: code === null ? 1 : code, counts: tap.counts });
    });
  });
}

async function main() {
  const root = path.resolve(__dirname, '..', '..');
  const stub = path.join(__dirname, 'code-stub.js');
  const desktop = process.env.VSCODE_EXECUTABLE;
  const vscodeExecutablePath = desktop ? path.resolve(desktop) : stub;
  const extensionTestsPath = path.join(root, 'out', 'test', 'e2e', 'suite', 'index.js');
  const workspace = path.join(root, 'test', 'e2e', 'workspace');

  if (!fs.existsSync(extensionTestsPath)) {
    console.error(`e2e: ${path.relative(root, extensionTestsPath)} is missing: compile the tests first (tsc -p .)`);
    return 1;
  }
  // The suite's scratch folder (see test/e2e/suite/e2e-helpers.ts) must exist before VS Code opens
  // the workspace: its file watcher misses events in top-level folders created later.
  fs.mkdirSync(path.join(workspace, '.e2e-scratch'), { recursive: true });
  if (!desktop) {
    // runTests spawns the stub directly: it must be executable.
    const mode = fs.statSync(stub).mode;
    if ((mode & 0o111) !== 0o111) fs.chmodSync(stub, mode | 0o755);
  }

  console.log(`e2e: running ${path.relative(root, extensionTestsPath)} in ${desktop ? `desktop VS Code ${vscodeExecutablePath}` : 'code-server (VS Code 1.139.1) via test/e2e/code-stub.js'}`);
  const started = Date.now();
  const suiteTap = new SummaryTap('e2e suite');
  let suiteCode = 0;
  try {
    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: root,
      extensionTestsPath,
      launchArgs: [workspace, '--disable-extensions'],
      // Lets the suite know which VS Code it should find itself in.
      extensionTestsEnv: { PHP_INI_LINT_E2E_HOST: desktop ? 'desktop' : 'code-server' },
      stdout: suiteTap,
    });
  } catch (err) {
    console.error(`e2e: FAILED: ${err && err.message ? err.message : err}`);
    suiteCode = 1;
  }
  suiteTap.end();
  const suiteSeconds = (Date.now() - started) / 1000;
  let passed = 0;
  let failed = 0;
  if (suiteTap.counts) {
    passed += suiteTap.counts.passed;
    failed += suiteTap.counts.failed;
  }
  // The run failed without a failing test to show for it (harness error, crash, timeout).
  if (suiteCode !== 0 && (!suiteTap.counts || suiteTap.counts.failed === 0)) failed++;

  const skipVsix = process.argv.includes('--no-vsix') || process.env.PHP_INI_LINT_SKIP_VSIX === '1';
  let smokeSeconds = 0;
  if (skipVsix) {
    console.log('e2e: vsix smoke test skipped (--no-vsix / PHP_INI_LINT_SKIP_VSIX=1)');
  } else {
    console.log('\ne2e: packaged extension (.vsix) in the real workbench: test/e2e/vsix-smoke.js --no-build');
    const smokeStarted = Date.now();
    const smoke = await runVsixSmoke(root);
    smokeSeconds = (Date.now() - smokeStarted) / 1000;
    if (smoke.counts) {
      passed += smoke.counts.passed;
      failed += smoke.counts.failed;
    }
    if (smoke.code !== 0 && (!smoke.counts || smoke.counts.failed === 0)) failed++;
  }
  console.log(`e2e: suite ${suiteSeconds.toFixed(1)} s${skipVsix ? '' : `, vsix smoke ${smokeSeconds.toFixed(1)} s`}`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 || (passed === 0) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
