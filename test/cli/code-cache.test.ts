// bin/code-cache.js: the CLI bundle runs through a V8 code cache kept in the user's cache directory.
// A cache only ever changes speed: output and exit codes are the same with one, without one, and with a
// damaged one, and it is written only after a run that linted files.

import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(ROOT, 'bin', 'php-ini-lint.js');
const BUNDLE = path.join(ROOT, 'dist', 'cli.js');

const { cacheDir } = require(path.join(ROOT, 'bin', 'code-cache.js')) as { cacheDir: () => string | undefined };

function run(args: string[], cache: string, cwd: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, PHP_INI_LINT_CODE_CACHE: cache } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const cacheFiles = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.v8cache')) : []);

describe('CLI code cache (bin/code-cache.js)', function () {
  this.timeout(60000);
  let work: string;
  let cache: string;

  before(function () {
    if (!fs.existsSync(BUNDLE)) this.skip(); // only the bundle is loaded through the cache
  });

  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'php-ini-lint-cc-'));
    cache = path.join(work, 'cache');
    fs.mkdirSync(path.join(work, 'conf.d'));
    fs.writeFileSync(path.join(work, 'conf.d', 'a.ini'), 'session.use_strict_mode = 0\nexpose_php = On\n');
  });
  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

  it('is written after a lint run, then used, with the same output and exit code', () => {
    const baseline = run(['--format', 'json', 'conf.d'], 'off', work);
    assert.strictEqual(baseline.code, 1, baseline.stderr);
    assert.deepStrictEqual(cacheFiles(cache), []);

    const first = run(['--format', 'json', 'conf.d'], cache, work);
    assert.deepStrictEqual(first, baseline);
    const written = cacheFiles(cache);
    assert.strictEqual(written.length, 1);
    const file = path.join(cache, written[0]);
    const before = fs.statSync(file).mtimeMs;

    const second = run(['--format', 'json', 'conf.d'], cache, work);
    assert.deepStrictEqual(second, baseline);
    // Accepted by V8, so not rewritten.
    assert.strictEqual(fs.statSync(file).mtimeMs, before);
    assert.deepStrictEqual(cacheFiles(cache), written);
  });

  it('is not written by runs that lint nothing (--version, --help, usage errors)', () => {
    assert.strictEqual(run(['--version'], cache, work).code, 0);
    assert.strictEqual(run(['--help'], cache, work).code, 0);
    assert.strictEqual(run(['--bogus'], cache, work).code, 2);
    assert.deepStrictEqual(cacheFiles(cache), []);
  });

  /** The output without a cache, then a run that writes one: the cache file and its good content. */
  function writtenCache(): { baseline: ReturnType<typeof run>; file: string; good: Buffer } {
    const baseline = run(['conf.d'], 'off', work);
    run(['conf.d'], cache, work);
    const [name] = cacheFiles(cache);
    const file = path.join(cache, name);
    return { baseline, file, good: fs.readFileSync(file) };
  }

  it('a damaged or foreign cache file changes nothing and is replaced', () => {
    const { baseline, file, good } = writtenCache();
    for (const junk of [Buffer.alloc(0), Buffer.from('not a code cache'), good.subarray(0, good.length >> 1), Buffer.from(good.map((b, i) => (i > 64 ? b ^ 0x5a : b)))]) {
      fs.writeFileSync(file, junk);
      const r = run(['conf.d'], cache, work);
      assert.deepStrictEqual(r, baseline);
      assert.ok(fs.readFileSync(file).length > 1000, 'rewritten with a real cache');
    }
  });

  it('a single flipped bit anywhere in the cache is caught (V8 checksums it) and the file is replaced', () => {
    const { baseline, file, good } = writtenCache();
    // In the header, early in the payload, in its middle and at its very end.
    for (const at of [8, 40, 200, good.length >> 1, good.length - 1]) {
      const bad = Buffer.from(good);
      bad[at] ^= 0x10;
      fs.writeFileSync(file, bad);
      const r = run(['conf.d'], cache, work);
      assert.deepStrictEqual(r, baseline, `bit flipped at byte ${at}`);
      assert.ok(!fs.readFileSync(file).equals(bad), `replaced after the flip at byte ${at}`);
    }
  });

  it('PHP_INI_LINT_CODE_CACHE=off writes nothing; the default lives in the user cache directory', () => {
    run(['conf.d'], 'off', work);
    assert.deepStrictEqual(cacheFiles(cache), []);
    const saved = process.env.PHP_INI_LINT_CODE_CACHE;
    try {
      process.env.PHP_INI_LINT_CODE_CACHE = 'off';
      assert.strictEqual(cacheDir(), undefined);
      delete process.env.PHP_INI_LINT_CODE_CACHE;
      const dir = cacheDir();
      assert.ok(dir && dir.startsWith(os.homedir()) || (process.env.XDG_CACHE_HOME && dir?.startsWith(process.env.XDG_CACHE_HOME)), `not under the home or XDG cache directory: ${dir}`);
      assert.ok(!dir!.startsWith(os.tmpdir()), 'never a shared temporary directory');
    } finally {
      if (saved === undefined) delete process.env.PHP_INI_LINT_CODE_CACHE;
      else process.env.PHP_INI_LINT_CODE_CACHE = saved;
    }
  });

  it('keeps one cache per set of Node flags (V8 rejects a cache made under other flags)', () => {
    run(['conf.d'], cache, work);
    const r = spawnSync(process.execPath, ['--stack-size=2000', BIN, 'conf.d'], { cwd: work, encoding: 'utf8', env: { ...process.env, PHP_INI_LINT_CODE_CACHE: cache } });
    assert.strictEqual(r.status, 1, r.stderr);
    assert.strictEqual(cacheFiles(cache).length, 2);
  });

  it('drops the cache of an older build of the bundle when writing a new one', () => {
    run(['conf.d'], cache, work);
    const [current] = cacheFiles(cache);
    const stale = current.replace(/-\d+-\d+\.v8cache$/, '-1-1.v8cache');
    assert.notStrictEqual(stale, current);
    fs.renameSync(path.join(cache, current), path.join(cache, stale));
    run(['conf.d'], cache, work);
    assert.deepStrictEqual(cacheFiles(cache), [current]);
  });
});
