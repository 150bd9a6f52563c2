/// <reference types="vscode" />
// The extension inside a real VS Code: diagnostics, hovers, quick fixes and fix-all on save, all
// through VS Code's own APIs (the same paths the editor UI uses), against the language server
// the client starts from dist/server.js.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { rule as strictModeRule } from '../../../server/src/engine/rules/session-use-strict-mode';
import {
  cleanUp,
  codeActions,
  codeOf,
  copyFixture,
  DOCS_SUFFIX,
  fixture,
  hasCodes,
  hoverAt,
  lineOf,
  open,
  ours,
  readDisk,
  setSetting,
  single,
  sleep,
  SOURCE,
  summary,
  waitForDiagnostics,
  withCode,
  writeScratch,
} from './e2e-helpers';

const INI = ['etc', 'php', '8.2', 'fpm', 'php.ini'] as const;
const POOL = ['etc', 'php', '8.2', 'fpm', 'pool.d', 'www.conf'] as const;
const INI_PATH = INI.join('/');

describe('php-ini-lint in a real VS Code', function () {
  this.timeout(90_000);
  afterEach(cleanUp);

  describe('diagnostics', () => {
    it('reports the insecure settings of etc/php/8.2/fpm/php.ini, each with its rule code and documentation link', async () => {
      const uri = fixture(...INI);
      const { document: doc } = await open(uri);
      assert.strictEqual(doc.languageId, 'php-ini');

      const expected: Array<[prefix: string, code: string, severity: vscode.DiagnosticSeverity]> = [
        ['expose_php', 'expose-php', vscode.DiagnosticSeverity.Hint],
        ['display_errors', 'display-errors', vscode.DiagnosticSeverity.Warning],
        ['session.use_strict_mode', 'session-use-strict-mode', vscode.DiagnosticSeverity.Warning],
        ['session.cookie_httponly', 'session-cookie-httponly', vscode.DiagnosticSeverity.Warning],
        ['session.cookie_samesite', 'session-cookie-samesite', vscode.DiagnosticSeverity.Warning],
      ];
      const diags = await waitForDiagnostics(uri, 'the php.ini findings', (d) => hasCodes(d, ...expected.map((e) => e[1])));

      for (const [prefix, code, severity] of expected) {
        const d = single(diags, code);
        assert.strictEqual(d.range.start.line, lineOf(doc, prefix), `${code} is not on the ${prefix} line`);
        assert.strictEqual(d.severity, severity, `${code} severity`);
      }
      // Directives the file leaves out are reported too (on the section header), e.g. log_errors.
      const missing = single(diags, 'log-errors');
      assert.strictEqual(missing.range.start.line, lineOf(doc, '[PHP]'));
      assert.match(missing.message, /log_errors is not set/);

      for (const d of diags) {
        assert.strictEqual(d.source, SOURCE);
        assert.ok(d.code !== undefined && typeof d.code === 'object', `code of ${codeOf(d)} has no documentation link`);
        const target = (d.code as { value: string | number; target: vscode.Uri }).target.toString(true);
        assert.ok(target.startsWith('https://'), `doc link ${target}`);
        assert.ok(target.endsWith(DOCS_SUFFIX(codeOf(d))), `doc link ${target} does not end with ${DOCS_SUFFIX(codeOf(d))}`);
        assert.ok(d.message.length > 20, `${codeOf(d)} has a useless message: ${d.message}`);
      }
      // No rule fires twice on the same line.
      const keys = diags.map((d) => `${d.range.start.line}:${codeOf(d)}`);
      assert.deepStrictEqual(keys, [...new Set(keys)], `duplicate diagnostics: ${summary(diags)}`);
    });

    it('reports the exposed listen address of the PHP-FPM pool pool.d/www.conf', async () => {
      const uri = fixture(...POOL);
      const { document: doc } = await open(uri);
      assert.strictEqual(doc.languageId, 'php-fpm');
      const diags = await waitForDiagnostics(uri, 'fpm-listen-exposed', (d) => hasCodes(d, 'fpm-listen-exposed', 'session-cookie-secure'));
      const listen = single(diags, 'fpm-listen-exposed');
      assert.strictEqual(listen.range.start.line, lineOf(doc, 'listen = 0.0.0.0:9000'));
      assert.strictEqual(listen.severity, vscode.DiagnosticSeverity.Warning);
      assert.match(listen.message, /0\.0\.0\.0:9000/);
      assert.ok((listen.code as { target: vscode.Uri }).target.toString(true).endsWith(DOCS_SUFFIX('fpm-listen-exposed')));
      // php_value[...] inside a pool is checked as php.ini.
      const secure = single(diags, 'session-cookie-secure');
      assert.strictEqual(secure.range.start.line, lineOf(doc, 'php_value[session.cookie_secure]'));
      assert.match(secure.message, /pool \[www\]/);
    });

    it('leaves a generic INI file (project/settings.ini) alone, even with PHP-looking keys', async () => {
      // A php.ini opened alongside proves the server is up and answering while we wait.
      const control = fixture(...INI);
      await open(control);
      const uri = fixture('project', 'settings.ini');
      const { document: doc } = await open(uri);
      assert.notStrictEqual(doc.languageId, 'php-ini');
      assert.notStrictEqual(doc.languageId, 'php-fpm');
      await waitForDiagnostics(control, 'the control php.ini to be linted', (d) => d.length > 0);
      await sleep(2000);
      assert.deepStrictEqual(summary(vscode.languages.getDiagnostics(uri)), '[]', 'settings.ini got diagnostics');
    });

    it('lints a file once the user switches it to the PHP INI language, and stops when switched back', async () => {
      const uri = copyFixture('language-switch', 'project', 'settings.ini');
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc);
      const original = doc.languageId;
      assert.notStrictEqual(original, 'php-ini');
      const asIni = await vscode.languages.setTextDocumentLanguage(doc, 'php-ini');
      // A fragment (not a php.ini): only the settings written in it are judged.
      await waitForDiagnostics(uri, 'diagnostics after switching to php-ini', (d) => hasCodes(d, 'display-errors', 'session-use-strict-mode'));
      await vscode.languages.setTextDocumentLanguage(asIni, original);
      await waitForDiagnostics(uri, 'diagnostics to go away after switching back', (d) => d.length === 0);
    });

    it('re-lints as the document is edited', async () => {
      const uri = copyFixture('edit', ...INI);
      const editor = await open(uri);
      await waitForDiagnostics(uri, 'expose-php', (d) => hasCodes(d, 'expose-php'));
      const line = editor.document.lineAt(lineOf(editor.document, 'expose_php'));
      const edit = new vscode.WorkspaceEdit();
      edit.replace(uri, line.range, 'expose_php = Off');
      assert.ok(await vscode.workspace.applyEdit(edit));
      await waitForDiagnostics(uri, 'expose-php to disappear', (d) => !hasCodes(d, 'expose-php') && hasCodes(d, 'display-errors'));
      // Typing it back brings the finding back.
      const again = new vscode.WorkspaceEdit();
      again.replace(uri, editor.document.lineAt(line.lineNumber).range, 'expose_php = yes');
      assert.ok(await vscode.workspace.applyEdit(again));
      await waitForDiagnostics(uri, 'expose-php to come back', (d) => hasCodes(d, 'expose-php'));
    });
  });

  describe('other documents', () => {
    it('lints an untitled PHP INI document (treated as a complete php.ini)', async () => {
      const doc = await vscode.workspace.openTextDocument({ language: 'php-ini', content: '[PHP]\ndisplay_errors = On\n\n[Session]\nsession.use_strict_mode = 0\n' });
      await vscode.window.showTextDocument(doc);
      const diags = await waitForDiagnostics(doc.uri, 'untitled findings', (d) => hasCodes(d, 'display-errors', 'session-use-strict-mode', 'log-errors'));
      assert.strictEqual(single(diags, 'display-errors').range.start.line, 1);
    });

    it('lints a .user.ini as a per-directory file: PHP_INI_SYSTEM directives there have no effect', async () => {
      const uri = writeScratch('user-ini', 'var/www/html/.user.ini', 'display_errors = On\nexpose_php = On\n');
      const { document: doc } = await open(uri);
      assert.strictEqual(doc.languageId, 'php-ini');
      const diags = await waitForDiagnostics(uri, '.user.ini findings', (d) => hasCodes(d, 'display-errors', 'fpm-setting-has-no-effect'));
      const noEffect = single(diags, 'fpm-setting-has-no-effect');
      assert.strictEqual(noEffect.range.start.line, 1);
      assert.match(noEffect.message, /cannot be set in \.user\.ini/);
      // Only what the file sets is judged: no "log_errors is not set" for a .user.ini.
      assert.ok(!hasCodes(diags, 'log-errors'), `a .user.ini got a missing-directive finding: ${summary(diags)}`);
    });
    // (Closing a file clears its findings: checked in test/e2e/vsix-smoke.js, where the file is opened
    // from the Explorer. Documents an extension opened stay alive in VS Code for minutes after their
    // editor closes, so the suite cannot observe the close.)
  });

  describe('hover', () => {
    it('on a flagged directive explains the finding: message, rationale and php.net links', async () => {
      const uri = fixture(...INI);
      const { document: doc } = await open(uri);
      const diags = await waitForDiagnostics(uri, 'session-use-strict-mode', (d) => hasCodes(d, 'session-use-strict-mode'));
      const diag = single(diags, 'session-use-strict-mode');
      const line = lineOf(doc, 'session.use_strict_mode');
      const text = await hoverAt(uri, new vscode.Position(line, 3));
      assert.ok(text.includes('session.use_strict_mode'), `hover does not name the directive:\n${text}`);
      assert.ok(text.includes(diag.message), `hover lacks the diagnostic message:\n${text}`);
      assert.ok(text.includes(strictModeRule.rationale), `hover lacks the rule's rationale:\n${text}`);
      assert.match(text, /session fixation/);
      assert.match(text, /\]\(https:\/\/www\.php\.net\/manual\/[^)\s]*session[^)\s]*\)/, `hover has no php.net link:\n${text}`);
      assert.ok(text.includes(DOCS_SUFFIX('session-use-strict-mode')), `hover has no link to the rule documentation:\n${text}`);
    });

    it('on a directive nothing flags shows its value and the PHP default', async () => {
      const uri = writeScratch(
        'hover-plain',
        INI_PATH,
        '[PHP]\nmax_execution_time = 45\n\n[Session]\nsession.gc_maxlifetime = 1440\n',
      );
      const { document: doc } = await open(uri);
      await waitForDiagnostics(uri, 'the file to be linted', (d) => d.length > 0);
      const line = lineOf(doc, 'max_execution_time');
      assert.deepStrictEqual(ours(uri).filter((d) => d.range.start.line === line).map(codeOf), [], 'max_execution_time is flagged');
      const text = await hoverAt(uri, new vscode.Position(line, 4));
      assert.match(text, /max_execution_time/);
      assert.match(text, /\*\*Value:\*\* `45`/, `hover lacks the value:\n${text}`);
      // The value as written; the default as the string PHP stores (JSON-quoted).
      assert.match(text, /\*\*Default \(PHP 8\.2\):\*\* `"30"`/, `hover lacks the PHP 8.2 default:\n${text}`);
      assert.match(text, /https:\/\/www\.php\.net\/manual\//);
      assert.doesNotMatch(text, /\*\*(Warning|Error|Info|Hint) ·/, `hover shows a finding for an unflagged line:\n${text}`);

      const gc = lineOf(doc, 'session.gc_maxlifetime');
      const gcText = await hoverAt(uri, new vscode.Position(gc, 10));
      assert.match(gcText, /\*\*Value:\*\* `1440`/, gcText);
      assert.match(gcText, /\*\*Default \(PHP 8\.2\):\*\* `"1440"`/, gcText);
    });
  });

  describe('completion', () => {
    it('completes session directive names and boolean values', async () => {
      const uri = writeScratch('completion', INI_PATH, '[Session]\nsession.use_str\nsession.cookie_httponly = \n');
      const { document: doc } = await open(uri);
      const names = await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        uri,
        new vscode.Position(1, 'session.use_str'.length),
      );
      const labels = names.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
      assert.ok(labels.includes('session.use_strict_mode'), `no session.use_strict_mode among ${labels.length} items: ${labels.slice(0, 20).join(', ')}`);
      const line = doc.lineAt(2).text;
      const values = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, new vscode.Position(2, line.length));
      const valueLabels = values.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
      assert.ok(valueLabels.some((l) => /^(On|1)$/.test(l)), `no On/1 value offered for session.cookie_httponly: ${valueLabels.join(', ')}`);
    });
  });

  describe('quick fixes', () => {
    it('the preferred fix for session.use_strict_mode rewrites only that line', async () => {
      const uri = copyFixture('quickfix-strict', ...INI);
      const { document: doc } = await open(uri);
      const before = doc.getText();
      const diag = single(
        await waitForDiagnostics(uri, 'session-use-strict-mode', (d) => hasCodes(d, 'session-use-strict-mode')),
        'session-use-strict-mode',
      );
      const actions = await codeActions(uri, diag.range, vscode.CodeActionKind.QuickFix.value);
      assert.ok(actions.length > 0, 'no quick fixes');
      for (const a of actions) assert.ok(a.kind && vscode.CodeActionKind.QuickFix.contains(a.kind), `${a.title}: kind ${a.kind?.value}`);
      // (vscode.executeCodeActionProvider does not hand back CodeAction.diagnostics, so match on titles.)
      const preferred = actions.filter((a) => a.isPreferred);
      assert.strictEqual(preferred.length, 1, `preferred fixes: ${JSON.stringify(actions.map((a) => [a.title, a.isPreferred]))}`);
      assert.match(preferred[0].title, /session\.use_strict_mode/);
      assert.ok(preferred[0].edit, 'the preferred fix has no edit');
      assert.ok(await vscode.workspace.applyEdit(preferred[0].edit!));

      assert.strictEqual(doc.getText(), before.replace('session.use_strict_mode = 0\n', 'session.use_strict_mode = 1\n'));
      await waitForDiagnostics(uri, 'session-use-strict-mode to go away', (d) => !hasCodes(d, 'session-use-strict-mode') && hasCodes(d, 'expose-php'));
      assert.strictEqual(readDisk(uri), before, 'applying a quick fix must not save the file');
    });

    it('offers explicit (not preferred) fixes for session.cookie_samesite = None, and the "Lax" one only changes that value', async () => {
      const uri = copyFixture('quickfix-samesite', ...INI);
      const { document: doc } = await open(uri);
      const before = doc.getText();
      const diag = single(
        await waitForDiagnostics(uri, 'session-cookie-samesite', (d) => hasCodes(d, 'session-cookie-samesite')),
        'session-cookie-samesite',
      );
      const actions = (await codeActions(uri, diag.range, vscode.CodeActionKind.QuickFix.value)).filter(
        (a) => /session\.cookie_samesite|session-cookie-samesite/.test(a.title),
      );
      const titles = actions.map((a) => a.title);
      // Changing SameSite can break cross-site flows: offered, never preferred (so never auto-applied).
      assert.ok(!actions.some((a) => a.isPreferred), `a samesite fix is preferred: ${JSON.stringify(titles)}`);
      const lax = actions.find((a) => /"Lax"/.test(a.title));
      assert.ok(lax?.edit, `no "Lax" fix among ${JSON.stringify(titles)}`);
      assert.ok(await vscode.workspace.applyEdit(lax.edit));
      assert.strictEqual(doc.getText(), before.replace('session.cookie_samesite = None\n', 'session.cookie_samesite = "Lax"\n'));
      await waitForDiagnostics(uri, 'session-cookie-samesite to go away', (d) => !hasCodes(d, 'session-cookie-samesite') && hasCodes(d, 'expose-php'));
    });

    it('"Disable <rule> for this line" adds a php-ini-lint comment above the line and silences only that rule there', async () => {
      const uri = copyFixture('quickfix-disable', ...INI);
      const { document: doc } = await open(uri);
      const before = doc.getText();
      const diag = single(await waitForDiagnostics(uri, 'display-errors', (d) => hasCodes(d, 'display-errors')), 'display-errors');
      const actions = await codeActions(uri, diag.range, vscode.CodeActionKind.QuickFix.value);
      const disable = actions.find((a) => a.title === 'Disable display-errors for this line');
      assert.ok(disable?.edit, `no disable-line action among ${JSON.stringify(actions.map((a) => a.title))}`);
      assert.ok(await vscode.workspace.applyEdit(disable.edit));
      assert.strictEqual(
        doc.getText(),
        before.replace('display_errors = On\n', '; php-ini-lint-disable-next-line display-errors\ndisplay_errors = On\n'),
      );
      await waitForDiagnostics(uri, 'display-errors to be silenced', (d) => !hasCodes(d, 'display-errors') && hasCodes(d, 'expose-php', 'session-use-strict-mode'));
    });
  });

  describe('fix all on save', () => {
    // CRLF line endings, a non-ASCII comment, odd spacing, an inline comment and no final line break:
    // the save must rewrite the four insecure session values and not touch one other byte. The [PHP]
    // section is hardened already, so no other safe fix (inserting a missing directive) applies.
    const ORIGINAL = [
      '; Fix-on-save fixture: CRLF line endings, a UTF-8 comment (café), odd spacing.',
      '[PHP]',
      'expose_php = Off',
      'display_errors = Off',
      'log_errors = On',
      'enable_dl = Off',
      'allow_url_fopen = Off',
      'register_argc_argv = Off',
      'zend.assertions = -1',
      'cgi.fix_pathinfo = 0',
      'disable_functions = exec,passthru,shell_exec,system,proc_open,popen',
      'open_basedir = /var/www:/tmp',
      '',
      '[Session]',
      'session.use_strict_mode = 0',
      'session.cookie_httponly   =   Off   ; inline comment',
      'session.cookie_secure = 1',
      'session.cookie_samesite = "Lax"',
      'session.name = APPSESSID',
      'session.upload_progress.enabled = Off',
      'session.use_only_cookies = 0',
      'session.use_trans_sid = 1',
      '; last line has no line break',
      'max_execution_time = 30',
    ].join('\r\n');

    it('rewrites the insecure session directives when the file is saved, byte for byte, keeping CRLF', async () => {
      await setSetting('editor', 'codeActionsOnSave', { 'source.fixAll.phpIniLint': 'explicit' }, 'php-ini');
      const effective = vscode.workspace.getConfiguration('editor', { languageId: 'php-ini' }).get<Record<string, unknown>>('codeActionsOnSave');
      assert.strictEqual(effective?.['source.fixAll.phpIniLint'], 'explicit');

      const uri = writeScratch('fix-on-save', INI_PATH, ORIGINAL);
      const editor = await open(uri);
      const doc = editor.document;
      assert.strictEqual(doc.eol, vscode.EndOfLine.CRLF);
      const before = await waitForDiagnostics(uri, 'the session findings', (d) =>
        hasCodes(d, 'session-use-strict-mode', 'session-cookie-httponly', 'session-use-only-cookies', 'session-use-trans-sid'),
      );
      assert.deepStrictEqual(
        before.map(codeOf).sort(),
        ['session-cookie-httponly', 'session-use-only-cookies', 'session-use-strict-mode', 'session-use-trans-sid'],
        'the fixture should have only the four session findings (a new rule fires on it: harden the fixture)',
      );

      // The user's own edit, which must survive the save as typed.
      const edit = new vscode.WorkspaceEdit();
      const last = doc.lineAt(doc.lineCount - 1);
      edit.replace(uri, last.range, 'max_execution_time = 60');
      assert.ok(await vscode.workspace.applyEdit(edit));
      assert.ok(doc.isDirty);

      assert.ok(await doc.save(), 'save failed');
      const expected = ORIGINAL.replace('session.use_strict_mode = 0\r\n', 'session.use_strict_mode = 1\r\n')
        .replace('session.cookie_httponly   =   Off   ; inline comment\r\n', 'session.cookie_httponly   =   On   ; inline comment\r\n')
        .replace('session.use_only_cookies = 0\r\n', 'session.use_only_cookies = 1\r\n')
        .replace('session.use_trans_sid = 1\r\n', 'session.use_trans_sid = 0\r\n')
        .replace(/max_execution_time = 30$/, 'max_execution_time = 60');
      assert.notStrictEqual(expected, ORIGINAL);
      const onDisk = readDisk(uri);
      assert.strictEqual(JSON.stringify(onDisk), JSON.stringify(expected), 'the saved file is not exactly the expected text');
      assert.strictEqual(doc.getText(), expected, 'the editor does not show what was saved');
      assert.ok(!doc.isDirty, 'the document is still dirty after saving');
      await waitForDiagnostics(uri, 'the session findings to go away', (d) =>
        !hasCodes(d, 'session-use-strict-mode') && !hasCodes(d, 'session-cookie-httponly') && !hasCodes(d, 'session-use-only-cookies') && !hasCodes(d, 'session-use-trans-sid'),
      );
    });

    it('also runs for the generic "source.fixAll" on a PHP-FPM pool file', async () => {
      await setSetting('editor', 'codeActionsOnSave', { 'source.fixAll': 'explicit' }, 'php-fpm');
      const uri = copyFixture('fix-on-save-pool', ...POOL);
      const editor = await open(uri);
      const doc = editor.document;
      const original = doc.getText();
      assert.strictEqual(doc.languageId, 'php-fpm');
      await waitForDiagnostics(uri, 'session-cookie-secure', (d) => hasCodes(d, 'session-cookie-secure', 'fpm-listen-exposed'));
      const edit = new vscode.WorkspaceEdit();
      edit.replace(uri, doc.lineAt(lineOf(doc, 'pm.max_children')).range, 'pm.max_children = 8');
      assert.ok(await vscode.workspace.applyEdit(edit));
      assert.ok(await doc.save(), 'save failed');
      // The pool override becomes php_admin_value (scripts cannot turn it off again) with the secure value;
      // the exposed listen address needs a decision, so it is not auto-fixed.
      const expected = original
        .replace('pm.max_children = 5\n', 'pm.max_children = 8\n')
        .replace('php_value[session.cookie_secure] = 0\n', 'php_admin_value[session.cookie_secure] = 1\n');
      assert.strictEqual(JSON.stringify(readDisk(uri)), JSON.stringify(expected));
      await waitForDiagnostics(uri, 'only fpm-listen-exposed left', (d) => !hasCodes(d, 'session-cookie-secure') && hasCodes(d, 'fpm-listen-exposed'));
    });

    it('does nothing on save while the setting is off', async () => {
      const uri = writeScratch('no-fix-on-save', INI_PATH, ORIGINAL);
      const editor = await open(uri);
      const doc = editor.document;
      await waitForDiagnostics(uri, 'session-use-strict-mode', (d) => hasCodes(d, 'session-use-strict-mode'));
      const edit = new vscode.WorkspaceEdit();
      edit.replace(uri, doc.lineAt(doc.lineCount - 1).range, 'max_execution_time = 60');
      assert.ok(await vscode.workspace.applyEdit(edit));
      assert.ok(await doc.save());
      assert.strictEqual(readDisk(uri), ORIGINAL.replace(/max_execution_time = 30$/, 'max_execution_time = 60'));
      assert.ok(withCode(uri, 'session-use-strict-mode').length === 1);
    });
  });
});
