// Protocol-level tests: the built server (out/server/src/server.js) is spawned over stdio and driven
// with JSON-RPC exactly as an editor would, with VS Code-like capabilities.
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-jsonrpc/node';
import { fixAll, getRule, lint, parse, resolveOptions, ruleDocUrl, type Diagnostic } from '../../server/src/engine';
import {
  applyTextEdits,
  cleanup,
  CORPUS,
  editsFor,
  LspClient,
  SERVER_JS,
  tempDir,
  writeFile,
  type PublishedDiagnostic,
  type PublishDiagnosticsParams,
  type Range,
  type TextEdit,
} from './harness';

const DEBIAN_PRODUCTION = path.join(CORPUS, 'debian-bookworm-php8.2', 'php.ini-production');

interface WorkspaceEditLike {
  changes?: Record<string, TextEdit[]>;
  documentChanges?: Array<{ textDocument: { uri: string; version: number | null }; edits: TextEdit[] }>;
}
interface CodeActionLike {
  title: string;
  kind?: string;
  isPreferred?: boolean;
  diagnostics?: PublishedDiagnostic[];
  edit?: WorkspaceEditLike;
}
interface HoverLike {
  contents: { kind: string; value: string };
  range?: Range;
}
interface CompletionLike {
  label: string;
  detail?: string;
  textEdit?: TextEdit;
}

const r = (sl: number, sc: number, el: number, ec: number): Range => ({ start: { line: sl, character: sc }, end: { line: el, character: ec } });

/** What the engine itself says about a file, in the shape the server publishes (VS Code-like client). */
function engineDiagnostics(text: string, filePath: string, settings = {}): Array<{ code: string; range: Range; message: string; severity: number }> {
  const options = resolveOptions(filePath, settings, undefined);
  const doc = parse(text, { dialect: options.dialect, phpVersion: options.phpVersion });
  return lint(doc, options).map((d: Diagnostic) => ({ code: d.rule, range: d.range, message: d.message, severity: { error: 1, warning: 2, information: 3, hint: 4 }[d.severity] }));
}

function essentials(p: PublishDiagnosticsParams) {
  return p.diagnostics.map((d) => ({ code: String(d.code), range: d.range, message: d.message, severity: d.severity ?? 0 }));
}

function find(p: PublishDiagnosticsParams, code: string, line?: number): PublishedDiagnostic | undefined {
  return p.diagnostics.find((d) => d.code === code && (line === undefined || d.range.start.line === line));
}

const CRAFTED = [
  '; crafted for the protocol test', //                          0
  '[Session]', //                                               1
  'session.use_strict_mode = Off', //                            2
  'memory_limit = 128M', //                                      3
  'memory_limit = 256M', //                                      4
  'session.hash_function = 1', //                                5
  'error_reporting = E_ALL & ~E_DEPRECATED', //                  6
  '[PATH=/var/www/site]', //                                     7
  'upload_max_filesize = 2M', //                                 8
  'bad = (1', //                                                 9
  '',
].join('\n');

const POOL = [
  '[global]',
  'error_log = /var/log/php-fpm.log',
  '[www]',
  'user = www-data',
  'listen = /run/php/$pool.sock',
  'pm = dynamic',
  'php_value[memory_limit] = 128M',
  'php_value[memory_limit] = 512M',
  'php_admin_value[session.use_strict_mode] = 0',
  'php_value[open_basedir] = /tmp',
  'php_admin_value[open_basedir] = /srv',
  'env[HOSTNAME] = $HOSTNAME',
  '',
].join('\n');

