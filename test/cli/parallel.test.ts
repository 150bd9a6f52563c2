// The CLI's worker threads (server/src/cli-pool.ts): with PHP_INI_LINT_WORKERS=n the workers lint every
// file, and the output (text, json, sarif), stderr, exit code and --fix results must be byte-identical
// to the main thread alone (PHP_INI_LINT_WORKERS=0). Both the tsc build (in-process) and the bundle run
// through bin/php-ini-lint.js (a subprocess) start workers from their own file.

import * as assert from 'assert';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { lintJobs, READ_AHEAD_MIN_FILES, startReadAhead, type LintJob, type LintSettings } from '../../server/src/cli-pool';
import { lastPoolRun, main } from '../../server/src/cli';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(ROOT, 'bin', 'php-ini-lint.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs fn with the environment variable set (undefined: unset), then puts it back as it was. */
function withEnv<T>(name: string, value: string | undefined, fn: () => T): T {
  const saved = process.env[name];
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
  try {
    return fn();
  } finally {
    if (saved === undefined) delete process.env[name];
    else process.env[name] = saved;
  }
}

/** main() in-process from `cwd`, with that many worker threads. */
function cli(argv: string[], cwd: string, workers: string | undefined): Run {
  return withEnv('PHP_INI_LINT_WORKERS', workers, () => {
    let stdout = '';
    let stderr = '';
    const before = process.cwd();
    process.chdir(cwd);
    try {
      const code = main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
      return { code, stdout, stderr };
    } finally {
      process.chdir(before);
    }
  });
}

function write(file: string, content: string | Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

const SESSION_BAD = '[Session]\nsession.cookie_secure = Off\nsession.cookie_httponly = 0\nsession.use_strict_mode = 0\nsession.cookie_samesite = None\n';
const POOL_BAD = '[www]\nuser = www-data\ngroup = www-data\nlisten = 0.0.0.0:9000\npm = dynamic\npm.max_children = 5\npm.start_servers = 2\npm.min_spare_servers = 1\npm.max_spare_servers = 3\nphp_admin_flag[session.cookie_secure] = off\n';

/**
 * A tree with a bit of everything the CLI reports: several directories, php.ini and fragments (CRLF,
 * BOM, latin1), pool files, a binary file, an empty file, and two project files (one with problems,
 * which are reported once, before the first file that uses it).
 */
function makeTree(root: string): void {
  write(path.join(root, 'a', '.php-ini-lint.ini'), 'php_version = 8.2\nprofile = development\n[rules]\nsession-use-strict-mode = off\n');
  write(path.join(root, 'b', '.php-ini-lint.ini'), 'php_version = eight\n[rules]\nsession-name = loud\n');
  for (const [i, dir] of ['a', 'b', 'c'].entries()) {
    const etc = path.join(root, dir, 'etc', 'php', `8.${i + 1}`, 'fpm');
    write(path.join(etc, 'php.ini'), SESSION_BAD + 'display_errors = On\nexpose_php = On\n');
    write(path.join(etc, 'conf.d', '10-crlf.ini'), SESSION_BAD.replace(/\n/g, '\r\n'));
    write(path.join(etc, 'conf.d', '20-bom.ini'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SESSION_BAD)]));
    write(path.join(etc, 'conf.d', '30-latin1.ini'), Buffer.concat([Buffer.from('; caf'), Buffer.from([0xe9]), Buffer.from('\n' + SESSION_BAD)]));
    write(path.join(etc, 'conf.d', '40-empty.ini'), '');
    write(path.join(etc, 'conf.d', '50-syntax.ini'), 'session.name = (\nallow_url_include = On\n');
    write(path.join(etc, 'pool.d', 'www.conf'), POOL_BAD);
    write(path.join(etc, 'pool.d', 'other.conf'), POOL_BAD.replace('[www]', '[other]').replace('9000', '127.0.0.1:9001'));
  }
  write(path.join(root, 'c', 'etc', 'php', '8.3', 'fpm', 'conf.d', '60-blob.ini'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 0, 10]));
}

function snapshot(root: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(path.relative(root, p), fs.readFileSync(p));
    }
  };
  walk(root);
  return out;
}

