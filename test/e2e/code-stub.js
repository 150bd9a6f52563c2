#!/usr/bin/env node
/*
 * Stand-in for the VS Code executable, for @vscode/test-electron's runTests().
 *
 * runTests() spawns this file with the usual desktop arguments
 * (--extensionDevelopmentPath=, --extensionTestsPath=, --user-data-dir=,
 * --extensions-dir=, a folder to open, ...). Instead of Electron we run the same
 * tests in a real VS Code 1.139.1: code-server 4.139.1 (its Node extension host
 * loads the extension under development and the mocha suite) with its web
 * workbench opened in headless Chromium, driven by playwright-core.
 * See shared/reference/real-vscode.md. Tools come from .cache/vscode-tools/
 * (scripts/setup-vscode.sh), or from the env overrides CODE_SERVER_BIN,
 * NODE24_BIN, CHROMIUM_BIN.
 *
 * Env: E2E_TIMEOUT_MS (default 300000), E2E_VERBOSE=1 (stream code-server's
 * and the page's own output, and the workbench log lines hidden as noise),
 * E2E_LOG_DIR (write the browser side's logs there at exit). The extension
 * host's logs (the extension's output channel, activation errors) are on the
 * server side: <user-data-dir>/logs/<time>/exthost1/ (.vscode-test/user-data/ by
 * default).
 *
 * Exit code: the one VS Code reports when the tests finish (0 = all passed);
 * 1 on any harness failure or timeout.
 */
'use strict';

const cp = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const util = require('util');

// Tool locations and the loopback helpers are shared with the workbench driver (vsix smoke, screenshots).
const { REPO_ROOT, NODE24_BIN, CODE_SERVER_BIN, CHROMIUM_BIN, CHROMIUM_ARGS, freePort, httpStatus, sleep } = require('./workbench-driver');
const TIMEOUT_MS = Number(process.env.E2E_TIMEOUT_MS) || 5 * 60 * 1000;
const VERBOSE = /^(1|true|yes)$/i.test(process.env.E2E_VERBOSE || '');

// Workbench log messages that are not test output (start of the message).
const WORKBENCH_NOISE = [
  /^Resolving connection token /,
  /^Resolved connection token /,
  /^Creating a socket \(/,
  /^\[reconnection-grace-time\]/,
  /^Ignoring fetching additional builtin extensions/,
  /^Updating additional builtin extensions cache/,
  /^\[Service Worker\]/,
  /^\[AgentHost/,
  /^\[AccountPolicyGate\]/,
  /^\[ChatModelSelection\]/,
  /^Creation of workbench contribution '[^']*' took \d+ms/,
  /^Timed out waiting for authentication provider/,
  /^Canceled: Canceled/,
];

const t0 = Date.now();
function note(msg) {
  process.stderr.write(`[code-stub ${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}\n`);
}

// ------------------------------------------------------------------ arguments
function parseArgs(argv) {
  const out = { extensionDevelopmentPaths: [], extensionTestsPath: undefined, userDataDir: undefined,
    extensionsDir: undefined, open: undefined, ignored: [] };
  const valued = new Set(['--extensionDevelopmentPath', '--extensionTestsPath', '--user-data-dir', '--extensions-dir']);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    let name = arg;
    let value;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      if (eq > 0) {
        name = arg.slice(0, eq);
        value = arg.slice(eq + 1);
      } else if (valued.has(arg) && i + 1 < argv.length) {
        value = argv[++i];
      }
    } else {
      if (out.open === undefined) out.open = path.resolve(arg);
      else out.ignored.push(arg);
      continue;
    }
    switch (name) {
      case '--extensionDevelopmentPath': out.extensionDevelopmentPaths.push(path.resolve(value)); break;
      case '--extensionTestsPath': out.extensionTestsPath = path.resolve(value); break;
      case '--user-data-dir': out.userDataDir = path.resolve(value); break;
      case '--extensions-dir': out.extensionsDir = path.resolve(value); break;
      default: out.ignored.push(arg);
    }
  }
  return out;
}

