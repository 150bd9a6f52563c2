#!/usr/bin/env node
// Benchmarks php-ini-lint against its targets and prints a table of medians (with min–max) over
// repeated runs after warm-up. Figures, not assertions: run `npm run bench` and read them.
'use strict';
const { fork, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.join(__dirname, '..');
const e = require(path.join(root, 'out', 'server', 'src', 'engine'));
const corpus = process.env.PHP_INI_LINT_CORPUS || path.join(root, '..', 'shared', 'corpus');
const debianIni = path.join(corpus, 'debian-bookworm-php8.2', 'php.ini-production');
const quick = process.argv.includes('--quick');
// `--only lsp` runs just the named sections (lint, big, cli, lsp; comma-separated); the default runs all.
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg >= 0 ? new Set((process.argv[onlyArg + 1] || '').split(',')) : undefined;
const section = (name) => !only || only.has(name);
// `--node PATH` runs the CLI rows (and the Node start-up row) under that Node binary instead of this one:
// users run the CLI under whatever Node their CI has, and V8 and Node's start-up differ a lot between
// releases. Everything else runs in this process.
const nodeArg = process.argv.indexOf('--node');
if (nodeArg >= 0 && !process.argv[nodeArg + 1]) {
  console.error('bench: --node needs the path of a Node binary');
  process.exit(2);
}
const cliNode = nodeArg >= 0 ? path.resolve(process.argv[nodeArg + 1]) : process.execPath;
const cliNodeVersion = cliNode === process.execPath ? process.version : spawnSync(cliNode, ['--version'], { encoding: 'utf8' }).stdout?.trim();
if (!cliNodeVersion) {
  console.error(`bench: cannot run ${cliNode} --version`);
  process.exit(2);
}

const rows = [];
function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1], n: s.length };
}
function fmt(ms) {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(3)} ms`;
}
function time(fn, { warmup = 20, runs = 100 } = {}) {
  for (let i = 0; i < warmup; i++) fn();
  const out = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    fn();
    out.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return stats(out);
}
function row(what, st, target, extra = '') {
  rows.push({ what, value: `${fmt(st.median)} (${fmt(st.min)}–${fmt(st.max)}, n=${st.n})`, target, extra });
}
function plain(what, value, target, extra = '') {
  rows.push({ what, value, target, extra });
}

const generated = new Map();
/** A php.ini of about `bytes`, built once per size (the 10 MB one is used twice). */
function generateIni(bytes) {
  let text = generated.get(bytes);
  if (text !== undefined) return text;
  const base = fs.readFileSync(debianIni, 'utf8');
  const parts = [];
  let length = 0;
  for (let i = 0; length < bytes; i++) {
    // Vary keys so the model really grows instead of overwriting one setting.
    const part = base.replace(/^([a-z_.]+)(\s*=)/gm, (_m, k, eq) => `${k}${i % 7 === 0 ? '' : `_${i}`}${eq}`);
    parts.push(part);
    length += part.length;
  }
  text = parts.join('').slice(0, bytes);
  // Cut at the last whole line (lastIndexOf: a /[^\n]*$/ replace rescans the 10 MB string per start position).
  text = text.slice(0, text.lastIndexOf('\n') + 1);
  generated.set(bytes, text);
  return text;
}

// ---------------------------------------------------------------------------------------------
// 1. In-process full lint of Debian's php.ini-production

const debianText = fs.readFileSync(debianIni, 'utf8');
const opts = e.resolveOptions('/etc/php/8.2/fpm/php.ini', {}, undefined);

function lintBench() {
  const full = time(() => e.lint(e.parse(debianText, { phpVersion: opts.phpVersion }), opts), { warmup: 200, runs: quick ? 200 : 1000 });
  row(`Full lint (parse + ${e.allRules.length} rules), Debian php.ini-production (${debianText.split('\n').length} lines, ${(debianText.length / 1024).toFixed(0)} KB), warm`, full, '< 1 ms');
  const parseOnly = time(() => e.parse(debianText, { phpVersion: opts.phpVersion }), { warmup: 200, runs: quick ? 200 : 1000 });
  row('  of which parse', parseOnly, '');
  const doc = e.parse(debianText, { phpVersion: opts.phpVersion });
  row('  fix-all on the same file', time(() => e.fixAll(doc, opts), { warmup: 20, runs: quick ? 50 : 200 }), '');
}

// ---------------------------------------------------------------------------------------------
// 2. Big files: linear growth

function bigBench() {
  const series = [];
  for (const [label, size] of [['0.1 MB', 100 * 1024], ['1 MB', 1024 * 1024], ['10 MB', 10 * 1024 * 1024]]) {
    const text = generateIni(size);
    const runs = size > 5e6 ? (quick ? 3 : 7) : quick ? 10 : 30;
    const st = time(() => e.lint(e.parse(text, { phpVersion: '8.2' }), opts), { warmup: 2, runs });
    series.push({ label, size, st });
    row(`Full lint of a generated ${label} php.ini`, st, label === '1 MB' ? '< 30 ms' : label === '10 MB' ? '< 300 ms' : '');
  }
  const perMB = series.map((s) => (s.st.median / (s.size / 1024 / 1024)).toFixed(1));
  plain('  time per MB over 0.1 / 1 / 10 MB (flat = linear)', perMB.map((x) => `${x} ms/MB`).join(' / '), 'linear');
}

// ---------------------------------------------------------------------------------------------
// 3. CLI throughput against a PHP floor

function copies(n) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'php-ini-lint-bench-'));
  const files = [];
  const walk = (d) => fs.readdirSync(d, { withFileTypes: true }).flatMap((x) => (x.isDirectory() ? walk(path.join(d, x.name)) : [path.join(d, x.name)]));
  const sources = walk(corpus).filter((f) => /\.ini$|php\.ini-/.test(f));
  for (let i = 0; i < n; i++) {
    const src = sources[i % sources.length];
    const sub = path.join(dir, `c${Math.floor(i / 100)}`, 'conf.d');
    fs.mkdirSync(sub, { recursive: true });
    const f = path.join(sub, `${i}-${path.basename(src).replace(/[^a-z0-9.]/gi, '_')}.ini`);
    fs.copyFileSync(src, f);
    files.push(f);
  }
  return { dir, files };
}
function cliBench() {
  const cli = path.join(root, 'bin', 'php-ini-lint.js');
  const hasPhp = spawnSync('php', ['-v']).status === 0;
  // A code cache of the bench's own: the first run below starts without one, as on a fresh machine.
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'php-ini-lint-bench-cache-'));
  const env = { ...process.env, PHP_INI_LINT_CODE_CACHE: cacheDir };
  const runCli = (dir) => {
    const t = process.hrtime.bigint();
    spawnSync(cliNode, [cli, '--format', 'json', dir], { stdio: 'ignore', env });
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  for (const n of quick ? [100] : [100, 1000]) {
    const { dir, files } = copies(n);
    const first = n === 100 ? runCli(dir) : undefined;
    // This VM's speed drifts by up to 2x within a minute, so the CLI's runs are interleaved with the
    // PHP floor's: the floor is one pass over the files, cut into as many chunks as there are CLI runs,
    // and each CLI run follows a chunk. Both figures then come from the same stretch of time.
    const runs = n === 100 ? 7 : 5;
    const cliRuns = [];
    let phpMs = 0;
    for (let r = 0; r < runs; r++) {
      if (hasPhp) {
        const t = process.hrtime.bigint();
        for (const f of files.slice(Math.floor((r * n) / runs), Math.floor(((r + 1) * n) / runs))) spawnSync('php', ['-n', '-c', f, '-r', ''], { stdio: 'ignore' });
        phpMs += Number(process.hrtime.bigint() - t) / 1e6;
      }
      cliRuns.push(runCli(dir));
    }
    const c = stats(cliRuns);
    row(`CLI over ${n} files (corpus copies), one process`, c, n === 100 ? '≥ 5× faster than PHP' : '≥ 20× faster than PHP');
    if (first !== undefined) plain('  first run on a machine (no code cache yet)', fmt(first), '');
    if (hasPhp) {
      const cold = first !== undefined ? `; first run ${(phpMs / first).toFixed(1)}×` : '';
      plain(`  PHP floor: php -n -c FILE -r '' once per file (${n} files, between the CLI runs)`, fmt(phpMs), '', `ratio ${(phpMs / c.median).toFixed(1)}×${cold}`);
    } else plain('  PHP floor', 'php not installed', '');
    fs.rmSync(dir, { recursive: true, force: true });
  }
  fs.rmSync(cacheDir, { recursive: true, force: true });
  nodeStartup();
}

/**
 * What starting Node itself costs here: part of every CLI figure above, and outside the tool's control.
 * NODE_EXTRA_CA_CERTS makes Node 20 parse those certificates (and its own bundled ones) at every start,
 * whether or not the process ever opens a TLS connection, which the CLI never does; Node 24 (measured
 * here) starts just as fast with it as without.
 */
function nodeStartup() {
  const startup = (env) => {
    const runs = [];
    for (let i = 0; i < 7; i++) {
      const t = process.hrtime.bigint();
      spawnSync(cliNode, ['-e', '0'], { stdio: 'ignore', env });
      runs.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    return stats(runs);
  };
  const asIs = startup(process.env);
  const { NODE_EXTRA_CA_CERTS: certs, ...without } = process.env;
  const note = certs ? `NODE_EXTRA_CA_CERTS is set here; without it: ${fmt(startup(without).median)}` : '';
  plain('  Node start-up alone (node -e 0), included in the CLI rows', fmt(asIs.median), '', note);
}

// ---------------------------------------------------------------------------------------------
// 4. The language server through the protocol

/** How long the benchmark leaves the server idle before reading its resident memory. */
const SETTLE_MS = 3000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function lspBench() {
  // The shipped bundle, started the way the extension starts it.
  const serverJs = path.join(root, 'dist', 'extension.js');
  if (!fs.existsSync(serverJs)) {
    plain('Language server', 'not built', '');
    return;
  }
  const rpc = require('vscode-languageserver-protocol/node');
  // As vscode-languageclient forks it for TransportKind.ipc, with the client's flags and environment.
  const { SERVER_ENV, SERVER_EXEC_ARGV } = require(path.join(root, 'out', 'client', 'src', 'serverArgs'));
  const proc = fork(serverJs, ['--php-ini-lint-server', '--node-ipc', `--clientProcessId=${process.pid}`], {
    execArgv: [...SERVER_EXEC_ARGV],
    env: { ...process.env, ...SERVER_ENV, PHP_INI_LINT_DEBOUNCE_MS: '0' },
    silent: true,
  });
  proc.stderr.pipe(process.stderr);
  const conn = rpc.createProtocolConnection(new rpc.IPCMessageReader(proc), new rpc.IPCMessageWriter(proc));
  const waiters = new Map();
  conn.onNotification('textDocument/publishDiagnostics', (p) => {
    const w = waiters.get(p.uri);
    if (w && (p.version === undefined || p.version >= w.version)) {
      waiters.delete(p.uri);
      w.resolve(p);
    }
  });
  conn.onRequest('workspace/configuration', (p) => p.items.map(() => ({})));
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.listen();
  await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true } } } });
  conn.sendNotification('initialized', {});
  const wait = (uri, version) => new Promise((resolve) => waiters.set(uri, { version, resolve }));
  const rss = () => {
    try {
      return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${proc.pid}/status`, 'utf8'))[1]) / 1024;
    } catch {
      return NaN;
    }
  };
  const uri = 'file:///etc/php/8.2/fpm/php.ini';
  let version = 1;
  let p = wait(uri, 1);
  conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'php-ini', version, text: debianText } });
  await p;
  const lines = debianText.split('\n');
  const target = lines.findIndex((l) => l.startsWith('session.use_strict_mode'));
  const change = [];
  for (let i = 0; i < (quick ? 50 : 200); i++) {
    version++;
    p = wait(uri, version);
    const t = process.hrtime.bigint();
    conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range: { start: { line: target, character: 0 }, end: { line: target, character: 0 } }, text: i % 2 ? '' : ' ' }],
    });
    await p;
    change.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  row('LSP: didChange of one character → publishDiagnostics (Debian php.ini, debounce off)', stats(change.slice(10)), '< 5 ms');
  const hover = [];
  const actions = [];
  for (let i = 0; i < (quick ? 50 : 200); i++) {
    let t = process.hrtime.bigint();
    await conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: target, character: 3 } });
    hover.push(Number(process.hrtime.bigint() - t) / 1e6);
    t = process.hrtime.bigint();
    await conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: target, character: 0 }, end: { line: target, character: 5 } }, context: { diagnostics: [] } });
    actions.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  row('LSP: hover request', stats(hover.slice(10)), '< 2 ms');
  row('LSP: code action request', stats(actions.slice(10)), '< 2 ms');
  // Resident memory once the server has gone quiet (as it is between bursts of typing), and in the
  // extra column right after the burst of requests.
  const busy = rss();
  await sleep(SETTLE_MS);
  plain('LSP: server resident memory with the Debian php.ini open', `${rss().toFixed(0)} MB`, '< 60 MB', `right after the requests: ${busy.toFixed(0)} MB`);
  const big = generateIni(10 * 1024 * 1024);
  const bigUri = 'file:///tmp/big/php.ini';
  p = wait(bigUri, 1);
  const t = process.hrtime.bigint();
  conn.sendNotification('textDocument/didOpen', { textDocument: { uri: bigUri, languageId: 'php-ini', version: 1, text: big } });
  await p;
  plain('LSP: open a 10 MB php.ini → diagnostics', fmt(Number(process.hrtime.bigint() - t) / 1e6), '');
  const opened = rss();
  await sleep(SETTLE_MS);
  plain('LSP: server resident memory after opening the 10 MB file', `${rss().toFixed(0)} MB`, '< 100 MB', `right after its diagnostics: ${opened.toFixed(0)} MB`);
  conn.sendNotification('textDocument/didClose', { textDocument: { uri: bigUri } });
  await conn.sendRequest('shutdown');
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  await conn.sendNotification('exit');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2000))]);
  conn.dispose();
  proc.kill();
}

