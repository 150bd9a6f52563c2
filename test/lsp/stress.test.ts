// The language server under abuse: rapid edits, open/close storms, binary content, a 10 MB file, stale
// and cancelled requests. It must answer everything, never die, and give memory back when documents close.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { CORPUS, LspClient } from './harness';

const DEBIAN = `${CORPUS}/debian-bookworm-php8.2/php.ini-production`;
const uri = (n: number | string) => `file:///stress/etc/php/8.2/fpm/conf.d/${n}.ini`;

function rss(client: LspClient): number {
  const status = fs.readFileSync(`/proc/${client.proc.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function alive(client: LspClient, docUri: string): Promise<void> {
  // A real request must still be answered (not a crash, not a hang).
  const r = await client.conn.sendRequest('textDocument/documentSymbol', { textDocument: { uri: docUri } });
  assert.ok(Array.isArray(r), 'documentSymbol answered');
  assert.equal(client.proc.exitCode, null, `server exited: ${client.stderr}`);
}

describe('language server under stress', function () {
  this.timeout(120000);
  let client: LspClient;
  const base = fs.existsSync(DEBIAN) ? fs.readFileSync(DEBIAN, 'utf8') : '[Session]\nsession.use_strict_mode = 0\n'.repeat(500);

  before(async () => {
    client = await LspClient.start();
  });
  after(async () => {
    await client.stop();
  });

  it('answers after 3,000 rapid one-character edits and publishes diagnostics for the last version only', async () => {
    const u = uri('rapid');
    await client.open(u, base);
    const line = base.split('\n').findIndex((l) => l.startsWith('session.use_strict_mode'));
    let version = 1;
    for (let i = 0; i < 3000; i++) {
      version++;
      void client.change(u, version, [{ range: { start: { line, character: 0 }, end: { line, character: i % 2 ? 1 : 0 } }, text: i % 2 ? '' : ' ' }]);
    }
    const final = await client.waitFor(() => client.published.find((p) => p.uri === u && p.version === version), 30000, 'diagnostics of the last version');
    assert.ok(final.diagnostics.some((d) => d.code === 'session-use-strict-mode'));
    // Nothing older than the newest published version may come after it.
    const mine = client.published.filter((p) => p.uri === u && p.version !== undefined);
    for (let i = 1; i < mine.length; i++) assert.ok((mine[i].version ?? 0) >= (mine[i - 1].version ?? 0), 'versions never go backwards');
    await alive(client, u);
    await client.close(u);
  });

  it('survives an open/close storm of 300 documents and releases them', async () => {
    const before = rss(client);
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 100; i++) void client.open(uri(`storm-${round}-${i}`), base);
      for (let i = 0; i < 100; i++) void client.close(uri(`storm-${round}-${i}`));
    }
    const u = uri('after-storm');
    await client.open(u, '[Session]\nsession.use_strict_mode = 0\n');
    await client.nextDiagnostics(u, 0, (p) => p.diagnostics.length > 0, 30000);
    await alive(client, u);
    await client.close(u);
    // Every closed document ends with its diagnostics cleared.
    const last = new Map<string, number>();
    for (const p of client.published) last.set(p.uri, p.diagnostics.length);
    for (let round = 0; round < 3; round++) for (let i = 0; i < 100; i++) assert.equal(last.get(uri(`storm-${round}-${i}`)) ?? 0, 0);
    if (global.gc) global.gc();
    assert.ok(rss(client) < before + 80, `resident memory grew from ${before.toFixed(0)} MB to ${rss(client).toFixed(0)} MB`);
  });

  it('copes with a file replaced by binary content and with a 10 MB file, then returns near its baseline memory', async () => {
    const u = uri('binary');
    await client.open(u, base);
    let bytes = '';
    let seed = 7;
    for (let i = 0; i < 200_000; i++) bytes += String.fromCharCode((seed = (seed * 1103515245 + 12345) >>> 0) % 256);
    await client.change(u, 2, [{ text: bytes }]);
    await client.waitFor(() => client.published.find((p) => p.uri === u && p.version === 2), 30000, 'diagnostics of the binary text');
    await alive(client, u);
    await client.close(u);

    const baseline = rss(client);
    const big = uri('big');
    await client.open(big, base.repeat(Math.ceil((10 * 1024 * 1024) / base.length)));
    await client.waitFor(() => client.published.find((p) => p.uri === big && p.diagnostics.length > 0), 60000, 'diagnostics of the 10 MB file');
    const hover = await client.conn.sendRequest('textDocument/hover', { textDocument: { uri: big }, position: { line: 1500, character: 2 } });
    assert.notEqual(hover, undefined);
    await client.close(big);
    // Let the collector run: the document, its parse and its diagnostics must all be released.
    await new Promise((r) => setTimeout(r, 1500));
    await alive(client, uri('after-storm'));
    assert.ok(rss(client) < baseline + 120, `after closing the 10 MB file: ${rss(client).toFixed(0)} MB, baseline ${baseline.toFixed(0)} MB`);
  });

  it('answers requests for versions it no longer has and cancelled requests without dying', async () => {
    const u = uri('stale');
    await client.open(u, base);
    await client.change(u, 2, [{ text: '[Session]\nsession.use_strict_mode = 0\n' }]);
    // Positions far past the end of the (now short) document, as a client with a stale view would send.
    const stale = await client.conn.sendRequest('textDocument/hover', { textDocument: { uri: u }, position: { line: 1800, character: 4 } });
    assert.ok(stale === null || typeof stale === 'object');
    const actions = await client.conn.sendRequest('textDocument/codeAction', {
      textDocument: { uri: u },
      range: { start: { line: 1900, character: 0 }, end: { line: 1950, character: 0 } },
      context: { diagnostics: [] },
    });
    assert.ok(actions === null || Array.isArray(actions));
    // Cancel a burst of requests right after sending them.
    const { CancellationTokenSource } = await import('vscode-jsonrpc');
    const pending: Array<Promise<unknown>> = [];
    for (let i = 0; i < 200; i++) {
      const source = new CancellationTokenSource();
      pending.push(client.conn.sendRequest('textDocument/hover', { textDocument: { uri: u }, position: { line: 1, character: 3 } }, source.token).catch(() => 'cancelled'));
      source.cancel();
    }
    await Promise.all(pending);
    // Requests for a document that is not open get an answer too.
    const unknown = await client.conn.sendRequest('textDocument/hover', { textDocument: { uri: uri('never-opened') }, position: { line: 0, character: 0 } }).catch(() => 'error');
    assert.ok(unknown === null || unknown === 'error' || typeof unknown === 'object');
    await alive(client, u);
    await client.close(u);
  });
});
