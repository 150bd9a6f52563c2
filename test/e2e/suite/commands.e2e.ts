/// <reference types="vscode" />
// The extension's commands (package.json contributes.commands), run the way the Command Palette
// runs them.
import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import {
  cleanUp,
  codeOf,
  copyFixture,
  hasCodes,
  lacksCodes,
  lineOf,
  open,
  ours,
  readDisk,
  setSetting,
  summary,
  waitFor,
  waitForDiagnostics,
} from './e2e-helpers';

const INI = ['etc', 'php', '8.2', 'fpm', 'php.ini'] as const;

/** Processes whose own argument list carries the server flag (the bundle started as the language server). */
function serverPids(): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (argv.includes('--php-ini-lint-server') && /node/.test(argv[0])) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}
const POOL = ['etc', 'php', '8.2', 'fpm', 'pool.d', 'www.conf'] as const;

function settle<T>(p: Thenable<T>, ms: number): Promise<{ value: T } | 'timeout'> {
  return Promise.race([
    Promise.resolve(p).then((value) => ({ value })),
    new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), ms)),
  ]);
}

/** Runs phpIniLint.showEffectiveConfig for the active editor (`uri`) and returns the JSON document it opens. */
async function effectiveConfigDocument(uri: vscode.Uri): Promise<vscode.TextDocument> {
  assert.strictEqual(vscode.window.activeTextEditor?.document.uri.toString(), uri.toString(), 'the file is not the active editor');
  // The previous test's JSON editor may still be visible while it closes: count it as seen, and wait for
  // the document that is about this file.
  const jsonDocs = (docs: readonly vscode.TextDocument[]) => docs.filter((d) => d.languageId === 'json').map((d) => d.uri.toString());
  const before = new Set([...jsonDocs(vscode.workspace.textDocuments), ...jsonDocs(vscode.window.visibleTextEditors.map((e) => e.document))]);
  const fileOf = (d: vscode.TextDocument): unknown => {
    try {
      return (JSON.parse(d.getText()) as { file?: unknown }).file;
    } catch {
      return undefined;
    }
  };
  await vscode.commands.executeCommand('phpIniLint.showEffectiveConfig');
  const json = await waitFor(
    'a new JSON editor with the effective configuration of the active file',
    () =>
      vscode.window.visibleTextEditors
        .map((e) => e.document)
        .find((d) => d.languageId === 'json' && d.isUntitled && !before.has(d.uri.toString()) && fileOf(d) === uri.toString()),
    {
      // Enough to tell a command that failed from an editor that opened but is not visible.
      describe: () =>
        JSON.stringify({
          active: vscode.window.activeTextEditor?.document.uri.toString(),
          visible: vscode.window.visibleTextEditors.map((e) => e.document.uri.toString()),
          jsonDocuments: vscode.workspace.textDocuments
            .filter((d) => d.languageId === 'json')
            .map((d) => ({ uri: d.uri.toString(), closed: d.isClosed, seenBefore: before.has(d.uri.toString()), file: fileOf(d) })),
        }),
    },
  );
  // It opens beside the file, which stays open.
  assert.ok(vscode.window.visibleTextEditors.some((e) => e.document.uri.toString() === uri.toString()), 'the file is no longer visible');
  return json;
}