describe('language server over stdio, VS Code-like client', function () {
  this.timeout(60000);
  let c: LspClient;
  let dir: string;
  /** Per-resource settings answered to workspace/configuration. */
  let settings: Record<string, unknown> = {};

  before(async () => {
    dir = tempDir();
    c = await LspClient.start({ settings: (scopeUri) => (scopeUri && settings[scopeUri]) ?? {} });
  });

  after(async () => {
    await c?.stop();
    cleanup(dir);
  });

  afterEach(() => {
    settings = {};
    assert.ok(c.alive, `the server died; stderr: ${c.stderr}`);
  });

  async function openFile(rel: string, text: string, languageId = 'php-ini', timeoutMs = 10000) {
    const f = writeFile(dir, rel, text);
    const since = c.published.length;
    await c.open(f.uri, text, languageId);
    const diags = await c.nextDiagnostics(f.uri, since, undefined, timeoutMs);
    return { ...f, diags, text };
  }

  async function replaceAll(uri: string, version: number, text: string) {
    const since = c.published.length;
    await c.change(uri, version, [{ text }]);
    return c.nextDiagnostics(uri, since, (p) => p.version === version);
  }

  it('registers a file watcher for .php-ini-lint.ini with a client that supports it', async () => {
    await c.waitFor(() => (c.registrations.length ? true : undefined), 5000, 'registration');
    const reg = c.registrations.find((x) => (x as { method: string }).method === 'workspace/didChangeWatchedFiles') as { registerOptions: { watchers: Array<{ globPattern: string }> } };
    assert.ok(reg, JSON.stringify(c.registrations));
    assert.deepEqual(reg.registerOptions.watchers, [{ globPattern: '**/.php-ini-lint.ini' }]);
  });

  it('publishes exactly the engine’s diagnostics for Debian’s php.ini-production (PHP 8.2 from the path)', async () => {
    const text = fs.readFileSync(DEBIAN_PRODUCTION, 'latin1');
    const f = await openFile('etc/php/8.2/fpm/php.ini', text);
    assert.equal(f.diags.version, 1);
    assert.deepEqual(essentials(f.diags), engineDiagnostics(text, f.path));
    // The one finding Debian's file is known to have, with everything a client shows.
    const strict = find(f.diags, 'session-use-strict-mode');
    assert.deepEqual(strict, {
      range: r(1382, 0, 1382, 27),
      severity: 2,
      code: 'session-use-strict-mode',
      codeDescription: { href: ruleDocUrl('session-use-strict-mode') },
      source: 'php-ini-lint',
      message: 'session.use_strict_mode is 0: PHP will accept session IDs an attacker chose (session fixation).',
    });
    for (const d of f.diags.diagnostics) {
      assert.equal(d.source, 'php-ini-lint');
      assert.equal(d.codeDescription?.href, ruleDocUrl(String(d.code)));
    }
    const status = await c.request('phpIniLint/status', { uri: f.uri });
    assert.deepEqual(status, { phpVersion: '8.2', phpVersionSource: 'path', profile: 'production', configFile: null });
  });

  it('crafted conf.d file: exact codes, ranges, links, tags and related information', async () => {
    const f = await openFile('etc/php/8.2/fpm/conf.d/90-crafted.ini', CRAFTED);
    assert.deepEqual(essentials(f.diags), engineDiagnostics(CRAFTED, f.path));
    assert.deepEqual(find(f.diags, 'session-use-strict-mode'), {
      range: r(2, 0, 2, 29),
      severity: 2,
      code: 'session-use-strict-mode',
      codeDescription: { href: ruleDocUrl('session-use-strict-mode') },
      source: 'php-ini-lint',
      message: 'session.use_strict_mode is Off: PHP will accept session IDs an attacker chose (session fixation).',
    });
    const syntax = find(f.diags, 'syntax-error');
    assert.ok(syntax);
    assert.equal(syntax.severity, 1);
    assert.deepEqual(syntax.range.start, { line: 9, character: 8 });
    assert.match(syntax.message, /^Syntax error, unexpected END_OF_LINE, expecting '\^' or '\|' or '&' or '\)'\./);
    // A dead duplicate: faded (Unnecessary) and pointing at the line that wins.
    const dup = find(f.diags, 'duplicate-directive', 3);
    assert.ok(dup, JSON.stringify(f.diags.diagnostics));
    assert.deepEqual(dup.range, r(3, 0, 3, 19));
    assert.deepEqual(dup.tags, [1]);
    assert.equal(dup.relatedInformation?.length, 1);
    assert.deepEqual(dup.relatedInformation![0].location, { uri: f.uri, range: r(4, 0, 4, 19) });
    assert.match(dup.relatedInformation![0].message, /memory_limit/);
    // A directive PHP no longer has: struck through (Deprecated).
    const removed = find(f.diags, 'removed-directive', 5);
    assert.ok(removed);
    assert.deepEqual(removed.tags, [2]);
  });

  it('hover on a flagged directive explains the value, the default, where it can be set, and each rule', async () => {
    const f = await openFile('etc/php/8.2/fpm/conf.d/92-hover.ini', CRAFTED);
    const h = await c.request<HoverLike>('textDocument/hover', { textDocument: { uri: f.uri }, position: { line: 2, character: 5 } });
    assert.equal(h.contents.kind, 'markdown');
    assert.deepEqual(h.range, r(2, 0, 2, 23));
    const v = h.contents.value;
    const rule = getRule('session-use-strict-mode')!;
    assert.ok(v.includes('**`session.use_strict_mode`**'), v);
    assert.ok(v.includes(rule.title), 'the rule title describes the directive');
    assert.ok(v.includes('**Value:** `Off` — PHP reads `""` (off)'), v);
    assert.ok(v.includes('**Default (PHP 8.2):** `"0"` (off)'), v);
    assert.ok(v.includes('anywhere, including ini_set()'), v);
    assert.ok(v.includes('Since PHP 5.5.2'), v);
    assert.ok(v.includes('(https://www.php.net/manual/en/session.configuration.php#ini.session.use-strict-mode)'), v);
    assert.ok(v.includes(rule.rationale), 'rationale');
    for (const s of rule.sources) assert.ok(v.includes(`(${s.url})`), `source ${s.url}`);
    assert.ok(v.includes(`(${ruleDocUrl(rule.id)})`));
  });

  it('hover on an unflagged directive, a boolean, a constant, an expression and sections', async () => {
    const f = await openFile('etc/php/8.2/fpm/conf.d/93-hover.ini', CRAFTED);
    const hover = async (line: number, character: number, uri = f.uri) =>
      (await c.request<HoverLike | null>('textDocument/hover', { textDocument: { uri }, position: { line, character } }))?.contents.value ?? '';
    assert.ok(!f.diags.diagnostics.some((d) => d.range.start.line === 4), 'precondition: nothing reported on line 5');
    const unflagged = await hover(4, 3);
    assert.ok(unflagged.includes('**`memory_limit`** — '), unflagged);
    assert.ok(unflagged.includes('Size in bytes (K, M and G suffixes allowed), read by PHP core.'), unflagged);
    assert.ok(unflagged.includes('**Value:** `256M`'), unflagged);
    assert.ok(unflagged.includes('**Default (PHP 8.2):** `"128M"`'), unflagged);
    assert.ok(!unflagged.includes('---'), 'no findings section');
    const dead = await hover(3, 3);
    assert.ok(dead.includes('This line has no effect: line 5 decides `memory_limit` (`"256M"`).'), dead);
    assert.ok(dead.includes('duplicate-directive'), dead);
    assert.ok((await hover(2, 27)).includes('PHP stores `""` (an empty string)'));
    assert.ok((await hover(6, 20)).includes('`E_ALL` — PHP constant: `"32767"` in PHP 8.2'));
    const expr = await hover(6, 24);
    assert.ok(expr.includes('computes to `"24575"` = E_ALL & ~E_DEPRECATED in PHP 8.2'), expr);
    assert.ok((await hover(1, 3)).includes('**[Session]**: a label only'));
    assert.ok((await hover(7, 3)).includes('only to scripts under `/var/www/site`'));
    // An untitled buffer: dialect from the language id, checked as a complete php.ini.
    await c.open('untitled:Untitled-1', 'expose_php = On\n', 'php-ini');
    assert.ok((await hover(0, 14, 'untitled:Untitled-1')).includes('PHP stores `"1"`'));
    await c.close('untitled:Untitled-1');
  });

  it('hover in a pool: php_admin_value inner name, pool header, $pool expansion', async () => {
    const f = await openFile('etc/php/8.2/fpm/pool.d/www.conf', POOL, 'php-fpm');
    const hover = async (line: number, character: number) => (await c.request<HoverLike | null>('textDocument/hover', { textDocument: { uri: f.uri }, position: { line, character } }))?.contents.value ?? '';
    const inner = await hover(8, 20);
    assert.ok(inner.includes('**`session.use_strict_mode`**'), inner);
    assert.ok(inner.includes('session-use-strict-mode'), inner);
    assert.ok((await hover(8, 3)).includes('locks it: ini_set() in scripts cannot change it'));
    assert.ok((await hover(2, 2)).includes('a pool'));
    assert.ok((await hover(4, 2)).includes('`/run/php/$pool.sock` — PHP reads `"/run/php/www.sock"`'));
    assert.ok((await hover(7, 5)).includes('This line has no effect: line 7 decides `memory_limit`'));
  });

  it('quick fixes and disable comments, with the document version; the disable comment works', async () => {
    const f = await openFile('etc/php/8.2/fpm/conf.d/94-actions.ini', CRAFTED);
    const shown = f.diags.diagnostics.filter((d) => d.range.start.line === 2);
    const actions = await c.request<CodeActionLike[]>('textDocument/codeAction', { textDocument: { uri: f.uri }, range: r(2, 0, 2, 29), context: { diagnostics: shown } });
    const byTitle = (t: string) => {
      const a = actions.find((x) => x.title === t);
      assert.ok(a, `no action "${t}" in ${actions.map((x) => x.title).join(' | ')}`);
      return a;
    };
    const fix = byTitle('Set session.use_strict_mode to On');
    assert.equal(fix.kind, 'quickfix');
    assert.equal(fix.isPreferred, true);
    assert.equal(fix.diagnostics?.[0].code, 'session-use-strict-mode');
    assert.deepEqual(fix.edit?.documentChanges?.[0].textDocument, { uri: f.uri, version: 1 });
    assert.deepEqual(editsFor(fix.edit, f.uri), [{ range: r(2, 26, 2, 29), newText: 'On' }]);
    const lines = CRAFTED.split('\n');
    assert.equal(applyTextEdits(CRAFTED, editsFor(fix.edit, f.uri)), [...lines.slice(0, 2), 'session.use_strict_mode = On', ...lines.slice(3)].join('\n'));

    const line = byTitle('Disable session-use-strict-mode for this line');
    const disabledLine = applyTextEdits(CRAFTED, editsFor(line.edit, f.uri));
    assert.equal(disabledLine, [...lines.slice(0, 2), '; php-ini-lint-disable-next-line session-use-strict-mode', ...lines.slice(2)].join('\n'));
    const file = byTitle('Disable session-use-strict-mode for this file');
    assert.equal(applyTextEdits(CRAFTED, editsFor(file.edit, f.uri)), `; php-ini-lint-disable session-use-strict-mode\n${CRAFTED}`);
    assert.equal(line.isPreferred, undefined);

    // Applying the comment silences exactly that finding.
    const after = await replaceAll(f.uri, 2, disabledLine);
    assert.equal(find(after, 'session-use-strict-mode'), undefined);
    assert.ok(find(after, 'duplicate-directive'), 'other findings stay');
    // And the actions are computed against the new version.
    const again = await c.request<CodeActionLike[]>('textDocument/codeAction', { textDocument: { uri: f.uri }, range: r(4, 0, 4, 19), context: { diagnostics: after.diagnostics.filter((d) => d.range.start.line === 4) } });
    for (const a of again) for (const dc of a.edit?.documentChanges ?? []) assert.equal(dc.textDocument.version, 2);
  });

  it('"disable for this line" keeps the line’s indentation and the file’s CRLF line endings', async () => {
    const text = '[Session]\r\n    session.use_strict_mode = 0\r\n';
    const f = await openFile('etc/php/8.2/fpm/conf.d/95-indent.ini', text);
    const actions = await c.request<CodeActionLike[]>('textDocument/codeAction', { textDocument: { uri: f.uri }, range: r(1, 4, 1, 4), context: { diagnostics: [] } });
    const line = actions.find((a) => a.title === 'Disable session-use-strict-mode for this line');
    assert.ok(line);
    assert.equal(applyTextEdits(text, editsFor(line.edit, f.uri)), '[Session]\r\n    ; php-ini-lint-disable-next-line session-use-strict-mode\r\n    session.use_strict_mode = 0\r\n');
  });

  it('fix-all on a CRLF file changes only the fixed line; a second request offers nothing', async () => {
    const text = '; CRLF file\r\n[Session]\r\n  session.use_strict_mode = 0 ; keep me\r\nmemory_limit = 128M\nexpose_php = Off\r\n';
    const f = await openFile('etc/php/8.2/fpm/conf.d/96-crlf.ini', text);
    const request = () =>
      c.request<CodeActionLike[]>('textDocument/codeAction', { textDocument: { uri: f.uri }, range: r(0, 0, 5, 0), context: { diagnostics: [], only: ['source.fixAll.phpIniLint'], triggerKind: 1 } });
    const actions = await request();
    assert.equal(actions.length, 1);
    assert.equal(actions[0].kind, 'source.fixAll.phpIniLint');
    assert.deepEqual(actions[0].edit?.documentChanges?.[0].textDocument, { uri: f.uri, version: 1 });
    const fixed = applyTextEdits(text, editsFor(actions[0].edit, f.uri));
    assert.equal(fixed, '; CRLF file\r\n[Session]\r\n  session.use_strict_mode = 1 ; keep me\r\nmemory_limit = 128M\nexpose_php = Off\r\n');
    // The edits touch only the line that changes.
    for (const e of editsFor(actions[0].edit, f.uri)) assert.equal(e.range.start.line, 2);
    await replaceAll(f.uri, 2, fixed);
    assert.deepEqual(await request(), []);
  });

  it('fix-all on a file with a byte-order mark keeps it; "disable for this file" goes after it', async () => {
    const text = '\uFEFFsession.use_strict_mode = Off\nexpose_php = Off\n';
    const f = await openFile('etc/php/8.2/fpm/conf.d/97-bom.ini', text);
    assert.deepEqual(find(f.diags, 'session-use-strict-mode')?.range, r(0, 1, 0, 30));
    const all = await c.request<CodeActionLike[]>('textDocument/codeAction', { textDocument: { uri: f.uri }, range: r(0, 0, 0, 0), context: { diagnostics: [], only: ['source.fixAll'] } });
    assert.equal(all.length, 1);
    const fixed = applyTextEdits(text, editsFor(all[0].edit, f.uri));
    assert.equal(fixed, '\uFEFFsession.use_strict_mode = On\nexpose_php = Off\n');
    const quick = await c.request<CodeActionLike[]>('textDocument/codeAction', { textDocument: { uri: f.uri }, range: r(0, 5, 0, 5), context: { diagnostics: f.diags.diagnostics } });
    const fileWide = quick.find((a) => a.title === 'Disable session-use-strict-mode for this file');
    assert.equal(applyTextEdits(text, editsFor(fileWide?.edit, f.uri)), '\uFEFF; php-ini-lint-disable session-use-strict-mode\nsession.use_strict_mode = Off\nexpose_php = Off\n');
    const lineWide = quick.find((a) => a.title === 'Disable session-use-strict-mode for this line');
    assert.equal(applyTextEdits(text, editsFor(lineWide?.edit, f.uri)), '\uFEFF; php-ini-lint-disable-next-line session-use-strict-mode\nsession.use_strict_mode = Off\nexpose_php = Off\n');
    await replaceAll(f.uri, 2, fixed);
    assert.deepEqual(await c.request('textDocument/codeAction', { textDocument: { uri: f.uri }, range: r(0, 0, 0, 0), context: { diagnostics: [], only: ['source.fixAll'] } }), []);
  });

  it('fix-all equals the engine’s fixAll on the Debian file; context.only is honoured', async () => {
    const text = fs.readFileSync(DEBIAN_PRODUCTION, 'latin1');
    const f = await openFile('etc/php/8.2/cli/php.ini', text);
    const ask = (only?: string[]) => c.request<CodeActionLike[]>('textDocument/codeAction', { textDocument: { uri: f.uri }, range: r(1382, 0, 1382, 27), context: { diagnostics: [], only } });
    const all = await ask(['source.fixAll.phpIniLint']);
    assert.equal(all.length, 1);
    const options = resolveOptions(f.path, {}, undefined);
    const expected = fixAll(parse(text, { dialect: options.dialect, phpVersion: options.phpVersion }), options).text;
    assert.equal(applyTextEdits(text, editsFor(all[0].edit, f.uri)), expected);
    assert.ok((await ask(['quickfix'])).every((a) => a.kind === 'quickfix'));
    assert.ok((await ask(['quickfix'])).length > 0);
    assert.ok((await ask()).every((a) => a.kind === 'quickfix'), 'no source actions in the light bulb');
    assert.deepEqual((await ask(['source'])).map((a) => a.kind), ['source.fixAll.phpIniLint']);
    assert.deepEqual(await ask(['refactor']), []);
  });

  it('completion: directive names, samesite values, rule ids in disable comments, pool names and values', async () => {
    const text = '[Session]\nsession.use_str\nsession.cookie_samesite = \n; php-ini-lint-disable-next-line session-use\n';
    await c.open('untitled:completion', text, 'php-ini');
    const complete = async (uri: string, line: number, character: number) => {
      const res = await c.request<{ items: CompletionLike[] } | CompletionLike[]>('textDocument/completion', { textDocument: { uri }, position: { line, character } });
      return Array.isArray(res) ? res : res.items;
    };
    const names = await complete('untitled:completion', 1, 15);
    const strict = names.find((i) => i.label === 'session.use_strict_mode');
    assert.ok(strict);
    assert.equal(strict.detail, 'default: "0"');
    assert.deepEqual(strict.textEdit, { range: r(1, 0, 1, 15), newText: 'session.use_strict_mode' });
    const values = (await complete('untitled:completion', 2, 26)).map((i) => i.label);
    assert.deepEqual(values, ['"Strict"', '"Lax"', '"None"']);
    const ids = await complete('untitled:completion', 3, 44);
    const id = ids.find((i) => i.label === 'session-use-strict-mode');
    assert.ok(id);
    assert.deepEqual(id.textEdit, { range: r(3, 33, 3, 44), newText: 'session-use-strict-mode' });
    await c.close('untitled:completion');

    const pool = '[www]\nphp_admin_value[session.use\npm = \nlisten.mo\n';
    await c.open('untitled:pool', pool, 'php-fpm');
    const inner = (await complete('untitled:pool', 1, 27)).find((i) => i.label === 'session.use_strict_mode');
    assert.deepEqual(inner?.textEdit, { range: r(1, 16, 1, 27), newText: 'session.use_strict_mode]' });
    assert.deepEqual((await complete('untitled:pool', 2, 5)).map((i) => i.label), ['static', 'dynamic', 'ondemand']);
    assert.ok((await complete('untitled:pool', 3, 9)).some((i) => i.label === 'listen.mode'));
    await c.close('untitled:pool');
  });

  it('incremental changes update the diagnostics', async () => {
    const f = await openFile('etc/php/8.2/fpm/conf.d/98-incremental.ini', CRAFTED);
    assert.ok(find(f.diags, 'session-use-strict-mode'));
    let since = c.published.length;
    await c.change(f.uri, 2, [{ range: r(2, 26, 2, 29), text: 'On' }]);
    let p = await c.nextDiagnostics(f.uri, since, (x) => x.version === 2);
    assert.equal(find(p, 'session-use-strict-mode'), undefined);
    since = c.published.length;
    // Two edits in one notification, applied in order: break it again and remove the duplicate line.
    await c.change(f.uri, 3, [
      { range: r(2, 26, 2, 28), text: '0' },
      { range: r(3, 0, 4, 0), text: '' },
    ]);
    p = await c.nextDiagnostics(f.uri, since, (x) => x.version === 3);
    const expectedText = [...CRAFTED.split('\n').slice(0, 2), 'session.use_strict_mode = 0', ...CRAFTED.split('\n').slice(4)].join('\n');
    assert.deepEqual(essentials(p), engineDiagnostics(expectedText, f.path));
    assert.equal(find(p, 'duplicate-directive'), undefined);
    assert.deepEqual(find(p, 'session-use-strict-mode')?.range, r(2, 0, 2, 27));
  });

  it('never publishes an older version after a newer one (slow configuration answer)', async () => {
    const f = writeFile(dir, 'etc/php/8.2/fpm/conf.d/99-stale.ini', CRAFTED);
    c.configurationDelay = (uri) => (uri === f.uri ? 700 : 0);
    try {
      const since = c.published.length;
      await c.open(f.uri, CRAFTED);
      // While the first run waits for settings, the document changes twice.
      await c.change(f.uri, 2, [{ range: r(2, 26, 2, 29), text: 'On' }]);
      await new Promise((res) => setTimeout(res, 50));
      await c.change(f.uri, 3, [{ range: r(5, 0, 6, 0), text: '' }]);
      const final = await c.nextDiagnostics(f.uri, since, (x) => x.version === 3);
      await new Promise((res) => setTimeout(res, 900));
      const mine = c.published.slice(since).filter((x) => x.uri === f.uri);
      assert.deepEqual(mine.map((x) => x.version), [3], 'only the newest version is ever published');
      assert.equal(find(final, 'session-use-strict-mode'), undefined);
      assert.equal(find(final, 'removed-directive'), undefined);
    } finally {
      c.configurationDelay = () => 0;
    }
  });

  it('debounces a burst of edits into few runs, ending with the newest version', async () => {
    const f = await openFile('etc/php/8.2/fpm/conf.d/99-burst.ini', 'session.use_strict_mode = 0\n');
    const since = c.published.length;
    let text = 'session.use_strict_mode = 0\n';
    for (let v = 2; v <= 11; v++) {
      text += `; edit ${v}\n`;
      await c.change(f.uri, v, [{ range: r(v - 1, 0, v - 1, 0), text: `; edit ${v}\n` }]);
      await new Promise((res) => setTimeout(res, 10));
    }
    await c.nextDiagnostics(f.uri, since, (x) => x.version === 11);
    await new Promise((res) => setTimeout(res, 300));
    const versions = c.published.slice(since).filter((x) => x.uri === f.uri).map((x) => x.version!);
    assert.ok(versions.length <= 3, `published ${versions.length} times: ${versions}`);
    assert.deepEqual(versions, [...versions].sort((a, b) => a - b));
    assert.equal(versions[versions.length - 1], 11);
  });

  it('phpIniLint/effectiveConfig: php.ini main scope, extensions, special sections; pools with $pool and php settings', async () => {
    const f = await openFile('etc/php/8.2/fpm/conf.d/80-effective.ini', 'extension=mysqli\nzend_extension=opcache\n' + CRAFTED);
    const res = await c.request<{ text: string }>('phpIniLint/effectiveConfig', { uri: f.uri });
    assert.match(res.text, /^\{\n {2}"file"/, 'pretty-printed JSON');
    const json = JSON.parse(res.text);
    assert.equal(json.phpVersion, '8.2');
    assert.equal(json.get_cfg_var.memory_limit, '256M');
    assert.equal(json.get_cfg_var['session.use_strict_mode'], '');
    assert.equal(json.get_cfg_var.error_reporting, '24575');
    assert.deepEqual(json.extensions, ['mysqli']);
    assert.deepEqual(json.zend_extensions, ['opcache']);
    assert.deepEqual(json.specialSections, { '[PATH=/var/www/site]': { upload_max_filesize: '2M' } });
    assert.match(json.notes[0], /^PHP stops reading at line 12 /);

    const pool = await openFile('etc/php/8.2/fpm/pool.d/effective.conf', POOL, 'php-fpm');
    const pj = JSON.parse((await c.request<{ text: string }>('phpIniLint/effectiveConfig', { uri: pool.uri })).text);
    assert.deepEqual(pj.global, { error_log: '/var/log/php-fpm.log' });
    assert.equal(pj.pools.www.directives.listen, '/run/php/www.sock');
    assert.deepEqual(pj.pools.www.php.memory_limit, { value: '128M', admin: false, via: 'php_value' });
    assert.deepEqual(pj.pools.www.php['session.use_strict_mode'], { value: '0', admin: true, via: 'php_admin_value' });
    // php_admin_* beats php_value whatever the order.
    assert.deepEqual(pj.pools.www.php.open_basedir, { value: '/srv', admin: true, via: 'php_admin_value' });
    assert.deepEqual(Object.keys(pj.pools.www.env), ['HOSTNAME']);

    await assert.rejects(c.request('phpIniLint/effectiveConfig', { uri: 'file:///not/open.ini' }), /not open/);
  });

  it('phpIniLint/status and the project config file, re-read when the client reports a change', async () => {
    const cfg = writeFile(dir, 'proj/.php-ini-lint.ini', 'php_version = 8.1\nprofile = development\n[rules]\nsession-use-strict-mode = error\n');
    const f = await openFile('proj/conf/php.ini', '[Session]\nsession.use_strict_mode = 0\n');
    assert.equal(find(f.diags, 'session-use-strict-mode')?.severity, 1);
    assert.deepEqual(await c.request('phpIniLint/status', { uri: f.uri }), { phpVersion: '8.1', phpVersionSource: 'config-file', profile: 'development', configFile: cfg.path });
    fs.writeFileSync(cfg.path, 'php_version = 8.3\n[rules]\nsession-use-strict-mode = off\n');
    const since = c.published.length;
    await c.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: cfg.uri, type: 2 }] });
    const p = await c.nextDiagnostics(f.uri, since);
    assert.equal(find(p, 'session-use-strict-mode'), undefined);
    assert.deepEqual(await c.request('phpIniLint/status', { uri: f.uri }), { phpVersion: '8.3', phpVersionSource: 'config-file', profile: 'production', configFile: cfg.path });
    // Deleted: back to the defaults.
    fs.rmSync(cfg.path);
    await c.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: cfg.uri, type: 3 }] });
    const defaults = resolveOptions(f.path, {}, undefined);
    assert.equal(defaults.phpVersionSource, 'default');
    assert.deepEqual(await c.request('phpIniLint/status', { uri: f.uri }), { phpVersion: defaults.phpVersion, phpVersionSource: 'default', profile: 'production', configFile: null });
  });

  it('re-lints every open document on a configuration change, with settings per resource', async () => {
    const a = await openFile('etc/php/8.2/fpm/conf.d/70-a.ini', 'session.use_strict_mode = 0\n');
    const b = await openFile('etc/php/8.2/fpm/conf.d/70-b.ini', 'session.use_strict_mode = 0\n');
    assert.ok(find(a.diags, 'session-use-strict-mode'));
    settings = { [a.uri]: { rules: { 'session-use-strict-mode': 'off' } }, [b.uri]: { profile: 'development', rules: { 'session-use-strict-mode': 'error' } } };
    let since = c.published.length;
    const before = c.configurationRequests;
    await c.notify('workspace/didChangeConfiguration', { settings: null });
    const pa = await c.nextDiagnostics(a.uri, since);
    const pb = await c.nextDiagnostics(b.uri, since);
    assert.ok(c.configurationRequests > before, 'settings are pulled again');
    assert.equal(find(pa, 'session-use-strict-mode'), undefined);
    assert.equal(find(pb, 'session-use-strict-mode')?.severity, 1);
    assert.equal(((await c.request('phpIniLint/status', { uri: b.uri })) as { profile: string }).profile, 'development');
    // enable = false clears the diagnostics.
    settings = { [b.uri]: { enable: false } };
    since = c.published.length;
    await c.notify('workspace/didChangeConfiguration', { settings: null });
    const off = await c.nextDiagnostics(b.uri, since);
    assert.deepEqual(off.diagnostics, []);
    assert.equal(await c.request('textDocument/hover', { textDocument: { uri: b.uri }, position: { line: 0, character: 2 } }), null);
    settings = {};
    since = c.published.length;
    await c.notify('workspace/didChangeConfiguration', { settings: null });
    assert.ok(find(await c.nextDiagnostics(b.uri, since), 'session-use-strict-mode'));
  });

  it('folding ranges and document symbols', async () => {
    const text = '; region hardening\n[Session]\nsession.use_strict_mode = 1\n\n; endregion\n[PHP]\n; one\n; two\nexpose_php = Off\n';
    const f = await openFile('etc/php/8.2/fpm/conf.d/60-outline.ini', text);
    const folds = await c.request<Array<{ startLine: number; endLine: number; kind?: string }>>('textDocument/foldingRange', { textDocument: { uri: f.uri } });
    assert.deepEqual(folds, [
      { startLine: 0, endLine: 4, kind: 'region' },
      { startLine: 1, endLine: 2 },
      { startLine: 5, endLine: 8 },
      { startLine: 6, endLine: 7, kind: 'comment' },
    ]);
    const symbols = await c.request<Array<{ name: string; kind: number; children?: Array<{ name: string; detail?: string }> }>>('textDocument/documentSymbol', { textDocument: { uri: f.uri } });
    assert.deepEqual(
      symbols.map((s) => [s.name, s.kind, (s.children ?? []).map((x) => `${x.name}=${x.detail}`)]),
      [
        ['[Session]', 3, ['session.use_strict_mode=1']],
        ['[PHP]', 3, ['expose_php=Off']],
      ],
    );
  });

  it('survives binary garbage, bogus positions and requests for unknown documents', async () => {
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 256);
    const garbage = Buffer.from(Array.from({ length: 65536 }, rand)).toString('latin1');
    const f = await openFile('etc/php/8.2/fpm/conf.d/00-garbage.ini', garbage);
    assert.ok(Array.isArray(f.diags.diagnostics));
    const uri = f.uri;
    for (const position of [
      { line: 0, character: 0 },
      { line: 5, character: 3 },
      { line: 99999, character: 99999 },
    ]) {
      await c.request('textDocument/hover', { textDocument: { uri }, position });
      await c.request('textDocument/completion', { textDocument: { uri }, position });
    }
    await c.request('textDocument/codeAction', { textDocument: { uri }, range: r(0, 0, 99999, 0), context: { diagnostics: [], only: ['source.fixAll'] } });
    await c.request('textDocument/foldingRange', { textDocument: { uri } });
    await c.request('textDocument/documentSymbol', { textDocument: { uri } });
    JSON.parse((await c.request<{ text: string }>('phpIniLint/effectiveConfig', { uri })).text);
    assert.equal(await c.request('textDocument/hover', { textDocument: { uri: 'file:///nowhere.ini' }, position: { line: 0, character: 0 } }), null);
    assert.deepEqual(await c.request('textDocument/codeAction', { textDocument: { uri: 'file:///nowhere.ini' }, range: r(0, 0, 0, 0), context: { diagnostics: [] } }), []);
    // Malformed params are answered, not fatal.
    await c.request('textDocument/hover', { textDocument: { uri }, position: null }).catch(() => undefined);
    await c.request('phpIniLint/status', {}).catch(() => undefined);
    const status = await c.request('phpIniLint/status', { uri });
    assert.equal((status as { phpVersion: string }).phpVersion, '8.2');
    assert.ok(c.alive);
  });

  it('lints a 10 MB php.ini and still answers hovers and fix-all', async function () {
    this.timeout(180000);
    // Debian's php.ini followed by ~77,000 documented DSN entries: big, but shaped like a real file.
    const parts = [fs.readFileSync(DEBIAN_PRODUCTION, 'latin1'), '[PDO]\n'];
    let size = parts[0].length;
    for (let i = 0; size < 10 * 1024 * 1024; i++) {
      const chunk = `; Connection ${i}: reporting database for tenant ${i}\npdo.dsn.tenant${i} = "mysql:host=db${i % 97}.internal;dbname=t${i}"\n`;
      parts.push(chunk);
      size += chunk.length;
    }
    const text = parts.join('');
    const t0 = Date.now();
    const f = await openFile('etc/php/8.2/apache2/php.ini', text, 'php-ini', 90000);
    const elapsed = Date.now() - t0;
    assert.ok(elapsed < 60000, `took ${elapsed} ms`);
    assert.deepEqual(essentials(f.diags), engineDiagnostics(text, f.path));
    const hv = await c.request<HoverLike>('textDocument/hover', { textDocument: { uri: f.uri }, position: { line: 1382, character: 3 } });
    assert.ok(hv.contents.value.includes('session-use-strict-mode'));
    const lastLine = text.split('\n').length - 2;
    const tail = await c.request<HoverLike>('textDocument/hover', { textDocument: { uri: f.uri }, position: { line: lastLine, character: 3 } });
    assert.ok(tail.contents.value.includes('pdo.dsn'), tail.contents.value);
    const actions = await c.request<CodeActionLike[]>('textDocument/codeAction', { textDocument: { uri: f.uri }, range: r(0, 0, 0, 0), context: { diagnostics: [], only: ['source.fixAll'] } });
    assert.equal(actions.length, 1);
    for (const e of editsFor(actions[0].edit, f.uri)) assert.ok(e.range.end.line - e.range.start.line <= 1, 'minimal line edits');
    await c.close(f.uri);
  });

  it('clears diagnostics when a document closes', async () => {
    const f = await openFile('etc/php/8.2/fpm/conf.d/50-close.ini', 'session.use_strict_mode = 0\n');
    assert.ok(f.diags.diagnostics.length);
    const since = c.published.length;
    await c.close(f.uri);
    const p = await c.nextDiagnostics(f.uri, since);
    assert.deepEqual(p.diagnostics, []);
  });
});