// ------------------------------------------------------------------ helpers
/** Keeps the last lines of a stream for the failure report; optionally echoes them. */
function tail(stream, label, keep = 60) {
  const lines = [];
  let buf = '';
  stream.setEncoding('utf8');
  stream.on('data', (d) => {
    buf += d;
    const parts = buf.split('\n');
    buf = parts.pop();
    for (const line of parts) {
      if (VERBOSE) process.stderr.write(`[${label}] ${line}\n`);
      lines.push(line);
      if (lines.length > keep) lines.shift();
    }
  });
  return lines;
}

/**
 * User settings of the test profile that keep the offline workbench quiet (no
 * marketplace queries, no chat/agent features logging to the test output). Keys
 * already in the profile's settings.json are left as they are; workspace settings
 * (test/e2e/workspace/.vscode/settings.json) override these anyway.
 */
const QUIET_SETTINGS = {
  'chat.disableAIFeatures': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'workbench.enableExperiments': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
};

function writeQuietSettings(userDataDir) {
  const file = path.join(userDataDir, 'User', 'settings.json');
  let current = {};
  if (fs.existsSync(file)) {
    try {
      current = JSON.parse(fs.readFileSync(file, 'utf8') || '{}');
    } catch {
      return; // JSONC or hand-edited: leave it alone
    }
  }
  const merged = { ...QUIET_SETTINGS, ...current };
  if (JSON.stringify(merged) === JSON.stringify(current)) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(merged, null, 2)}\n`);
}

// ------------------------------------------------------------------ main
const state = { child: undefined, browser: undefined, tmp: undefined, cleaning: undefined };

async function cleanup() {
  if (state.cleaning) return state.cleaning;
  state.cleaning = (async () => {
    if (state.browser) {
      await Promise.race([state.browser.close().catch(() => {}), sleep(5000)]);
    }
    const child = state.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((r) => child.once('exit', r));
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
      if (await Promise.race([gone.then(() => true), sleep(3000).then(() => false)]) === false) {
        try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
        await Promise.race([gone, sleep(2000)]);
      }
    } else if (child) {
      // code-server itself is gone; its extension host may not be.
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* nothing left */ }
    }
    if (state.tmp) fs.rmSync(state.tmp, { recursive: true, force: true });
  })();
  return state.cleaning;
}

async function startCodeServer(opts, tmp, port) {
  const configFile = path.join(tmp, `config-${port}.yaml`);
  fs.writeFileSync(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const args = [
    '--config', configFile,
    '--user-data-dir', opts.userDataDir,
    '--extensions-dir', opts.extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--ignore-last-opened',
    // Essential: without it the workbench loads but never runs extensionTestsPath.
    '--vscode-option', 'enable-smoke-test-driver',
  ];
  const env = { ...process.env };
  // Variables code-server would obey instead of our config, or that would make it
  // act as a CLI for some other running instance.
  for (const k of Object.keys(env)) {
    if (/^(VSCODE_|CODE_SERVER_|ELECTRON_)/.test(k)) delete env[k];
  }
  for (const k of ['PORT', 'PASSWORD', 'HASHED_PASSWORD', 'GITHUB_TOKEN', 'NODE_OPTIONS']) delete env[k];
  env.PATH = `${path.dirname(NODE24_BIN)}${path.delimiter}${process.env.PATH || ''}`;
  // No marketplace: the machines are offline, and queries only log errors.
  if (env.EXTENSIONS_GALLERY === undefined) env.EXTENSIONS_GALLERY = '{}';
  env.XDG_CONFIG_HOME = path.join(tmp, 'xdg-config');
  env.XDG_DATA_HOME = path.join(tmp, 'xdg-data');
  const isJs = /\.[cm]?js$/.test(CODE_SERVER_BIN);
  const child = cp.spawn(isJs ? NODE24_BIN : CODE_SERVER_BIN, isJs ? [CODE_SERVER_BIN, ...args] : args, {
    env,
    cwd: REPO_ROOT,
    detached: true, // own process group, so the extension host and its children die with it
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  state.child = child;
  const output = tail(child.stdout, 'code-server');
  const errput = tail(child.stderr, 'code-server');
  let exited = false;
  child.once('exit', () => { exited = true; });
  child.once('error', (e) => { exited = true; output.push(String(e)); });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (exited) {
      return { ok: false, output: [...output, ...errput] };
    }
    if ((await httpStatus(`${base}/healthz`)) === 200) return { ok: true, base };
    await sleep(200);
  }
  return { ok: false, output: [...output, ...errput, 'no /healthz answer within 90 s'] };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.extensionDevelopmentPaths.length === 0) throw new Error('no --extensionDevelopmentPath given');
  if (!opts.extensionTestsPath) throw new Error('no --extensionTestsPath given');
  for (const [what, p] of [['Node 24 (NODE24_BIN)', NODE24_BIN], ['code-server (CODE_SERVER_BIN)', CODE_SERVER_BIN],
    ['Chromium (CHROMIUM_BIN)', CHROMIUM_BIN]]) {
    if (!fs.existsSync(p)) throw new Error(`${what} not found at ${p}: run \`bash scripts/setup-vscode.sh\` first`);
  }
  if (VERBOSE && opts.ignored.length) note(`ignoring arguments: ${opts.ignored.join(' ')}`);

  state.tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'php-ini-lint-e2e-'));
  opts.userDataDir = opts.userDataDir || path.join(state.tmp, 'user-data');
  opts.extensionsDir = opts.extensionsDir || path.join(state.tmp, 'extensions');
  fs.mkdirSync(opts.userDataDir, { recursive: true });
  fs.mkdirSync(opts.extensionsDir, { recursive: true });
  writeQuietSettings(opts.userDataDir);

  // 1. code-server on a free loopback port (retry if someone grabbed the port meanwhile).
  let started;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await freePort();
    started = await startCodeServer(opts, state.tmp, port);
    if (started.ok) break;
    const text = started.output.join('\n');
    await cleanupChildOnly();
    if (!/EADDRINUSE/.test(text) || attempt === 3) {
      throw new Error(`code-server did not start:\n${text}`);
    }
  }
  const base = started.base;
  const authority = new URL(base).host;
  note(`code-server ready at ${base}`);

  // 2. the workbench in headless Chromium, with the test payload.
  const params = new URLSearchParams();
  if (opts.open) {
    const st = fs.statSync(opts.open);
    if (st.isDirectory()) params.set('folder', opts.open);
    else if (opts.open.endsWith('.code-workspace')) params.set('workspace', opts.open);
    else params.set('folder', path.dirname(opts.open));
  }
  const payload = [
    ...opts.extensionDevelopmentPaths.map((p) => ['extensionDevelopmentPath', `vscode-remote://${authority}${p}`]),
    ['extensionTestsPath', `vscode-remote://${authority}${opts.extensionTestsPath}`],
  ];
  params.set('payload', JSON.stringify(payload));
  const url = `${base}/?${params.toString()}`;

  const { chromium } = require('playwright-core');
  // Our own signal handlers close the browser and code-server (Playwright's would exit(130) first).
  state.browser = await chromium.launch({
    executablePath: CHROMIUM_BIN, headless: true, args: CHROMIUM_ARGS,
    handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
    // Chromium's crash-report folder goes to XDG_CONFIG_HOME: keep it out of $HOME.
    env: { ...process.env, XDG_CONFIG_HOME: path.join(state.tmp, 'chromium-config') },
  });
  const page = await state.browser.newPage();
  let finish;
  const finished = new Promise((resolve) => { finish = resolve; });
  const pageErrors = [];
  const remember = (line) => {
    if (VERBOSE) process.stderr.write(`[page] ${line}\n`);
    pageErrors.push(line);
    if (pageErrors.length > 40) pageErrors.shift();
  };
  page.on('pageerror', (e) => remember(`pageerror: ${e && e.stack ? e.stack : e}`));
  page.on('console', (m) => { if (m.type() === 'error' || VERBOSE) remember(`console.${m.type()}: ${m.text()}`); });
  page.on('crash', () => {
    remember('page crashed');
    finish({ code: 1, reason: 'the workbench page crashed' });
  });
  state.child.once('exit', (code, signal) => {
    if (!exiting) finish({ code: 1, reason: `code-server exited unexpectedly (${signal || code})` });
  });

  // 3. hooks the workbench's smoke-test driver calls, exposed before navigating.
  // Gets the workbench's log (type: trace/debug/info/warn/error) and, in it, the
  // console output of the tests in the extension host. Workbench housekeeping is
  // dropped unless E2E_VERBOSE=1.
  let hidden = 0;
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const parts = Array.isArray(args) ? args : [args];
    const text = util.format(...parts.map((a) => (typeof a === 'string' ? a : util.inspect(a, { depth: 4 }))));
    if (!VERBOSE && WORKBENCH_NOISE.some((re) => re.test(text))) {
      hidden++;
      return;
    }
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  });
  await page.exposeFunction('codeAutomationExit', (code, logs) => {
    if (process.env.E2E_LOG_DIR && Array.isArray(logs)) {
      for (const { relativePath, contents } of logs) {
        const dest = path.join(process.env.E2E_LOG_DIR, relativePath);
        fs.mkdirSync(path.dirname(dest), { recursive: true });
        fs.writeFileSync(dest, contents);
      }
    }
    finish({ code: typeof code === 'number' ? code : Number(code) || 0 });
  });

  note(`opening the workbench${opts.open ? ` on ${opts.open}` : ''}`);
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 120_000 });

  // 4. wait for the tests (or the overall timeout), then report.
  const remaining = Math.max(1000, TIMEOUT_MS - (Date.now() - t0));
  let timer;
  const timedOut = new Promise((resolve) => { timer = setTimeout(() => resolve({ timeout: true }), remaining); });
  const result = await Promise.race([finished, timedOut]);
  clearTimeout(timer);
  if (result.timeout) {
    note(`TIMEOUT: the tests did not finish within ${Math.round(TIMEOUT_MS / 1000)} s ` +
      '(set E2E_TIMEOUT_MS to change; E2E_VERBOSE=1 shows code-server and page output)');
    if (pageErrors.length) note(`last page errors:\n${pageErrors.join('\n')}`);
    return 1;
  }
  if (result.reason) {
    note(`FAILED: ${result.reason}`);
    if (pageErrors.length) note(`last page errors:\n${pageErrors.join('\n')}`);
    return result.code;
  }
  note(`tests finished with exit code ${result.code}` +
    (hidden ? ` (${hidden} workbench log lines hidden; E2E_VERBOSE=1 shows them)` : ''));
  if (result.code !== 0 && pageErrors.length && VERBOSE) note(`page errors:\n${pageErrors.join('\n')}`);
  return result.code;
}

async function cleanupChildOnly() {
  const child = state.child;
  state.child = undefined;
  if (!child) return;
  try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
}

let exiting = false;
async function exit(code) {
  if (exiting) return;
  exiting = true;
  const hardStop = setTimeout(() => process.exit(code), 15_000);
  hardStop.unref();
  await cleanup().catch((e) => note(`cleanup failed: ${e}`));
  process.exit(code);
}

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => { note(`${sig}: stopping`); exit(1); });
}
process.on('uncaughtException', (e) => { note(`error: ${e && e.stack ? e.stack : e}`); exit(1); });
process.on('unhandledRejection', (e) => { if (!exiting) note(`error: ${e && e.stack ? e.stack : e}`); exit(1); });

// Overall watchdog, also covering startup (code-server, Chromium launch, navigation).
setTimeout(() => {
  note(`TIMEOUT: gave up after ${Math.round(TIMEOUT_MS / 1000)} s (set E2E_TIMEOUT_MS to change)`);
  exit(1);
}, TIMEOUT_MS + 10_000).unref();

main().then(exit, (e) => {
  if (!exiting) note(`error: ${e && e.message ? e.message : e}`); // else: a symptom of the shutdown
  exit(1);
});