describe('commands', function () {
  this.timeout(90_000);
  afterEach(cleanUp);

  it('registers its commands once a php.ini is open', async () => {
    // Activation is onLanguage:php-ini / php-fpm (and, implicitly, on running one of the commands).
    const uri = copyFixture('registered', ...INI);
    await open(uri);
    await waitForDiagnostics(uri, 'findings', (d) => d.length > 0);
    const all = await vscode.commands.getCommands(true);
    for (const id of ['phpIniLint.showEffectiveConfig', 'phpIniLint.fixAll', 'phpIniLint.restartServer', 'phpIniLint.enableFixOnSave']) {
      assert.ok(all.includes(id), `${id} is not registered`);
    }
  });

  it('phpIniLint.showEffectiveConfig opens a JSON document with the effective php.ini values', async () => {
    const uri = copyFixture('effective', ...INI);
    await open(uri);
    await waitForDiagnostics(uri, 'findings', (d) => d.length > 0);
    const json = await effectiveConfigDocument(uri);
    const parsed = JSON.parse(json.getText()) as Record<string, unknown>;
    assert.strictEqual(parsed.dialect, 'php-ini');
    assert.strictEqual(parsed.phpVersion, '8.2');
    assert.strictEqual(parsed.phpVersionSource, 'path');
    assert.strictEqual(parsed.profile, 'production');
    assert.ok(String(parsed.file).endsWith('/etc/php/8.2/fpm/php.ini'), `file: ${String(parsed.file)}`);
    // What get_cfg_var() returns: booleans as PHP stores them, unquoted None as "".
    assert.deepStrictEqual(parsed.get_cfg_var, {
      expose_php: '1',
      display_errors: '1',
      'session.use_strict_mode': '0',
      'session.cookie_httponly': '',
      'session.cookie_samesite': '',
    });
  });

  it('phpIniLint.showEffectiveConfig reflects unsaved edits', async () => {
    const uri = copyFixture('effective-unsaved', ...INI);
    const { document: doc } = await open(uri);
    await waitForDiagnostics(uri, 'findings', (d) => hasCodes(d, 'expose-php'));
    const edit = new vscode.WorkspaceEdit();
    const line = doc.lineAt(doc.getText().split('\n').indexOf('expose_php = On'));
    edit.replace(uri, line.range, 'expose_php = Off');
    edit.insert(uri, new vscode.Position(doc.lineCount - 1, 0), 'session.name = APPSESSID\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const json = await effectiveConfigDocument(uri);
    const parsed = JSON.parse(json.getText()) as { get_cfg_var: Record<string, string> };
    assert.strictEqual(parsed.get_cfg_var.expose_php, '');
    assert.strictEqual(parsed.get_cfg_var['session.name'], 'APPSESSID');
  });

  it('phpIniLint.showEffectiveConfig on a PHP-FPM pool lists the pool with its php_value overrides', async () => {
    const uri = copyFixture('effective-pool', ...POOL);
    await open(uri);
    await waitForDiagnostics(uri, 'findings', (d) => hasCodes(d, 'fpm-listen-exposed'));
    const json = await effectiveConfigDocument(uri);
    const parsed = JSON.parse(json.getText()) as { dialect: string; pools: Record<string, { directives: Record<string, string>; php: Record<string, { value: string; admin: boolean }> }> };
    assert.strictEqual(parsed.dialect, 'php-fpm');
    assert.strictEqual(parsed.pools.www.directives.listen, '0.0.0.0:9000');
    assert.strictEqual(parsed.pools.www.directives.user, 'www-data');
    assert.deepStrictEqual(
      { value: parsed.pools.www.php['session.cookie_secure'].value, admin: parsed.pools.www.php['session.cookie_secure'].admin },
      { value: '0', admin: false },
    );
  });

  it('phpIniLint.restartServer restarts the server and the diagnostics come back', async () => {
    const uri = copyFixture('restart', ...INI);
    await open(uri);
    const before = await waitForDiagnostics(uri, 'findings', (d) => hasCodes(d, 'expose-php', 'session-use-strict-mode'));
    const seen: number[] = [];
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) seen.push(ours(uri).length);
    });
    try {
      await vscode.commands.executeCommand('phpIniLint.restartServer');
      // The old server's diagnostics are cleared, the new one publishes them again.
      await waitFor('the diagnostics to be cleared and published again', () => {
        const cleared = seen.indexOf(0);
        return cleared >= 0 && seen.slice(cleared + 1).some((n) => n === before.length);
      }, { describe: () => JSON.stringify(seen) });
      const after = await waitForDiagnostics(uri, 'the same findings', (d) => d.length === before.length);
      assert.deepStrictEqual(summary(after), summary(before));
      // The new server answers requests too.
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(4, 2));
      assert.ok(hovers && hovers.length > 0, 'no hover from the restarted server');
    } finally {
      sub.dispose();
    }
  });

  it('a crashed server is restarted by the client, and the new one lints edits', async () => {
    const uri = copyFixture('crash', ...INI);
    const { document: doc } = await open(uri);
    await waitForDiagnostics(uri, 'findings', (d) => hasCodes(d, 'session-use-strict-mode'));
    // Kill the language server the way a crash would (SIGKILL: no chance to say goodbye).
    const pids = serverPids();
    assert.ok(pids.length > 0, 'found the language server process');
    for (const pid of pids) process.kill(pid, 'SIGKILL');
    // Only a restarted server can lint this edit: the strict-mode finding must go away.
    const line = lineOf(doc, 'session.use_strict_mode');
    await waitFor('a new server process', () => serverPids().some((p) => !pids.includes(p)));
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, doc.lineAt(line).range, 'session.use_strict_mode = 1');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitForDiagnostics(uri, 'the restarted server to lint the edit', (d) => lacksCodes(d, 'session-use-strict-mode') && d.length > 0);
  });

  it('phpIniLint.fixAll applies every safe fix to the open document (without saving it)', async () => {
    const uri = copyFixture('fix-all-command', ...INI);
    const { document: doc } = await open(uri);
    const original = doc.getText();
    await waitForDiagnostics(uri, 'findings', (d) => hasCodes(d, 'expose-php', 'session-use-strict-mode', 'session-cookie-httponly'));
    await vscode.commands.executeCommand('phpIniLint.fixAll');
    await waitFor('the document to change', () => doc.getText() !== original);
    const text = doc.getText();
    assert.match(text, /^expose_php = Off$/m);
    assert.match(text, /^display_errors = Off$/m);
    assert.match(text, /^session\.use_strict_mode = 1$/m);
    assert.match(text, /^session\.cookie_httponly = On$/m);
    // The comments and the unsafe-to-change SameSite line are left alone.
    for (const line of original.split('\n').filter((l) => l.startsWith(';') || l.startsWith('session.cookie_samesite') || l.startsWith('['))) {
      assert.ok(text.split('\n').includes(line), `line ${JSON.stringify(line)} was changed or removed`);
    }
    assert.ok(doc.isDirty);
    assert.strictEqual(readDisk(uri), original, 'fixAll saved the file');
    await waitForDiagnostics(uri, 'the fixed findings to go away', (d) => !hasCodes(d, 'expose-php') && !hasCodes(d, 'session-use-strict-mode') && hasCodes(d, 'session-cookie-samesite'));
  });

  it('phpIniLint.enableFixOnSave turns on source.fixAll.phpIniLint for both languages in the workspace settings', async () => {
    // Registered first so the test's clean-up puts both language sections back.
    await setSetting('editor', 'codeActionsOnSave', undefined, 'php-ini');
    await setSetting('editor', 'codeActionsOnSave', undefined, 'php-fpm');
    const uri = copyFixture('enable-fix-on-save', ...INI);
    await open(uri);
    // The command ends by showing a notification; do not wait for someone to dismiss it.
    const running = vscode.commands.executeCommand('phpIniLint.enableFixOnSave');
    for (const languageId of ['php-ini', 'php-fpm']) {
      await waitFor(`codeActionsOnSave for [${languageId}]`, () => {
        const inspected = vscode.workspace.getConfiguration('editor', { languageId }).inspect<Record<string, unknown>>('codeActionsOnSave');
        return inspected?.workspaceLanguageValue?.['source.fixAll.phpIniLint'] === 'explicit';
      });
    }
    await vscode.commands.executeCommand('notifications.clearAll');
    const settled = await settle(running, 5000);
    assert.notStrictEqual(settled, 'timeout', 'phpIniLint.enableFixOnSave did not finish after its notification was dismissed');
    assert.deepStrictEqual(ours(uri).map(codeOf).includes('expose-php'), true);
  });
});
