/// <reference types="vscode" />
// Proves the e2e harness: the suite runs inside a real VS Code (1.139.x under
// code-server, see test/e2e/runTests.js), with the fixture workspace open, and
// can drive commands and editors.
import * as assert from 'assert';
import * as vscode from 'vscode';

describe('e2e harness: real VS Code with the fixture workspace', () => {
  it('runs in VS Code 1.139.x, executes commands and opens the fixture php.ini', async () => {
    // Which VS Code: code-server 4.139.1 bundles VS Code 1.139.1; a desktop run
    // (VSCODE_EXECUTABLE) only has to satisfy the manifest's engines.vscode.
    if (process.env.PHP_INI_LINT_E2E_HOST === 'desktop') {
      const [major, minor] = vscode.version.split('.').map(Number);
      assert.ok(major > 1 || (major === 1 && minor >= 91), `VS Code ${vscode.version} is older than 1.91`);
    } else {
      assert.match(vscode.version, /^1\.139\.\d+/, `expected VS Code 1.139.x, got ${vscode.version}`);
      assert.strictEqual(vscode.env.uiKind, vscode.UIKind.Web, 'code-server should run the web workbench');
    }

    // The workspace passed in runTests' launchArgs is open.
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'no workspace folder is open');
    assert.match(folder.uri.path, /\/test\/e2e\/workspace$/, `unexpected workspace folder ${folder.uri.toString()}`);

    // A workbench command runs and has its effect.
    await vscode.commands.executeCommand('workbench.action.files.newUntitledFile');
    const untitled = vscode.window.activeTextEditor?.document;
    assert.ok(untitled, 'newUntitledFile opened no editor');
    assert.strictEqual(untitled.isUntitled, true, 'the active editor is not an untitled file');

    // The fixture php.ini opens in an editor.
    const iniUri = vscode.Uri.joinPath(folder.uri, 'etc', 'php', '8.2', 'fpm', 'php.ini');
    const doc = await vscode.workspace.openTextDocument(iniUri);
    const editor = await vscode.window.showTextDocument(doc);
    assert.strictEqual(editor.document, doc);
    assert.strictEqual(vscode.window.activeTextEditor?.document.uri.toString(), iniUri.toString());
    assert.match(doc.getText(), /^expose_php = On$/m, 'php.ini fixture content not read');
    assert.ok(doc.languageId.length > 0, 'document has no language id');

    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
