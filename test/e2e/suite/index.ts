/// <reference types="vscode" />
// Mocha runner for inside the VS Code extension host (the extensionTestsPath of
// test/e2e/runTests.js). Runs every *.e2e.js file next to it and prints a final
// "N passed, N failed" line. Under code-server the console output reaches the
// terminal through the workbench's codeAutomationLog hook (see code-stub.js).
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false });
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.e2e.js'))
    .sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));

  return new Promise<void>((resolve, reject) => {
    if (files.length === 0) {
      console.log('0 passed, 0 failed');
      reject(new Error(`no *.e2e.js test files in ${__dirname}`));
      return;
    }
    try {
      const runner = mocha.run((failures) => {
        const stats = runner.stats;
        const passed = stats?.passes ?? 0;
        const failed = Math.max(stats?.failures ?? 0, failures);
        const skipped = stats?.pending ?? 0;
        console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
        if (failed > 0) reject(new Error(`${failed} e2e test(s) failed`));
        else if (passed === 0) reject(new Error('no e2e test ran'));
        else resolve();
      });
    } catch (err) {
      console.error(err);
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}
