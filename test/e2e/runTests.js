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
 */
'use strict';

const fs = require('fs');
const path = require('path');
const { runTests } = require('@vscode/test-electron');

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
  if (!desktop) {
    // runTests spawns the stub directly: it must be executable.
    const mode = fs.statSync(stub).mode;
    if ((mode & 0o111) !== 0o111) fs.chmodSync(stub, mode | 0o755);
  }

  console.log(`e2e: running ${path.relative(root, extensionTestsPath)} in ${desktop ? `desktop VS Code ${vscodeExecutablePath}` : 'code-server (VS Code 1.139.1) via test/e2e/code-stub.js'}`);
  try {
    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: root,
      extensionTestsPath,
      launchArgs: [workspace, '--disable-extensions'],
      // Lets the suite know which VS Code it should find itself in.
      extensionTestsEnv: { PHP_INI_LINT_E2E_HOST: desktop ? 'desktop' : 'code-server' },
    });
    return 0;
  } catch (err) {
    console.error(`e2e: FAILED: ${err && err.message ? err.message : err}`);
    return 1;
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