describe('language server with a minimal client (no configuration requests, no related information)', function () {
  this.timeout(30000);
  let c: LspClient;
  let dir: string;

  before(async () => {
    dir = tempDir();
    c = await LspClient.start({ capabilities: { textDocument: {}, workspace: {} } });
  });

  after(async () => {
    await c?.stop();
    cleanup(dir);
  });

  it('uses pushed settings, folds related information into the message, and edits with `changes`', async () => {
    assert.equal(c.registrations.length, 0);
    const f = writeFile(dir, 'etc/php/8.2/fpm/conf.d/90-crafted.ini', CRAFTED);
    await c.open(f.uri, CRAFTED);
    const p = await c.nextDiagnostics(f.uri, 0);
    assert.equal(c.configurationRequests, 0);
    const dup = find(p, 'duplicate-directive', 3);
    assert.ok(dup);
    assert.equal(dup.relatedInformation, undefined);
    assert.equal(dup.codeDescription, undefined);
    assert.equal(dup.tags, undefined);
    assert.match(dup.message, /\nLine 5: memory_limit/);
    const actions = await c.request<CodeActionLike[]>('textDocument/codeAction', { textDocument: { uri: f.uri }, range: r(2, 0, 2, 1), context: { diagnostics: [] } });
    const fix = actions.find((a) => a.title === 'Set session.use_strict_mode to On');
    assert.ok(fix?.edit?.changes?.[f.uri]);
    assert.equal(fix.edit.documentChanges, undefined);

    const since = c.published.length;
    await c.notify('workspace/didChangeConfiguration', { settings: { phpIniLint: { rules: { 'session-use-strict-mode': 'off' } } } });
    const after = await c.nextDiagnostics(f.uri, since);
    assert.equal(find(after, 'session-use-strict-mode'), undefined);
    const h = await c.request<HoverLike>('textDocument/hover', { textDocument: { uri: f.uri }, position: { line: 3, character: 2 } });
    assert.equal(h.contents.kind, 'plaintext');
    assert.ok(h.contents.value.startsWith('memory_limit — '), h.contents.value);
    assert.ok(!/\*\*|`/.test(h.contents.value), h.contents.value);
    const symbols = await c.request<Array<{ name: string; location?: unknown; containerName?: string }>>('textDocument/documentSymbol', { textDocument: { uri: f.uri } });
    assert.ok(symbols.every((s) => s.location), 'flat SymbolInformation');
    assert.ok(symbols.some((s) => s.name === 'session.use_strict_mode' && s.containerName === '[Session]'));
  });
});

describe('language server over node IPC (the transport the VS Code client uses)', function () {
  this.timeout(30000);
  it('initializes and publishes diagnostics', async () => {
    const proc = fork(SERVER_JS, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const conn = createMessageConnection(new IPCMessageReader(proc), new IPCMessageWriter(proc));
    const got = new Promise<PublishDiagnosticsParams>((resolve) => conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => resolve(p)));
    conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => ({})));
    conn.onRequest('client/registerCapability', () => null);
    conn.listen();
    try {
      const init = await conn.sendRequest<{ capabilities: Record<string, unknown> }>('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } } });
      assert.deepEqual(init.capabilities.textDocumentSync, { openClose: true, change: 2 });
      await conn.sendNotification('initialized', {});
      await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: 'untitled:ipc', languageId: 'php-ini', version: 1, text: 'session.use_strict_mode = 0\n' } });
      const p = await got;
      assert.ok(p.diagnostics.some((d) => d.code === 'session-use-strict-mode' && d.range.start.line === 0));
      await conn.sendRequest('shutdown');
      await conn.sendNotification('exit');
    } finally {
      conn.dispose();
      if (proc.exitCode === null) proc.kill();
    }
  });
});