// ---------------------------------------------------------------------------------------------

function staticFacts() {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  plain('Extension activation events', (pkg.activationEvents || []).join(', ') || '(none)', 'on language only');
  const vsix = fs.readdirSync(root).filter((f) => f.endsWith('.vsix'));
  if (vsix.length) plain(`.vsix size (${vsix[0]})`, `${(fs.statSync(path.join(root, vsix[0])).size / 1024).toFixed(0)} KB`, '< 250 KB');
  else plain('.vsix size', 'not packaged (run npm run package)', '< 250 KB');
}

(async () => {
  if (section('lint')) lintBench();
  if (section('big')) bigBench();
  if (section('cli')) cliBench();
  if (section('lsp')) await lspBench().catch((err) => plain('Language server', `failed: ${err.message}`, ''));
  staticFacts();
  const cpu = os.cpus();
  console.log(`php-ini-lint benchmark — ${new Date().toISOString()}`);
  console.log(`Machine: ${cpu[0] ? cpu[0].model.trim() : 'unknown CPU'}, ${cpu.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}${cliNode === process.execPath ? '' : ` (CLI rows: Node ${cliNodeVersion}, ${cliNode})`}; ${os.platform()} ${os.release()}\n`);
  const w1 = Math.max(...rows.map((r) => r.what.length));
  const w2 = Math.max(...rows.map((r) => r.value.length));
  for (const r of rows) console.log(`${r.what.padEnd(w1)}  ${r.value.padEnd(w2)}  ${r.target ? `target ${r.target}` : ''}${r.extra ? `  ${r.extra}` : ''}`);
})();
