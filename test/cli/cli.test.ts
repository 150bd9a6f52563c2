// The command-line interface: in-process through `main(argv, io)` (output captured), and once as a real
// subprocess (`node bin/php-ini-lint.js`) for the exit codes. Every error path must print one clear line on
// stderr (a "Run php-ini-lint --help" hint may follow usage errors), return the right exit code, and never
// show a stack trace. Expected findings are computed with the engine itself, so the tests hold whatever
// rules exist.

import * as assert from 'assert';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../server/src/cli';
import { decode, fixAll, lint, parse, parseProjectConfig, resolveOptions, type Diagnostic, type ProjectConfig, type ResolvedOptions, type Severity } from '../../server/src/engine';
import { decodeForEngine, phpAvailable, runPhp } from '../differential/php';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(ROOT, 'bin', 'php-ini-lint.js');
const LEVELS: Severity[] = ['hint', 'information', 'warning', 'error'];
const JSON_KEYS = ['file', 'line', 'column', 'endLine', 'endColumn', 'severity', 'rule', 'directive', 'message'];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** main() in-process, optionally from another working directory (SARIF URIs are relative to it). */
function cli(argv: string[], cwd?: string): Run {
  let stdout = '';
  let stderr = '';
  const before = process.cwd();
  if (cwd) process.chdir(cwd);
  try {
    const code = main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
    return { code, stdout, stderr };
  } finally {
    if (cwd) process.chdir(before);
  }
}

function subprocess(argv: string[], cwd: string): Run {
  const r = spawnSync(process.execPath, [BIN, ...argv], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60000 });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const STACK = /\n\s+at |^\s+at |node:internal|(Type|Reference|Range|Syntax)Error|Error: /m;

/** Exit code, one clear `php-ini-lint: ...` line (plus at most the --help hint), no stack trace. */
function assertCleanError(r: Run, code: number, pattern: RegExp): void {
  const ctx = `exit ${r.code}, stderr ${JSON.stringify(r.stderr)}`;
  assert.strictEqual(r.code, code, ctx);
  assert.doesNotMatch(r.stderr, STACK, `stack trace or raw error in stderr: ${ctx}`);
  const lines = r.stderr.replace(/\n$/, '').split('\n');
  const errorLines = lines.filter((l) => !/^Run php-ini-lint --help for usage\.$/.test(l));
  assert.strictEqual(errorLines.length, 1, `expected exactly one error line: ${ctx}`);
  assert.match(errorLines[0], /^php-ini-lint: \S/, ctx);
  assert.match(errorLines[0], pattern, ctx);
  assert.ok(errorLines[0].length < 300, `error line too long: ${ctx}`);
}

let tmpRoot: string;
let dirCounter = 0;
/** A fresh directory whose path contains no "php" (the directory walk picks .ini files under php*\/ paths). */
function freshDir(): string {
  const d = path.join(tmpRoot, `case${++dirCounter}`);
  fs.mkdirSync(d, { recursive: true });
  return d;
}

function write(file: string, content: string | Buffer): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

/** What the CLI should report for a file: the engine run with the options the CLI resolves. */
function expected(file: string, opts: { project?: ProjectConfig; overrides?: Parameters<typeof resolveOptions>[3]; threshold?: Severity } = {}): { options: ResolvedOptions; diags: Diagnostic[] } {
  const options = resolveOptions(path.resolve(file), {}, opts.project, opts.overrides ?? {});
  const { text } = decode(fs.readFileSync(file));
  const doc = parse(text, { dialect: options.dialect, phpVersion: options.phpVersion });
  const min = LEVELS.indexOf(opts.threshold ?? 'information');
  return { options, diags: lint(doc, options).filter((d) => LEVELS.indexOf(d.severity) >= min) };
}

function jsonOut(r: Run): Array<Record<string, unknown>> {
  assert.doesNotMatch(r.stderr, STACK);
  return JSON.parse(r.stdout) as Array<Record<string, unknown>>;
}

// Fixtures: a fragment with warnings only, and configs with a mix of findings.
const WARN_ONLY = 'session.use_strict_mode = 0\n';
const SESSION_BAD = '[Session]\nsession.cookie_secure = Off\nsession.cookie_httponly = 0\nsession.use_strict_mode = 0\nsession.cookie_samesite = None\n';
const POOL_BAD = '[www]\nuser = www-data\ngroup = www-data\nlisten = 0.0.0.0:9000\npm = dynamic\npm.max_children = 5\npm.start_servers = 2\npm.min_spare_servers = 1\npm.max_spare_servers = 3\nphp_admin_flag[session.cookie_secure] = off\n';

