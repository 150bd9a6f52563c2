// An independent client: Neovim's built-in LSP client runs the server over stdio (test/lsp/nvim-client.lua)
// and must see exactly what the VS Code-like client and the engine see. Skipped when nvim is missing.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lint, parse, resolveOptions } from '../../server/src/engine';
import { cleanup, CORPUS, LspClient, REPO_ROOT, SERVER_JS, tempDir, writeFile } from './harness';

const LUA = path.join(REPO_ROOT, 'test', 'lsp', 'nvim-client.lua');

function nvimAvailable(): string | undefined {
  const r = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n')[0] : undefined;
}

interface NvimResult {
  ok: boolean;
  error?: string;
  diagnostics?: Array<{ lnum: number; end_lnum: number; severity: number; message: string; source: string; code: string }>;
  hover?: string;
  actions?: string[];
  completion_count?: number;
}

function runNvim(file: string, lang: string, outDir: string, hoverLine?: number): Promise<NvimResult> {
  const out = path.join(outDir, `nvim-${path.basename(file)}-${Date.now()}.json`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PHP_INI_LINT_NODE: process.execPath,
    PHP_INI_LINT_SERVER: SERVER_JS,
    PHP_INI_LINT_FILE: file,
    PHP_INI_LINT_LANG: lang,
    PHP_INI_LINT_OUT: out,
    // Keep nvim from reading or writing anything of the user's.
    XDG_CONFIG_HOME: path.join(outDir, 'config'),
    XDG_DATA_HOME: path.join(outDir, 'data'),
    XDG_STATE_HOME: path.join(outDir, 'state'),
    XDG_CACHE_HOME: path.join(outDir, 'cache'),
  };
  if (hoverLine !== undefined) env.PHP_INI_LINT_HOVER_LINE = String(hoverLine);
  return new Promise((resolve, reject) => {
    const proc = spawn('nvim', ['--headless', '--clean', '-n', '-c', `luafile ${LUA}`], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    proc.stdout.on('data', (d: Buffer) => (output += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`nvim did not finish; output: ${output}`));
    }, 60000);
    proc.on('exit', () => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(fs.readFileSync(out, 'utf8')) as NvimResult);
      } catch (err) {
        reject(new Error(`no result from nvim (${(err as Error).message}); output: ${output}`));
      }
    });
  });
}

/** Lines, codes and messages of the engine's own findings, with default settings. */
function engineView(text: string, file: string) {
  const options = resolveOptions(file, {}, undefined);
  const doc = parse(text, { dialect: options.dialect, phpVersion: options.phpVersion });
  return lint(doc, options).map((d) => ({ line: d.range.start.line, code: d.rule, message: d.message }));
}

const sortKey = (d: { line: number; code: string; message: string }) => `${String(d.line).padStart(8, '0')} ${d.code} ${d.message}`;
const sorted = <T extends { line: number; code: string; message: string }>(list: T[]) => [...list].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));

describe('Neovim’s built-in LSP client (independent of VS Code)', function () {
  this.timeout(120000);
  let dir: string;
  const version = nvimAvailable();

  before(function () {
    if (!version) {
      console.log('      nvim is not on PATH: skipping the Neovim client tests (CI installs Debian’s neovim package).');
      this.skip();
    }
    dir = tempDir('php-ini-lint-nvim-');
  });

  after(() => {
    if (dir) cleanup(dir);
  });

  it('gets the same diagnostics as the engine and the VS Code-like client for Debian’s php.ini', async () => {
    const text = fs.readFileSync(path.join(CORPUS, 'debian-bookworm-php8.2', 'php.ini-production'), 'latin1');
    const f = writeFile(dir, 'etc/php/8.2/fpm/php.ini', text);
    const strictLine = text.split('\n').indexOf('session.use_strict_mode = 0');
    const nv = await runNvim(f.path, 'php-ini', dir, strictLine);
    assert.ok(nv.ok, `nvim client failed: ${nv.error}`);
    const fromNvim = sorted((nv.diagnostics ?? []).map((d) => ({ line: d.lnum, code: String(d.code), message: d.message })));
    assert.ok(fromNvim.length > 0);
    assert.deepEqual(fromNvim, sorted(engineView(text, f.path)));
    assert.ok((nv.diagnostics ?? []).every((d) => d.source === 'php-ini-lint'));

    // The VS Code-like client over the same transport sees the same thing.
    const c = await LspClient.start();
    try {
      await c.open(f.uri, text);
      const p = await c.nextDiagnostics(f.uri, 0);
      assert.deepEqual(fromNvim, sorted(p.diagnostics.map((d) => ({ line: d.range.start.line, code: String(d.code), message: d.message }))));
    } finally {
      await c.stop();
    }

    // Beyond diagnostics: hover, code actions and completion answer Neovim too.
    assert.match(nv.hover ?? '', /session\.use_strict_mode/);
    assert.match(nv.hover ?? '', /session fixation/);
    assert.ok(nv.actions?.includes('Set session.use_strict_mode to 1'), JSON.stringify(nv.actions));
    assert.ok(nv.actions?.includes('Disable session-use-strict-mode for this line'), JSON.stringify(nv.actions));
    assert.ok((nv.completion_count ?? 0) > 0);
  });

  it('lints Arch Linux’s php.ini and the Docker image’s PHP-FPM pool file the same way', async () => {
    const arch = fs.readFileSync(path.join(CORPUS, 'archlinux-de-etc-php', 'php.ini'), 'latin1');
    const a = writeFile(dir, 'etc/php/php.ini', arch);
    const na = await runNvim(a.path, 'php-ini', dir);
    assert.ok(na.ok, `nvim client failed: ${na.error}`);
    assert.deepEqual(sorted((na.diagnostics ?? []).map((d) => ({ line: d.lnum, code: String(d.code), message: d.message }))), sorted(engineView(arch, a.path)));

    const pool = fs.readFileSync(path.join(CORPUS, 'docker-library-php-8.2-bookworm-fpm', 'docker.conf'), 'latin1');
    const p = writeFile(dir, 'usr/local/etc/php-fpm.d/docker.conf', pool);
    const np = await runNvim(p.path, 'php-fpm', dir);
    assert.ok(np.ok, `nvim client failed: ${np.error}`);
    const poolDiags = sorted((np.diagnostics ?? []).map((d) => ({ line: d.lnum, code: String(d.code), message: d.message })));
    assert.ok(poolDiags.length > 0, 'the pool file has findings');
    assert.deepEqual(poolDiags, sorted(engineView(pool, p.path)));
  });
});
