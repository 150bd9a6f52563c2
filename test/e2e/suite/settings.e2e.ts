/// <reference types="vscode" />
// phpIniLint.* settings changed in the workspace while files are open: the server must re-lint the
// open documents with the new settings, without reopening them. Each test restores what it changed.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import {
  cleanUp,
  codeOf,
  copyFixture,
  hasCodes,
  lacksCodes,
  lineOf,
  open,
  setSetting,
  single,
  waitForDiagnostics,
  writeScratch,
} from './e2e-helpers';

const INI = ['etc', 'php', '8.2', 'fpm', 'php.ini'] as const;

describe('settings changes re-lint open files', function () {
  this.timeout(90_000);
  afterEach(cleanUp);

  it('phpIniLint.profile = development drops display-errors and keeps the checks that matter everywhere', async () => {
    const uri = copyFixture('profile', ...INI);
    await open(uri);
    await waitForDiagnostics(uri, 'display-errors (production)', (d) => hasCodes(d, 'display-errors', 'session-use-strict-mode'));
    await setSetting('phpIniLint', 'profile', 'development');
    await waitForDiagnostics(uri, 'display-errors to go away (development)', (d) => lacksCodes(d, 'display-errors') && hasCodes(d, 'session-use-strict-mode', 'expose-php'));
    await setSetting('phpIniLint', 'profile', 'production');
    await waitForDiagnostics(uri, 'display-errors to come back (production)', (d) => hasCodes(d, 'display-errors'));
  });

  it('phpIniLint.rules { "session-name": "off" } removes that rule and only that rule', async () => {
    const uri = copyFixture('rule-off', ...INI);
    await open(uri);
    const before = await waitForDiagnostics(uri, 'session-name', (d) => hasCodes(d, 'session-name', 'session-use-strict-mode'));
    await setSetting('phpIniLint', 'rules', { 'session-name': 'off' });
    const after = await waitForDiagnostics(uri, 'session-name to go away', (d) => lacksCodes(d, 'session-name'));
    assert.deepStrictEqual(
      after.map(codeOf).sort(),
      before.map(codeOf).filter((c) => c !== 'session-name').sort(),
      'turning one rule off changed other findings',
    );
  });

  it('phpIniLint.rules severities show up as the new severity', async () => {
    const uri = copyFixture('rule-severity', ...INI);
    await open(uri);
    const before = await waitForDiagnostics(uri, 'expose-php', (d) => hasCodes(d, 'expose-php', 'session-use-strict-mode'));
    assert.strictEqual(single(before, 'expose-php').severity, vscode.DiagnosticSeverity.Hint);
    assert.strictEqual(single(before, 'session-use-strict-mode').severity, vscode.DiagnosticSeverity.Warning);
    await setSetting('phpIniLint', 'rules', { 'expose-php': 'error', 'session-use-strict-mode': 'information' });
    const after = await waitForDiagnostics(
      uri,
      'the new severities',
      (d) =>
        d.some((x) => codeOf(x) === 'expose-php' && x.severity === vscode.DiagnosticSeverity.Error) &&
        d.some((x) => codeOf(x) === 'session-use-strict-mode' && x.severity === vscode.DiagnosticSeverity.Information),
    );
    assert.strictEqual(single(after, 'display-errors').severity, vscode.DiagnosticSeverity.Warning, 'an unlisted rule changed severity');
  });

  it('phpIniLint.phpVersion = 8.4 overrides the 8.2 from the path: session.sid_length is reported as deprecated', async () => {
    const uri = writeScratch(
      'php-version',
      INI.join('/'),
      '[Session]\nsession.use_strict_mode = 1\nsession.sid_length = 26\nsession.sid_bits_per_character = 5\n',
    );
    const { document: doc } = await open(uri);
    // 26 × 5 = 130 bits: fine for PHP 8.2 (taken from the path etc/php/8.2/).
    await waitForDiagnostics(uri, 'the file to be linted as PHP 8.2', (d) => d.length > 0 && lacksCodes(d, 'session-sid-strength'));
    await setSetting('phpIniLint', 'phpVersion', '8.4');
    const diags = await waitForDiagnostics(uri, 'the PHP 8.4 deprecation', (d) => d.filter((x) => codeOf(x) === 'session-sid-strength').length === 2);
    const len = diags.find((d) => codeOf(d) === 'session-sid-strength' && d.range.start.line === lineOf(doc, 'session.sid_length'));
    assert.ok(len, 'no finding on the session.sid_length line');
    assert.match(len.message, /deprecated as of PHP 8\.4/);
    assert.ok(len.tags?.includes(vscode.DiagnosticTag.Deprecated), 'not tagged Deprecated (no strike-through)');
    assert.strictEqual(len.severity, vscode.DiagnosticSeverity.Information);
    const bits = diags.find((d) => codeOf(d) === 'session-sid-strength' && d.range.start.line === lineOf(doc, 'session.sid_bits_per_character'));
    assert.ok(bits?.tags?.includes(vscode.DiagnosticTag.Deprecated));
  });

  it('phpIniLint.httpsOnly = false stops asking for Secure session cookies', async () => {
    const uri = copyFixture('https-only', ...INI);
    await open(uri);
    await waitForDiagnostics(uri, 'session-cookie-secure', (d) => hasCodes(d, 'session-cookie-secure'));
    await setSetting('phpIniLint', 'httpsOnly', false);
    await waitForDiagnostics(uri, 'session-cookie-secure to go away', (d) => lacksCodes(d, 'session-cookie-secure') && hasCodes(d, 'session-use-strict-mode'));
  });

  it('phpIniLint.enable = false clears the diagnostics, true brings them back', async () => {
    const uri = copyFixture('enable', ...INI);
    await open(uri);
    const before = await waitForDiagnostics(uri, 'findings', (d) => hasCodes(d, 'expose-php'));
    await setSetting('phpIniLint', 'enable', false);
    await waitForDiagnostics(uri, 'no findings while disabled', (d) => d.length === 0);
    await setSetting('phpIniLint', 'enable', true);
    const after = await waitForDiagnostics(uri, 'the findings to come back', (d) => d.length === before.length);
    assert.deepStrictEqual(after.map(codeOf).sort(), before.map(codeOf).sort());
  });

  it('a .php-ini-lint.ini project file is picked up when created, changed and deleted, and outranks the settings', async () => {
    const uri = copyFixture('project-file', ...INI);
    await open(uri);
    await waitForDiagnostics(uri, 'findings', (d) => hasCodes(d, 'session-name', 'display-errors', 'expose-php'));
    await setSetting('phpIniLint', 'profile', 'production');
    // In the test's folder, a parent of etc/php/8.2/fpm/php.ini.
    const projectFile = path.join(path.dirname(uri.fsPath), '..', '..', '..', '..', '.php-ini-lint.ini');
    fs.writeFileSync(projectFile, 'profile = development\n\n[rules]\nsession-name = off\nexpose-php = error\n');
    const withFile = await waitForDiagnostics(uri, 'the project file to apply', (d) => lacksCodes(d, 'session-name', 'display-errors') && hasCodes(d, 'expose-php'));
    assert.strictEqual(single(withFile, 'expose-php').severity, vscode.DiagnosticSeverity.Error);

    fs.writeFileSync(projectFile, '[rules]\nsession-name = off\n');
    await waitForDiagnostics(uri, 'the changed project file to apply', (d) =>
      lacksCodes(d, 'session-name') && hasCodes(d, 'display-errors') && d.some((x) => codeOf(x) === 'expose-php' && x.severity === vscode.DiagnosticSeverity.Hint),
    );

    fs.rmSync(projectFile);
    await waitForDiagnostics(uri, 'the findings without a project file', (d) => hasCodes(d, 'session-name', 'display-errors'));
  });
});