describe('CLI worker threads (PHP_INI_LINT_WORKERS)', function () {
  this.timeout(120000);
  let tmp: string;
  let savedNoColor: string | undefined;

  before(function () {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pil-cli-par-'));
    savedNoColor = process.env.NO_COLOR;
    process.env.NO_COLOR = '1';
  });

  after(function () {
    if (savedNoColor === undefined) delete process.env.NO_COLOR;
    else process.env.NO_COLOR = savedNoColor;
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('text, json and sarif output, stderr and exit code are identical with 0, 1 and 3 workers, and the workers lint every file', function () {
    const root = path.join(tmp, 'tree');
    makeTree(root);
    const targets = ['a', 'b', 'c', path.join(root, 'c', 'etc', 'php', '8.3', 'fpm', 'conf.d', '60-blob.ini'), 'missing.ini'];
    for (const format of ['text', 'json', 'sarif']) {
      for (const extra of [[], ['--threshold', 'hint'], ['--no-config', '--rule', 'session-name=error']]) {
        const argv = ['--format', format, ...extra, ...targets];
        const single = cli(argv, root, '0');
        assert.strictEqual(lastPoolRun.workers, 0);
        assert.strictEqual(single.code, 2, single.stderr);
        assert.match(single.stderr, /missing\.ini: no such file or directory/);
        assert.match(single.stderr, /60-blob\.ini: looks like a binary file/);
        if (!extra.includes('--no-config')) assert.match(single.stderr, /b\/\.php-ini-lint\.ini: /);
        for (const workers of ['1', '3']) {
          const par = cli(argv, root, workers);
          assert.strictEqual(lastPoolRun.workers, Number(workers), 'the workers started');
          assert.strictEqual(lastPoolRun.byWorkers, lastPoolRun.files, 'forced workers lint every file');
          assert.deepStrictEqual(par, single, `${argv.join(' ')} with ${workers} worker(s)`);
        }
      }
    }
  });

  it('--fix with 2 workers writes the same bytes as the main thread alone, each file once, and reports the same', function () {
    const one = path.join(tmp, 'fix-single');
    const two = path.join(tmp, 'fix-parallel');
    makeTree(one);
    makeTree(two);
    const before = snapshot(one);
    const single = cli(['--fix', 'a', 'b', 'c'], one, '0');
    const par = cli(['--fix', 'a', 'b', 'c'], two, '2');
    assert.strictEqual(lastPoolRun.byWorkers, lastPoolRun.files);
    // Project files are named by their absolute path.
    assert.deepStrictEqual({ ...par, stderr: par.stderr.split(two).join(one) }, single);
    assert.match(single.stdout, /applied \d+ fix(es)?/);
    const afterOne = snapshot(one);
    const afterTwo = snapshot(two);
    assert.deepStrictEqual([...afterTwo.keys()].sort(), [...afterOne.keys()].sort());
    for (const [f, bytes] of afterOne) assert.ok(afterTwo.get(f)!.equals(bytes), `${f} differs after --fix`);
    assert.ok([...afterOne].some(([f, b]) => !before.get(f)!.equals(b)), 'something was fixed');
    // A second run in parallel has nothing left to fix.
    const again = cli(['--fix', 'a', 'b', 'c'], two, '2');
    assert.doesNotMatch(again.stdout, /applied/);
    for (const [f, bytes] of snapshot(two)) assert.ok(afterOne.get(f)!.equals(bytes), `${f} changed on the second --fix`);
  });

  it('a worker that ends in the middle of a file: the main thread lints that file and the ones left, writes each fix once, and reports the same', function () {
    // It stands in for a worker that runs out of memory: it takes the first file, as real ones do, and ends.
    const entry = path.join(tmp, 'ending-worker.js');
    write(entry, "const { workerData } = require('node:worker_threads');\nconst state = new Int32Array(workerData.shared);\nAtomics.add(state, 0, 1);\nAtomics.notify(state, 0);\nprocess.exit(1);\n");
    const files = (root: string) => [...snapshot(root).keys()].filter((f) => !f.endsWith('.php-ini-lint.ini')).sort().map((f) => path.join(root, f));
    const jobs = (root: string): LintJob[] => files(root).map((f) => ({ file: f, abs: f, project: -1 }));
    const settings: LintSettings = { overrides: {}, minRank: 0, fix: true };
    const one = path.join(tmp, 'ending-single');
    const two = path.join(tmp, 'ending-worker');
    makeTree(one);
    makeTree(two);
    const single = withEnv('PHP_INI_LINT_WORKERS', '0', () => lintJobs(jobs(one), [], settings, entry));
    const started = Date.now();
    const par = withEnv('PHP_INI_LINT_WORKERS', '1', () => lintJobs(jobs(two), [], settings, entry));
    assert.deepStrictEqual(
      { workers: lastPoolRun.workers, byWorkers: lastPoolRun.byWorkers, takenOver: lastPoolRun.takenOver },
      { workers: 1, byWorkers: 0, takenOver: 1 },
    );
    assert.ok(Date.now() - started >= 2000, 'it waited for the worker first');
    assert.strictEqual(par.length, single.length);
    assert.deepStrictEqual(par, single);
    assert.ok(single.some((o) => o.fixed), 'something was fixed');
    const afterOne = snapshot(one);
    for (const [f, bytes] of snapshot(two)) assert.ok(afterOne.get(f)!.equals(bytes), `${f} differs after --fix`);
  });

  it('without the variable, a few files stay on the main thread', function () {
    const root = path.join(tmp, 'small');
    write(path.join(root, 'conf.d', 'a.ini'), SESSION_BAD);
    write(path.join(root, 'conf.d', 'b.ini'), SESSION_BAD);
    const r = cli(['--format', 'json', path.join(root, 'conf.d')], root, undefined);
    assert.strictEqual(r.code, 1);
    assert.strictEqual(lastPoolRun.workers, 0);
  });

  it('bin/php-ini-lint.js (the bundle when built) gives the same output with workers as without', function () {
    const root = path.join(tmp, 'sub');
    makeTree(root);
    const run = (workers: string, format: string): Run => {
      const r = spawnSync(process.execPath, [BIN, '--format', format, 'a', 'b', 'c'], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1', PHP_INI_LINT_WORKERS: workers },
        timeout: 60000,
      });
      if (r.error) throw r.error;
      return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    };
    for (const format of ['text', 'json', 'sarif']) {
      const single = run('0', format);
      assert.strictEqual(single.code, 2, single.stderr);
      assert.deepStrictEqual(run('2', format), single, format);
    }
    // The bundle's workers really run: its lastPoolRun, read in-process from the file bin/ would load.
    const entry = fs.existsSync(path.join(ROOT, 'dist', 'cli.js')) ? path.join(ROOT, 'dist', 'cli.js') : path.join(ROOT, 'out', 'server', 'src', 'cli.js');
    const probe = spawnSync(
      process.execPath,
      ['-e', `const c = require(${JSON.stringify(entry)}); c.main(['a', 'b', 'c'], { stdout() {}, stderr() {} }); process.stdout.write(JSON.stringify(c.lastPoolRun));`],
      { cwd: root, encoding: 'utf8', env: { ...process.env, PHP_INI_LINT_WORKERS: '2' }, timeout: 60000 },
    );
    assert.strictEqual(probe.status, 0, probe.stderr);
    const stats = JSON.parse(probe.stdout);
    assert.strictEqual(stats.workers, 2, probe.stdout);
    assert.strictEqual(stats.byWorkers, stats.files, probe.stdout);
  });
});

describe('CLI read-ahead thread', function () {
  this.timeout(120000);
  let tmp: string;

  before(function () {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pil-cli-read-'));
  });

  after(function () {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const withReadAhead = <T>(value: string | undefined, fn: () => T): T => withEnv('PHP_INI_LINT_READ_AHEAD', value, fn);

  async function until(what: string, ok: () => boolean): Promise<void> {
    for (const start = Date.now(); !ok(); await new Promise((r) => setTimeout(r, 5))) {
      if (Date.now() - start > 20000) throw new Error(`timed out waiting until ${what}`);
    }
  }

  it('reads regular files only, stays the given number of files ahead of the linting, and ends with the list', async function () {
    const dir = path.join(tmp, 'files');
    const files = ['0.ini', '1.ini', 'sub', 'missing.ini', '4.ini', 'fifo', '6.ini'].map((f) => path.join(dir, f));
    for (const f of [files[0], files[1], files[4], files[6]]) write(f, 'a = 1\n');
    fs.mkdirSync(files[2]);
    // A FIFO with no writer: opening it to read would block the thread for good.
    const hasFifo = process.platform !== 'win32' && spawnSync('mkfifo', [files[5]]).status === 0;
    const state = new Int32Array(new SharedArrayBuffer(4 * 2));
    const count = () => Atomics.load(state, 1);
    const worker = startReadAhead(files, state, 1, 2);
    assert.ok(worker, 'the thread started');
    worker.ref();
    const exited = new Promise<number>((resolve) => worker.on('exit', resolve));
    // Nothing linted yet: it reads the two next files, then waits.
    await until('two files are read', () => count() === 2);
    await new Promise((r) => setTimeout(r, 100));
    assert.strictEqual(count(), 2, 'no further than two files ahead');
    // The linting reaches file 2: files 2 and 3 are a directory and a missing file, then 4.ini.
    Atomics.store(state, 0, 3);
    await until('4.ini is read', () => count() === 3);
    Atomics.store(state, 0, files.length);
    assert.strictEqual(await exited, 0);
    assert.strictEqual(count(), 3, '6.ini was already taken by the linting; the FIFO is never read');
    if (hasFifo) assert.ok(fs.statSync(files[5]).isFIFO());
  });

  it('output, exit code and --fix results are the same with it as without, and it is only started when asked or needed', function () {
    const root = path.join(tmp, 'tree');
    makeTree(root);
    const argv = ['--format', 'json', '--threshold', 'hint', 'a', 'b', 'c', 'missing.ini'];
    const without = withReadAhead('0', () => cli(argv, root, '0'));
    assert.strictEqual(lastPoolRun.readAhead, false);
    const withIt = withReadAhead('1', () => cli(argv, root, '0'));
    assert.strictEqual(lastPoolRun.readAhead, true);
    assert.deepStrictEqual(withIt, without);
    // Unasked, a few files never pay for starting it.
    withReadAhead(undefined, () => cli(argv, root, '0'));
    assert.strictEqual(lastPoolRun.readAhead, false);

    const one = path.join(tmp, 'fix-without');
    const two = path.join(tmp, 'fix-with');
    makeTree(one);
    makeTree(two);
    const a = withReadAhead('0', () => cli(['--fix', 'a', 'b', 'c'], one, '0'));
    const b = withReadAhead('1', () => cli(['--fix', 'a', 'b', 'c'], two, '0'));
    assert.strictEqual(lastPoolRun.readAhead, true);
    assert.deepStrictEqual({ ...b, stderr: b.stderr.split(two).join(one) }, a);
    const afterOne = snapshot(one);
    for (const [f, bytes] of snapshot(two)) assert.ok(afterOne.get(f)!.equals(bytes), `${f} differs after --fix`);
  });

  it('a long run, whose first reads are timed, gives the same output as without reading ahead, and reads a FIFO among them once', function () {
    const root = path.join(tmp, 'long');
    for (let i = 0; i < READ_AHEAD_MIN_FILES; i++) write(path.join(root, 'many', 'conf.d', `${i}.ini`), SESSION_BAD);
    for (const f of ['0.ini', '1.ini', '2.ini']) write(path.join(root, f), SESSION_BAD);
    const argv = ['--format', 'json', '0.ini', '1.ini', '2.ini', 'fifo.ini', 'many'];
    const fifo = path.join(root, 'fifo.ini');
    const withFifo = process.platform !== 'win32' && spawnSync('mkfifo', [fifo]).status === 0;
    if (!withFifo) write(fifo, 'allow_url_include = On\n');
    const run = (readAhead?: string) => {
      // The FIFO is the fourth file, one whose read is timed: its writer sends one line and goes.
      if (withFifo) spawn('sh', ['-c', 'printf "allow_url_include = On\\n" > fifo.ini'], { cwd: root, stdio: 'ignore' });
      const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', PHP_INI_LINT_WORKERS: '0' };
      if (readAhead === undefined) delete env.PHP_INI_LINT_READ_AHEAD;
      else env.PHP_INI_LINT_READ_AHEAD = readAhead;
      const r = spawnSync(process.execPath, [BIN, ...argv], { cwd: root, encoding: 'utf8', env, timeout: 60000 });
      if (r.error) throw r.error;
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    };
    const timed = run();
    assert.strictEqual(timed.code, 1, timed.stderr);
    const findings = JSON.parse(timed.stdout) as Array<{ file: string; rule: string }>;
    assert.ok(findings.some((f) => f.file === 'fifo.ini' && f.rule === 'allow-url-include'), 'what was written to the FIFO was linted');
    assert.strictEqual(new Set(findings.map((f) => f.file)).size, READ_AHEAD_MIN_FILES + 4);
    assert.deepStrictEqual(run('0'), timed);
  });

  it('in bin/php-ini-lint.js (the bundle when built), it starts and changes nothing in the output', function () {
    const root = path.join(tmp, 'bin');
    makeTree(root);
    const run = (readAhead: string) => {
      const r = spawnSync(process.execPath, [BIN, '--format', 'json', 'a', 'b', 'c'], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1', PHP_INI_LINT_WORKERS: '0', PHP_INI_LINT_READ_AHEAD: readAhead },
        timeout: 60000,
      });
      if (r.error) throw r.error;
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    };
    const without = run('0');
    assert.strictEqual(without.code, 2, without.stderr);
    assert.deepStrictEqual(run('1'), without);
    const entry = fs.existsSync(path.join(ROOT, 'dist', 'cli.js')) ? path.join(ROOT, 'dist', 'cli.js') : path.join(ROOT, 'out', 'server', 'src', 'cli.js');
    const probe = spawnSync(
      process.execPath,
      ['-e', `const c = require(${JSON.stringify(entry)}); c.main(['a', 'b', 'c'], { stdout() {}, stderr() {} }); process.stdout.write(JSON.stringify(c.lastPoolRun));`],
      { cwd: root, encoding: 'utf8', env: { ...process.env, PHP_INI_LINT_WORKERS: '0', PHP_INI_LINT_READ_AHEAD: '1' }, timeout: 60000 },
    );
    assert.strictEqual(probe.status, 0, probe.stderr);
    assert.strictEqual(JSON.parse(probe.stdout).readAhead, true, probe.stdout);
  });
});