describe('CLI (main(argv, io) in-process, and bin/php-ini-lint.js as a subprocess)', function () {
  this.timeout(120000);
  let savedNoColor: string | undefined;

  before(function () {
    tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'pil-cli-'));
    savedNoColor = process.env.NO_COLOR;
    process.env.NO_COLOR = '1';
    // A project file above the temp dir would change every result here.
    for (let d = tmpRoot; ; d = path.dirname(d)) {
      assert.ok(!fs.existsSync(path.join(d, '.php-ini-lint.ini')), `a stray ${path.join(d, '.php-ini-lint.ini')} would affect these tests`);
      if (path.dirname(d) === d) break;
    }
  });

  after(function () {
    if (savedNoColor === undefined) delete process.env.NO_COLOR;
    else process.env.NO_COLOR = savedNoColor;
    fs.rmSync(tmpRoot, { recursive: true, force: true });
  });

  describe('targets', function () {
    it('missing file: exit 2, "<file>: no such file or directory"', function () {
      const d = freshDir();
      assertCleanError(cli([path.join(d, 'nope.ini')]), 2, /nope\.ini: no such file or directory$/);
    });

    it('a directory with no configs: exit 2 with a clear line', function () {
      const d = freshDir();
      write(path.join(d, 'README.md'), '# hi\n');
      write(path.join(d, 'notes', 'settings.ini'), 'a = 1\n'); // .ini outside conf.d/php*/ is not a PHP config
      assertCleanError(cli([d]), 2, /no php\.ini or PHP-FPM files found in this directory$/);
    });

    it('a directory with configs: finds php.ini, conf.d/*.ini and pool.d/*.conf, skips other files, exit 1', function () {
      const d = freshDir();
      const etc = path.join(d, 'etc', 'php', '8.2', 'fpm');
      const files = [write(path.join(etc, 'php.ini'), SESSION_BAD), write(path.join(etc, 'conf.d', '20-session.ini'), WARN_ONLY), write(path.join(etc, 'pool.d', 'www.conf'), POOL_BAD)];
      write(path.join(d, 'README.md'), 'session.use_strict_mode = 0\n');
      write(path.join(d, 'notes', 'x.ini'), 'session.use_strict_mode = 0\n');
      write(path.join(d, 'node_modules', 'php', 'php.ini'), 'session.use_strict_mode = 0\n');
      const r = cli(['--format', 'json', d]);
      assert.strictEqual(r.code, 1, r.stderr);
      assert.strictEqual(r.stderr, '');
      const got = [...new Set(jsonOut(r).map((f) => path.resolve(String(f.file))))].sort();
      assert.deepStrictEqual(got, files.map((f) => path.resolve(f)).sort());
    });

    it('a relative directory is judged by where it is: `php-ini-lint conf.d` from the fpm directory, `php-ini-lint .` from conf.d', function () {
      const d = freshDir();
      const etc = path.join(d, 'etc', 'php', '8.2', 'fpm');
      const f = write(path.join(etc, 'conf.d', '20-session.ini'), WARN_ONLY);
      for (const [cwd, arg] of [[etc, 'conf.d'], [path.join(etc, 'conf.d'), '.']]) {
        const r = cli(['--format', 'json', arg], cwd);
        assert.strictEqual(r.code, 1, `${arg} from ${cwd}: ${r.stderr}`);
        assert.deepStrictEqual([...new Set(jsonOut(r).map((x) => path.resolve(cwd, String(x.file))))], [path.resolve(f)]);
      }
    });

    it('a file found under a directory is reported as path.join(argument, path in it), however the argument is spelled', function () {
      const d = freshDir();
      const fpm = path.join(d, 'etc', 'php', '8.2', 'fpm');
      write(path.join(fpm, 'conf.d', '20-session.ini'), WARN_ONLY);
      write(path.join(fpm, 'pool.d', 'www.conf'), POOL_BAD);
      const want = (arg: string) => [path.join(arg, 'conf.d', '20-session.ini'), path.join(arg, 'pool.d', 'www.conf')];
      for (const arg of ['.', './', './/', '../fpm', '../fpm/', '../../8.2/fpm/.', fpm, `${fpm}${path.sep}`]) {
        const r = cli(['--format', 'json', arg], fpm);
        assert.strictEqual(r.code, 1, `${arg}: ${r.stderr}`);
        const files = [...new Set(jsonOut(r).map((x) => String(x.file)))].sort();
        assert.deepStrictEqual(files, want(arg).sort(), arg);
      }
    });

    it('an unreadable file (chmod 000): exit 2, "permission denied" (skipped as root, where chmod does not deny)', function () {
      const d = freshDir();
      const f = write(path.join(d, 'conf.d', 'secret.ini'), WARN_ONLY);
      fs.chmodSync(f, 0o000);
      let readable = false;
      try {
        fs.readFileSync(f);
        readable = true;
      } catch {
        /* denied, as for a normal user */
      }
      try {
        if (readable) {
          // Running as root (CI containers): permission bits do not stop reads, so the EACCES path cannot be
          // provoked this way. The file is simply linted.
          const r = cli([f]);
          assert.strictEqual(r.code, 1);
          // eslint-disable-next-line no-console
          console.log('      (skipped the "permission denied" assertion: running as root, chmod 000 does not deny reads)');
          this.skip();
        }
        assertCleanError(cli([f]), 2, /secret\.ini: permission denied$/);
      } finally {
        fs.chmodSync(f, 0o644);
      }
    });

    it('a binary file: exit 2, "looks like a binary file"', function () {
      const d = freshDir();
      const f = write(path.join(d, 'conf.d', 'blob.ini'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 0, 0xff, 0xfe, 10]));
      assertCleanError(cli([f]), 2, /blob\.ini: looks like a binary file/);
    });

    it('an empty file: a fragment has no problems (exit 0); an empty main php.ini exits as the engine says', function () {
      const d = freshDir();
      const frag = write(path.join(d, 'conf.d', 'empty.ini'), '');
      const r = cli([frag]);
      assert.strictEqual(r.code, 0, r.stderr);
      assert.strictEqual(r.stdout, 'No problems found in 1 file.\n');
      const main = write(path.join(d, 'php.ini'), '');
      const r2 = cli(['--format', 'json', main]);
      assert.strictEqual(r2.code, expected(main).diags.length ? 1 : 0);
      assert.strictEqual(jsonOut(r2).length, expected(main).diags.length);
    });

    it('a huge file (10 MB): linted to the end without crashing', function () {
      const d = freshDir();
      const parts: string[] = ['[PHP]\n'];
      let size = 6;
      for (let i = 0; size < 10 * 1024 * 1024; i++) {
        const line = `x.key${i} = "value number ${i}" ; padding padding padding\n`;
        parts.push(line);
        size += line.length;
      }
      parts.push('session.use_strict_mode = 0\n');
      const text = parts.join('');
      const f = write(path.join(d, 'conf.d', 'huge.ini'), text);
      assert.ok(fs.statSync(f).size >= 10 * 1024 * 1024);
      const r = cli(['--format', 'json', f]);
      assert.strictEqual(r.code, 1, r.stderr);
      const findings = jsonOut(r).filter((x) => x.rule === 'session-use-strict-mode');
      assert.deepStrictEqual(
        findings.map((x) => x.line),
        [parts.length],
        'the finding on the last line is reported (the whole file was read)',
      );
    });

    it("globs: 'dir/**/*.ini' is expanded by the CLI itself (recursively, .ini only); a glob matching nothing is exit 2", function () {
      const d = freshDir();
      const inis = [write(path.join(d, 'top.ini'), WARN_ONLY), write(path.join(d, 'a', 'b', 'deep.ini'), WARN_ONLY), write(path.join(d, 'a', 'mid.ini'), WARN_ONLY)];
      write(path.join(d, 'a', 'www.conf'), POOL_BAD);
      write(path.join(d, 'a', 'notes.txt'), WARN_ONLY);
      const r = cli(['--format', 'json', `${d}/**/*.ini`]);
      assert.strictEqual(r.code, 1, r.stderr);
      const got = [...new Set(jsonOut(r).map((f) => path.resolve(String(f.file))))].sort();
      assert.deepStrictEqual(got, inis.map((f) => path.resolve(f)).sort());
      // Relative glob from the working directory.
      const rel = cli(['--format', 'json', 'a/**/*.ini'], d);
      assert.deepStrictEqual([...new Set(jsonOut(rel).map((f) => path.resolve(d, String(f.file))))].sort(), inis.slice(1).map((f) => path.resolve(f)).sort());
      assertCleanError(cli([`${d}/**/*.nothing`]), 2, /no files match$/);
    });
  });

  describe('output formats', function () {
    it('--format json: exactly {file,line,column,endLine,endColumn,severity,rule,directive,message}, 1-based, as the engine reports', function () {
      const d = freshDir();
      const f = write(path.join(d, 'conf.d', '30-session.ini'), '; intro\n' + SESSION_BAD + 'session.name = "x\u00e9"\n');
      const r = cli(['--format', 'json', f]);
      assert.strictEqual(r.code, 1, r.stderr);
      const out = jsonOut(r);
      const want = expected(f).diags.map((x) => ({
        file: f,
        line: x.range.start.line + 1,
        column: x.range.start.character + 1,
        endLine: x.range.end.line + 1,
        endColumn: x.range.end.character + 1,
        severity: x.severity,
        rule: x.rule,
        directive: x.directive,
        message: x.message,
      }));
      assert.ok(want.length >= 3, 'fixture has findings');
      for (const o of out) assert.deepStrictEqual(Object.keys(o), JSON_KEYS);
      assert.deepStrictEqual(out, want);
      for (const o of out) {
        assert.ok((o.line as number) >= 1 && (o.column as number) >= 1, '1-based');
        assert.ok(typeof o.directive === 'string' || o.directive === null);
      }
      // No findings: an empty array, exit 0.
      const clean = write(path.join(d, 'conf.d', 'clean.ini'), '; nothing\n');
      const c = cli(['--format', 'json', clean]);
      assert.strictEqual(c.code, 0);
      assert.deepStrictEqual(JSON.parse(c.stdout), []);
    });

    it('--format sarif: valid SARIF 2.1.0 as GitHub code scanning reads it (rules with ids, results with ruleId/level/locations, 1-based regions, relative URIs)', function () {
      const d = freshDir();
      const ini = write(path.join(d, 'config', 'php', 'php.ini'), SESSION_BAD);
      const pool = write(path.join(d, 'config', 'php-fpm.d', 'www.conf'), POOL_BAD);
      const rel = [path.relative(d, ini), path.relative(d, pool)];
      // Relative and absolute arguments must both give repository-relative URIs.
      for (const args of [rel, [ini, pool]]) {
        const r = cli(['--format', 'sarif', ...args], d);
        assert.strictEqual(r.code, 1, r.stderr);
        const sarif = JSON.parse(r.stdout);
        assert.strictEqual(sarif.version, '2.1.0');
        assert.match(sarif.$schema, /sarif-2\.1\.0/);
        assert.ok(Array.isArray(sarif.runs) && sarif.runs.length === 1);
        const run = sarif.runs[0];
        assert.strictEqual(typeof run.tool.driver.name, 'string');
        const rules: Array<{ id: string; shortDescription?: { text: string } }> = run.tool.driver.rules;
        assert.ok(Array.isArray(rules) && rules.length > 0);
        const ids = rules.map((x) => x.id);
        assert.strictEqual(new Set(ids).size, ids.length, 'rule ids are unique');
        for (const rule of rules) assert.ok(rule.id && rule.shortDescription?.text, `rule ${rule.id} has an id and a short description`);
        const json = jsonOut(cli(['--format', 'json', ...args], d));
        assert.strictEqual(run.results.length, json.length, 'one result per finding');
        run.results.forEach((res: any, i: number) => {
          assert.ok(ids.includes(res.ruleId), `result ruleId ${res.ruleId} is in tool.driver.rules`);
          if (res.ruleIndex !== undefined) assert.strictEqual(rules[res.ruleIndex].id, res.ruleId, 'ruleIndex points at the rule');
          assert.ok(['none', 'note', 'warning', 'error'].includes(res.level), `level ${res.level}`);
          assert.ok(typeof res.message?.text === 'string' && res.message.text.length > 0);
          assert.ok(Array.isArray(res.locations) && res.locations.length >= 1);
          const loc = res.locations[0].physicalLocation;
          const uri: string = loc.artifactLocation.uri;
          assert.ok(!/^[a-z]+:/i.test(uri) && !uri.startsWith('/') && !uri.startsWith('..') && !uri.includes('\\'), `relative URI expected, got ${uri}`);
          assert.ok(rel.map((p) => p.split(path.sep).join('/')).includes(uri), `URI ${uri} names a linted file`);
          const reg = loc.region;
          assert.ok(Number.isInteger(reg.startLine) && reg.startLine >= 1, 'startLine is 1-based');
          assert.ok(reg.startColumn === undefined || reg.startColumn >= 1, 'startColumn is 1-based');
          if (reg.endLine !== undefined) assert.ok(reg.endLine >= reg.startLine);
          if (reg.endColumn !== undefined && (reg.endLine ?? reg.startLine) === reg.startLine) assert.ok(reg.endColumn >= (reg.startColumn ?? 1));
          // Same position as the JSON output.
          assert.strictEqual(reg.startLine, json[i].line);
          assert.strictEqual(reg.startColumn, json[i].column);
          assert.strictEqual(res.ruleId, json[i].rule);
        });
      }
    });

    it('text output: one line per finding with line:column and rule id, and a summary', function () {
      const d = freshDir();
      const f = write(path.join(d, 'conf.d', '40.ini'), WARN_ONLY);
      const r = cli([f]);
      assert.strictEqual(r.code, 1);
      assert.match(r.stdout, /^\s+1:1\s+warning\s+.*session-use-strict-mode$/m);
      const n = expected(f).diags.length;
      assert.strictEqual(r.stdout.split('\n').filter((l) => /^\s+\d+:\d+\s/.test(l)).length, n, 'one line per finding');
      assert.match(r.stdout, new RegExp(`\\n${n} problems? \\(.*\\) in 1 file\\.\\n$`));
      assert.doesNotMatch(r.stdout, /\x1b\[/, 'no colors when NO_COLOR is set');
    });
  });

  describe('--print-config', function () {
    it("equals PHP's get_cfg_var() for Debian's php.ini-production (keys php-cli forces are skipped)", function () {
      const candidates = [process.env.PHP_INI_LINT_CORPUS, path.resolve(ROOT, '..', 'shared', 'corpus'), '/work/shared/corpus'].filter(Boolean) as string[];
      const corpus = candidates.find((c) => fs.existsSync(path.join(c, 'debian-bookworm-php8.2', 'php.ini-production')));
      if (!corpus || !phpAvailable()) {
        // eslint-disable-next-line no-console
        console.log(`      (skipped: ${!corpus ? 'corpus debian-bookworm-php8.2/php.ini-production not found' : '`php` not on PATH'})`);
        this.skip();
      }
      const file = path.join(corpus, 'debian-bookworm-php8.2', 'php.ini-production');
      const r = cli(['--print-config', file]);
      assert.strictEqual(r.code, 0, r.stderr);
      assert.strictEqual(r.stderr, '');
      const printed = JSON.parse(r.stdout) as Record<string, unknown>;
      const keys = Object.keys(printed);
      assert.ok(keys.length > 50, `only ${keys.length} keys printed`);
      const bytes = fs.readFileSync(file);
      const php = runPhp(bytes, keys, { encoding: decodeForEngine(bytes).encoding });
      const FORCED = new Set(['display_errors', 'register_argc_argv', 'html_errors', 'implicit_flush', 'output_buffering', 'max_execution_time', 'max_input_time']);
      const diffs = keys.filter((k) => !FORCED.has(k)).filter((k) => JSON.stringify(printed[k]) !== JSON.stringify(php.values[k]));
      assert.deepStrictEqual(
        diffs.map((k) => `${k}: printed ${JSON.stringify(printed[k])}, PHP ${JSON.stringify(php.values[k])}`),
        [],
      );
    });

    it('--print-config errors: missing file and a directory are exit 2 with one line', function () {
      const d = freshDir();
      assertCleanError(cli(['--print-config', path.join(d, 'nope.ini')]), 2, /nope\.ini: no such file or directory$/);
      assertCleanError(cli(['--print-config', d]), 2, /is a directory$/);
    });
  });

  describe('--fix', function () {
    function checkFix(name: string, bytes: Buffer, extra: (after: Buffer) => void): void {
      const d = freshDir();
      const f = write(path.join(d, ...name.split('/')), bytes);
      const { options } = expected(f);
      const decoded = decode(bytes);
      const want = fixAll(parse(decoded.text, { dialect: options.dialect, phpVersion: options.phpVersion }), options).text;
      assert.notStrictEqual(want, decoded.text, 'fixture has something to fix');
      const r = cli(['--fix', '--no-config', f]);
      assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
      assert.match(r.stdout, /applied \d+ fix(es)?/);
      const after = fs.readFileSync(f);
      assert.ok(after.equals(Buffer.from(want, decoded.encoding)), `--fix wrote ${JSON.stringify(after.toString('latin1'))}, fixAll gives ${JSON.stringify(want)}`);
      extra(after);
      // After fixing, the exit code reflects what is left.
      assert.strictEqual(r.code, expected(f).diags.length ? 1 : 0);
      const again = cli(['--fix', '--no-config', f]);
      assert.ok(again.code === 0 || again.code === 1, again.stderr);
      assert.ok(fs.readFileSync(f).equals(after), 'a second --fix changes nothing');
      assert.doesNotMatch(again.stdout, /applied/);
    }

    it('writes the same text as fixAll, and a second --fix changes nothing (LF fragment)', function () {
      checkFix('conf.d/50-session.ini', Buffer.from(SESSION_BAD), () => undefined);
    });

    it('keeps CRLF line endings (main php.ini, where missing directives are added too)', function () {
      checkFix('php.ini', Buffer.from(SESSION_BAD.replace(/\n/g, '\r\n')), (after) => {
        const s = after.toString('utf8');
        assert.doesNotMatch(s, /(^|[^\r])\n/, 'every line break is still CRLF');
        assert.doesNotMatch(s, /\r(?!\n)/, 'no lone CR');
      });
    });

    it('keeps the UTF-8 BOM', function () {
      checkFix('conf.d/60-bom.ini', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SESSION_BAD)]), (after) => {
        assert.deepStrictEqual([...after.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
        assert.notStrictEqual(after[3], 0xef, 'exactly one BOM');
      });
    });

    it('keeps bytes that are not UTF-8 (latin1 file)', function () {
      checkFix('conf.d/70-latin1.ini', Buffer.concat([Buffer.from('; caf'), Buffer.from([0xe9]), Buffer.from('\n' + SESSION_BAD)]), (after) => {
        assert.strictEqual(after.indexOf(Buffer.from([0x3b, 0x20, 0x63, 0x61, 0x66, 0xe9])), 0, 'the latin1 byte is unchanged');
      });
    });

    it('keeps a pool file valid and fixes it (php-fpm dialect)', function () {
      checkFix('pool.d/www.conf', Buffer.from(POOL_BAD), () => undefined);
    });
  });

  describe('severity options', function () {
    it('--threshold error vs the default: warnings alone exit 1 by default and 0 with --threshold error', function () {
      const d = freshDir();
      const f = write(path.join(d, 'conf.d', '80.ini'), WARN_ONLY);
      const all = expected(f).diags;
      assert.ok(all.length > 0 && all.every((x) => x.severity !== 'error'), `fixture should have warnings and no errors: ${JSON.stringify(all.map((x) => [x.rule, x.severity]))}`);
      assert.strictEqual(cli([f]).code, 1);
      const r = cli(['--threshold', 'error', f]);
      assert.strictEqual(r.code, 0, r.stdout);
      assert.strictEqual(r.stdout, 'No problems found in 1 file.\n');
      assert.strictEqual(cli(['--threshold=warning', f]).code, 1);
      // An error-level finding still fails with --threshold error.
      const g = write(path.join(d, 'conf.d', '81.ini'), 'session.name = (\n');
      const ge = expected(g, { threshold: 'error' }).diags;
      assert.ok(ge.length > 0, 'a syntax error is an error-level finding');
      assert.strictEqual(cli(['--threshold', 'error', g]).code, 1);
    });

    it('--rule <id>=off drops that rule; --rule <id>=error raises its severity', function () {
      const d = freshDir();
      const f = write(path.join(d, 'conf.d', '82.ini'), WARN_ONLY);
      const r = cli(['--format', 'json', '--rule', 'session-use-strict-mode=off', f]);
      const want = expected(f, { overrides: { rules: { 'session-use-strict-mode': 'off' } } }).diags;
      assert.deepStrictEqual(jsonOut(r).map((x) => x.rule), want.map((x) => x.rule));
      assert.ok(!jsonOut(r).some((x) => x.rule === 'session-use-strict-mode'));
      assert.strictEqual(r.code, want.length ? 1 : 0);
      const up = jsonOut(cli(['--format', 'json', '--rule=session-use-strict-mode=error', f]));
      assert.deepStrictEqual(up.filter((x) => x.rule === 'session-use-strict-mode').map((x) => x.severity), ['error']);
    });
  });

  describe('usage errors: exit 2, one line, no stack trace', function () {
    const cases: Array<[string, string[], RegExp]> = [
      ['unknown option', ['--bogus', 'x.ini'], /unknown option --bogus/],
      ['--php-version abc', ['--php-version', 'abc', 'x.ini'], /--php-version .*"abc"/],
      ['--php-version=8', ['--php-version=8', 'x.ini'], /--php-version/],
      ['--format xml', ['--format', 'xml', 'x.ini'], /unknown format "xml"/],
      ['--format without a value', ['--format'], /--format needs a value/],
      ['--threshold loud', ['--threshold', 'loud', 'x.ini'], /--threshold/],
      ['--profile staging', ['--profile', 'staging', 'x.ini'], /--profile/],
      ['--rule without =level', ['--rule', 'session-name', 'x.ini'], /--rule takes/],
      ['--rule with an unknown rule', ['--rule', 'no-such-rule=off', 'x.ini'], /unknown rule "no-such-rule"/],
      ['--dialect yaml', ['--dialect', 'yaml', 'x.ini'], /--dialect/],
      ['no files', [], /no files given/],
    ];
    for (const [name, argv, pattern] of cases) {
      it(name, function () {
        assertCleanError(cli(argv), 2, pattern);
      });
    }

    it('--config naming a missing file: exit 2, one line', function () {
      const d = freshDir();
      const f = write(path.join(d, 'conf.d', 'a.ini'), WARN_ONLY);
      assertCleanError(cli(['--config', path.join(d, 'missing.ini'), f]), 2, /missing\.ini: no such file or directory$/);
    });
  });

  describe('project file .php-ini-lint.ini', function () {
    // session.cookie_partitioned exists from PHP 8.5 on: a finding under php_version = 8.2, none under 8.5.
    // display_errors = On is reported in production only. session-use-strict-mode is turned off in [rules].
    const FILE = 'session.cookie_partitioned = On\nsession.cookie_secure = On\nsession.use_strict_mode = 0\ndisplay_errors = On\n';
    const CONFIG = 'php_version = 8.2\nprofile = development\n\n[rules]\nsession-use-strict-mode = off\n';

    function layout(): { dir: string; file: string; cfg: string } {
      const dir = freshDir();
      const cfg = write(path.join(dir, '.php-ini-lint.ini'), CONFIG);
      const file = write(path.join(dir, 'app', 'deploy', 'conf.d', '90-app.ini'), FILE);
      return { dir, file, cfg };
    }

    it('is found by walking up from the file; php_version, profile and [rules] are honoured', function () {
      const { file, cfg } = layout();
      const project = parseProjectConfig(fs.readFileSync(cfg, 'utf8'), cfg);
      assert.deepStrictEqual(project.problems, []);
      const r = cli(['--format', 'json', file]);
      const got = jsonOut(r);
      assert.deepStrictEqual(got.map((x) => [x.rule, x.line]), expected(file, { project }).diags.map((x) => [x.rule, x.range.start.line + 1]));
      const rules = got.map((x) => x.rule);
      assert.ok(!rules.includes('session-use-strict-mode'), '[rules] session-use-strict-mode = off');
      assert.ok(rules.includes('not-yet-available'), 'php_version = 8.2: session.cookie_partitioned is not available yet');
      assert.ok(!rules.includes('display-errors'), 'profile = development: display_errors = On is fine');
      // The same file without the project file (the defaults: newest PHP, production).
      const none = jsonOut(cli(['--format', 'json', '--no-config', file])).map((x) => x.rule);
      assert.deepStrictEqual(none, expected(file).diags.map((x) => x.rule));
      assert.ok(none.includes('session-use-strict-mode'), '--no-config: the rule is on again');
      assert.ok(!none.includes('not-yet-available'), '--no-config: the newest PHP has session.cookie_partitioned');
      if (expected(file, { overrides: { profile: 'production' } }).diags.some((x) => x.rule === 'display-errors')) {
        assert.ok(none.includes('display-errors'), '--no-config: production profile reports display_errors = On');
      }
    });

    it('command-line options outrank the project file; --config picks a file explicitly', function () {
      const { dir, file } = layout();
      const r = jsonOut(cli(['--format', 'json', '--php-version', '8.5', file])).map((x) => x.rule);
      assert.ok(!r.includes('not-yet-available'), '--php-version 8.5 outranks php_version = 8.2');
      assert.ok(!r.includes('session-use-strict-mode'), 'the project [rules] still apply');
      const other = write(path.join(dir, 'other.ini'), 'php_version = 8.5\n');
      const e = jsonOut(cli(['--format', 'json', '--config', other, file])).map((x) => x.rule);
      assert.ok(e.includes('session-use-strict-mode') && !e.includes('not-yet-available'), '--config uses only the named file');
    });

    it('a broken project file is reported in one line per problem, exit 2, no stack trace', function () {
      const dir = freshDir();
      write(path.join(dir, '.php-ini-lint.ini'), 'php_version = eight\n[rules]\nsession-name = loud\n');
      const file = write(path.join(dir, 'conf.d', 'a.ini'), WARN_ONLY);
      const r = cli([file]);
      assert.strictEqual(r.code, 2);
      assert.doesNotMatch(r.stderr, STACK);
      const lines = r.stderr.trim().split('\n');
      assert.strictEqual(lines.length, 2, r.stderr);
      for (const l of lines) assert.match(l, /^php-ini-lint: .*\.php-ini-lint\.ini: /);
    });
  });

  describe('subprocess: node bin/php-ini-lint.js', function () {
    it('a reader that closes the pipe early (`| head`): no stack trace, the exit code of the run', async function () {
      const d = freshDir();
      write(path.join(d, 'conf.d', 'bad.ini'), WARN_ONLY);
      for (const format of ['text', 'json']) {
        const child = spawn(process.execPath, [BIN, '--format', format, 'conf.d/bad.ini'], { cwd: d, stdio: ['ignore', 'pipe', 'pipe'] });
        child.stdout.destroy(); // closed before the process has started, so its first write fails with EPIPE
        let stderr = '';
        child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
        const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
        assert.strictEqual(stderr, '', format);
        assert.strictEqual(code, 1, format);
      }
    });

    it('exit codes 0 / 1 / 2 and clean stderr, as a real process', function () {
      // bin/ prefers a bundled dist/cli.js when one exists (a packaged build), else the TypeScript build.
      if (fs.existsSync(path.join(ROOT, 'dist', 'cli.js'))) {
        // eslint-disable-next-line no-console
        console.log('      (bin/php-ini-lint.js runs dist/cli.js here: rebuild the bundle if it is older than the sources)');
      }
      const d = freshDir();
      write(path.join(d, 'conf.d', 'clean.ini'), '; nothing\n');
      write(path.join(d, 'conf.d', 'bad.ini'), WARN_ONLY);
      const clean = subprocess(['conf.d/clean.ini'], d);
      assert.strictEqual(clean.code, 0, clean.stderr);
      assert.strictEqual(clean.stdout, 'No problems found in 1 file.\n');
      const bad = subprocess(['conf.d/bad.ini'], d);
      assert.strictEqual(bad.code, 1, bad.stderr);
      assert.match(bad.stdout, /session-use-strict-mode/);
      assertCleanError(subprocess(['conf.d/missing.ini'], d), 2, /missing\.ini: no such file or directory$/);
      assertCleanError(subprocess(['--bogus'], d), 2, /unknown option --bogus/);
      assertCleanError(subprocess(['--php-version', 'abc', 'conf.d/bad.ini'], d), 2, /--php-version/);
      const json = subprocess(['--format', 'json', '--threshold', 'error', 'conf.d/bad.ini'], d);
      assert.strictEqual(json.code, 0);
      assert.deepStrictEqual(JSON.parse(json.stdout), []);
      const v = subprocess(['--version'], d);
      assert.strictEqual(v.code, 0);
      assert.match(v.stdout, /^\d+\.\d+\.\d+\n$/);
    });
  });
});
