// Differential tests: the engine must read php.ini files exactly as PHP 8.2 does.
// For every case (and every generated file) we run the real `php -n -c FILE` and the engine, then check
// (1) get_cfg_var() == cfgVars() for every key either side knows about, (2) the first syntax error
// (message and line) is identical, (3) the syntax tree prints back to the input byte for byte.

import * as assert from 'assert';
import fc from 'fast-check';
import * as fs from 'fs';
import * as path from 'path';
import { parse, cfgVars } from '../../server/src/engine';
import { hasEntry } from '../../server/src/engine/own';
import { CASES } from './cases';
import { CfgValue, decodeForEngine, phpAvailable, phpVersion, runPhp, toBytes } from './php';

const FUZZ_RUNS = Number(process.env.PHP_INI_LINT_FUZZ_RUNS || 200);
const FUZZ_SEED = Number(process.env.PHP_INI_LINT_FUZZ_SEED || 20260522);
const BASE_ENV: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin' };

/** Keys php-cli overrides after reading php.ini (sapi/cli/php_cli.c HARDCODED_INI); not comparable. */
const CLI_FORCED = new Set(['html_errors', 'register_argc_argv', 'implicit_flush', 'output_buffering', 'max_execution_time', 'max_input_time']);

type EngineValue = string | Record<string, unknown> | unknown[];

interface Outcome {
  values: Record<string, CfgValue>;
  error: { message: string; line: number } | null;
}

/** Show a string the way a JS literal would, so the report is copy-pasteable. */
function lit(s: string): string {
  return JSON.stringify(s);
}

function normalize(v: EngineValue | undefined): CfgValue {
  // Compared as given: the engine must already return lists (keys 0..n-1 in order) as arrays.
  if (v === undefined) return false;
  return v as CfgValue;
}

interface Comparison {
  problems: string[];
  php: Outcome;
  engine: Outcome;
  /** PHP aborted (e.g. `Out of memory`); only the round trip was checked. */
  crashed?: string;
}

/** Run both sides on one input and describe every disagreement. */
export function compareWithPhp(input: string | Buffer, keys: string[], caseEnv: Record<string, string> = {}): Comparison {
  const bytes = toBytes(input);
  const { text, encoding } = decodeForEngine(bytes);
  const env = { ...BASE_ENV, ...caseEnv };
  const problems: string[] = [];

  let engineVals: Record<string, EngineValue> = {};
  let engineError: Outcome['error'] = null;
  try {
    const tree = parse(text, { dialect: 'php-ini', phpVersion: '8.2', env });
    engineVals = cfgVars(tree) as Record<string, EngineValue>;
    const e = tree.errors[0];
    engineError = e ? { message: e.message, line: e.phpLine } : null;
    if (tree.text !== text) problems.push(`tree.text differs from the input`);
    const printed = tree.statements.map((s) => tree.text.slice(s.start, s.end)).join('');
    if (printed !== text) problems.push(`not lossless: statements print ${lit(printed)}`);
  } catch (ex) {
    problems.push(`engine threw: ${(ex as Error).stack ?? String(ex)}`);
  }

  const allKeys = [...new Set([...keys, ...Object.keys(engineVals)])];
  const php = runPhp(bytes, allKeys, { env: caseEnv, encoding });
  const phpError = php.errors[0] ? { message: php.errors[0].message, line: php.errors[0].line } : null;
  if (php.crashed) {
    // PHP aborted at startup ("Out of memory"): nothing to compare but the round trip.
    return { problems, php: { values: {}, error: phpError }, engine: { values: {}, error: engineError }, crashed: php.crashed };
  }

  const engineOut: Outcome = { values: {}, error: engineError };
  const phpOut: Outcome = { values: {}, error: phpError };
  for (const k of allKeys) {
    phpOut.values[k] = php.values[k];
    // Own keys only: the engine's object must not answer `valueOf` from Object.prototype.
    engineOut.values[k] = normalize(hasEntry(engineVals, k) ? engineVals[k] : undefined);
    // The CLI SAPI forces these into the configuration hash after php.ini is read, so the oracle cannot
    // see the file's value; and it defaults display_errors to "1" when the file does not set it.
    if (CLI_FORCED.has(k)) continue;
    if (k === 'display_errors' && engineOut.values[k] === false && phpOut.values[k] === '1') continue;
    try {
      assert.deepStrictEqual(engineOut.values[k], phpOut.values[k]);
    } catch {
      problems.push(`key ${lit(k)}: PHP ${JSON.stringify(phpOut.values[k])}, engine ${JSON.stringify(engineOut.values[k])}`);
    }
  }
  const fmt = (e: Outcome['error']) => (e ? `${lit(e.message)} on line ${e.line}` : 'no error');
  if (fmt(phpError) !== fmt(engineError)) {
    problems.push(`first syntax error: PHP ${fmt(phpError)}, engine ${fmt(engineError)}`);
  }
  return { problems, php: phpOut, engine: engineOut };
}

function report(input: string | Buffer, c: Comparison): string {
  const shown = Buffer.isBuffer(input) ? `Buffer.from(${lit(input.toString('latin1'))}, 'latin1')` : lit(input);
  return `input: ${shown.length > 2000 ? shown.slice(0, 2000) + '…' : shown}\n  - ${c.problems.join('\n  - ')}`;
}

describe('differential: engine vs php -n -c (PHP 8.2)', function () {
  this.timeout(60000);

  before(function () {
    if (!phpAvailable()) {
      // eslint-disable-next-line no-console
      console.warn('    [differential] SKIPPED: `php` is not on PATH (CI installs php 8.2; install it to run these).');
      this.skip();
    }
    const v = phpVersion();
    if (!v.startsWith('8.2.')) {
      // eslint-disable-next-line no-console
      console.warn(`    [differential] note: oracle is PHP ${v}, the cases were written against 8.2`);
    }
  });

  describe('oracle facts (what PHP 8.2 itself does; pinned from SYNTAX.md and experiments)', function () {
    for (const c of CASES.filter((x) => x.php)) {
      it(`${c.id}: PHP: ${c.title}`, function () {
        const pin = c.php!;
        const keys = [...new Set([...c.keys, ...Object.keys(pin.values ?? {})])];
        const { encoding } = decodeForEngine(toBytes(c.input));
        const r = runPhp(c.input, keys, { env: c.env, encoding });
        assert.strictEqual(r.crashed, pin.crash, 'PHP aborted at startup');
        for (const [k, v] of Object.entries(pin.values ?? {})) {
          assert.deepStrictEqual(r.values[k], v, `get_cfg_var(${lit(k)})`);
        }
        if (pin.error !== undefined) {
          const got = r.errors[0] ? { message: r.errors[0].message, line: r.errors[0].line } : null;
          assert.deepStrictEqual(got, pin.error, 'first syntax error');
        }
      });
    }
  });

  describe('hand-written cases (SYNTAX.md rules 1-15, transcript T1a..T13f, edges)', function () {
    for (const c of CASES) {
      it(`${c.id}: ${c.title}`, function () {
        const cmp = compareWithPhp(c.input, [...c.keys, ...Object.keys(c.php?.values ?? {})], c.env);
        if (cmp.problems.length) assert.fail(report(c.input, cmp));
      });
    }
  });

  describe('real-world files (shared corpus; skipped when absent, PHP_INI_LINT_CORPUS overrides the dir)', function () {
    const dir = process.env.PHP_INI_LINT_CORPUS || '/work/shared/corpus';
    const files = corpusFiles(dir);
    if (!files.length) {
      it('corpus directory not found', function () {
        this.skip();
      });
    }
    for (const f of files) {
      it(`${path.relative(dir, f)} reads the same`, function () {
        const bytes = fs.readFileSync(f);
        const keys = guessKeys({ lines: bytes.toString('latin1').split(/\r\n|\r|\n/), eols: [], keys: [], env: {} });
        const cmp = compareWithPhp(bytes, keys, { HOME: '/root' });
        if (cmp.problems.length) assert.fail(report(`<${f}>`, cmp));
      });
    }
  });

  describe(`randomized (fast-check, seed ${FUZZ_SEED}, ${FUZZ_RUNS} runs each; PHP_INI_LINT_FUZZ_RUNS / _SEED override)`, function () {
    this.timeout(600000);
    it('generated php.ini files from real constructs agree with PHP', function () {
      fuzz(grammarFile(), 'grammar', FUZZ_SEED);
    });
    it('generated token soup (quotes, $, braces, operators, line endings) agrees with PHP', function () {
      fuzz(soupFile(), 'soup', FUZZ_SEED + 1);
    });
  });
});

// ------------------------------------------------------------------------------------------ generators

/** A generated file: lines without their line ending, plus how lines end. */
export interface GenFile {
  lines: string[];
  eols: string[]; // eols[i] ends lines[i]; '' for the last line when the file has no final newline
  keys: string[];
  env: Record<string, string>;
}

const FUZZ_ENV: Record<string, string> = { FOO: 'foo', HOME: '/root', EMPTY: '', 'FOO:-d': 'fd', NUM: '6', 'x.a': 'env-x.a' };

// Only unknown directives: a registered directive written as an array crashes php-cli ("Out of memory").
const KEYS = ['x.a', 'x.b', 'my key', 'k1', 'K1', 'a-b', 'q?', 'x#y', 'sess.name', 'x.ua', 'FOO', 'onx'];
const OFFSETS = ['', 'a', '0', '1', ' b ', '"q"', "'r'", 'E_ALL', '${FOO}', '-1', '-5', '01', 'k 2', 'On'];
const WORDS = ["it's", 'x$', 'abc', '/tmp/x.log', '1', '0', '-1', '1.5', '.5', '0x1F', '128M', '10 + 4', 'a b', 'yes_please', 'nocache', 'PHP_VERSION.x', 'E_ALL_FOO', 'a$b', 'cost$5', 'http://h/p?a=1', '#x', 'C:\\dir\\', 'e_all', 'Mozilla/5.0', '$', 'x.y-z'];
const BOOLS = ['On', 'off', 'TRUE', 'no', 'None', 'null', 'Yes', 'FALSE', 'NULL'];
const CONSTS = ['E_ALL', 'E_NOTICE', 'E_STRICT', 'E_DEPRECATED', 'E_USER_ERROR', 'E_WARNING', 'PHP_EOL', 'PHP_INT_SIZE', 'E_ERROR'];
const DQ = ['', 'x', 'a;b', '${FOO}', '\\"', '\\\\', '\\$', 'E_ALL | 1', 'a\nb', 'C:\\dir\\', ' sp ', '$', '#', "it's", '${NOPE}x'];
const SQ = ['', 'x', 'a;b', '${FOO}', 'a\nb', '\\', ' sp ', '"q"', '$'];
const VARS = ['FOO', 'HOME', 'NOPE', 'x.a', 'k1', 'EMPTY', ' FOO ', 'FOO:-d', 'NUM', 'my key'];
const SECTIONS = ['PHP', 'Session', 'mail function', 'PATH=/x', 'HOST=h', 'Pathological', 'foo', 'PATH', ' PHP '];
const SPACES = ['', ' ', '  ', '\t', ' \t '];

const pick = <T>(xs: T[]) => fc.constantFrom(...xs);

function exprArb(): fc.Arbitrary<string> {
  const { expr } = fc.letrec<{ expr: string; atom: string }>((tie) => ({
    atom: fc.oneof(
      { maxDepth: 3, depthIdentifier: 'expr' },
      { weight: 4, arbitrary: pick(CONSTS) },
      { weight: 3, arbitrary: pick(['1', '2', '6', '0', '-1', '0x10', '7', 'abc']) },
      { weight: 1, arbitrary: pick(VARS).map((v) => '${' + v + '}') },
      { weight: 1, arbitrary: pick(['"3"', "'5'", '"E_ALL"']) },
      { weight: 2, arbitrary: fc.tuple(pick(['~', '!', '~ ', '!!']), tie('atom')).map(([u, a]) => u + a) },
      { weight: 2, arbitrary: fc.tuple(pick(['(', '( ']), tie('expr'), pick([')', ' )'])).map(([o, e, c]) => o + e + c) },
    ),
    expr: fc.oneof(
      { maxDepth: 3, depthIdentifier: 'expr' },
      { weight: 2, arbitrary: tie('atom') },
      {
        weight: 3,
        arbitrary: fc
          .tuple(tie('atom'), fc.array(fc.tuple(pick([' | ', ' & ', ' ^ ', '|', '&', ' & ~', '^']), tie('atom')), { minLength: 1, maxLength: 3 }))
          .map(([a, rest]) => a + rest.map(([op, b]) => op + b).join('')),
      },
    ),
  }));
  return expr;
}

function valueArb(): fc.Arbitrary<string> {
  const piece = fc.oneof(
    { weight: 4, arbitrary: pick(WORDS) },
    { weight: 2, arbitrary: pick(BOOLS) },
    { weight: 2, arbitrary: pick(CONSTS) },
    { weight: 3, arbitrary: pick(DQ).map((s) => `"${s}"`) },
    { weight: 2, arbitrary: pick(SQ).map((s) => `'${s}'`) },
    { weight: 2, arbitrary: pick(VARS).map((v) => '${' + v + '}') },
  );
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant('') },
    { weight: 6, arbitrary: fc.array(fc.tuple(piece, pick(SPACES)), { minLength: 1, maxLength: 3 }).map((ps) => ps.map(([p, s], i) => (i ? s : '') + p).join('')) },
    { weight: 3, arbitrary: exprArb() },
  );
}

function statementArb(): fc.Arbitrary<string> {
  const eq = pick([' = ', '=', '\t=\t', ' =', '= ', '  =  ']);
  const lead = pick(['', '', '', ' ', '\t']);
  const trail = pick(['', '', '', ' ', '  ', ' ; comment', ';c', '\t; (c) "x"']);
  const entry = fc.tuple(lead, pick(KEYS), eq, valueArb(), trail).map(([l, k, e, v, t]) => l + k + e + v + t);
  const arrayEntry = fc.tuple(pick(KEYS), pick(OFFSETS), eq, valueArb(), trail).map(([k, o, e, v, t]) => `${k}[${o}]${e}${v}${t}`);
  const section = fc.tuple(pick(SECTIONS), pick(['', ' ', ' ; c', ' x.a = 1'])).map(([s, t]) => `[${s}]${t}`);
  const comment = pick(['; comment', ';', '   ; indented (x) "y"', '; ${FOO} [a] = b']);
  const hash = pick(['# comment', '# x.a = hashed', '#', '# note: see docs', "# don't", '# (paren)', '# a = b "c"']);
  const bare = pick(['barekey', 'x.a', '  spaced key  ']);
  const broken = pick(['x.a = E_ALL)', 'x.b = (1', 'x.a = On Off', '= v', 'on = 1', '[unclosed', 'k1 = a=b', 'x.a = "open']);
  return fc.oneof(
    { weight: 12, arbitrary: entry },
    { weight: 4, arbitrary: arrayEntry },
    { weight: 2, arbitrary: section },
    { weight: 2, arbitrary: comment },
    { weight: 1, arbitrary: hash },
    { weight: 1, arbitrary: bare },
    { weight: 2, arbitrary: fc.constant('') },
    { weight: 1, arbitrary: broken },
  );
}

function withEols(lines: fc.Arbitrary<string[]>): fc.Arbitrary<GenFile> {
  return fc
    .tuple(lines, pick(['\n', '\r\n', '\r', 'mixed']), fc.boolean(), fc.array(pick(['\n', '\r\n', '\r']), { minLength: 60, maxLength: 60 }))
    .map(([ls, mode, finalEol, mix]) => {
      const eols = ls.map((_, i) => (mode === 'mixed' ? mix[i % mix.length] : mode));
      if (!finalEol && eols.length) eols[eols.length - 1] = '';
      return { lines: ls, eols, keys: [], env: FUZZ_ENV };
    });
}

export function grammarFile(): fc.Arbitrary<GenFile> {
  return withEols(fc.array(statementArb(), { minLength: 1, maxLength: 25 }));
}

const SOUP = [
  'a', 'b', 'k', 'x.y', ' ', ' ', '\t', '=', '=', '"', "'", '$', '${', '{', '}', '(', ')', '|', '&', '^', '~', '!', ';', '#', '[', ']',
  '\\', 'E_ALL', 'On', 'off', 'null', '1', '${FOO}', '\x00', 'é', '$\n', '$\r', '\\"', "''", '""', '\n', '\r', '\r\n', '[PATH=/x]',
  'k[]', '\x0b', '\uFEFF',
];

export function soupFile(): fc.Arbitrary<GenFile> {
  const line = fc.array(pick(SOUP), { minLength: 0, maxLength: 10 }).map((xs) => xs.join(''));
  // Start most lines with a key so that values are exercised, not just line-start errors.
  const stmt = fc.oneof({ weight: 3, arbitrary: fc.tuple(pick(['a', 'k', 'x.y', 'a b']), pick([' = ', '=']), line).map(([k, e, v]) => k + e + v) }, { weight: 1, arbitrary: line });
  return withEols(fc.array(stmt, { minLength: 1, maxLength: 8 }));
}

function render(f: GenFile): string {
  return f.lines.map((l, i) => l + f.eols[i]).join('');
}

function corpusFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ini|conf)$|^php\.ini-/.test(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

/** Keys worth asking PHP about for a generated file: the fixed list plus anything that looks like a key. */
function guessKeys(f: GenFile): string[] {
  const ks = new Set<string>([...KEYS, 'a', 'k', 'x.y', 'a b', '# x.a', '# a']);
  for (const l of f.eols.length ? render(f).split(/\r\n|\r|\n/) : f.lines) {
    const m = /^[ \t]*([^=\[;]*?)[ \t]*(\[|=)/.exec(l);
    if (m && m[1]) ks.add(m[1]);
  }
  return [...ks];
}

let fuzzCrashes = 0;
function fails(f: GenFile): Comparison | null {
  const cmp = compareWithPhp(render(f), guessKeys(f), f.env);
  if (cmp.crashed) fuzzCrashes++;
  return cmp.problems.length ? cmp : null;
}

/** Greedy delta-debugging: drop lines (and line endings) while the file still fails. Capped. */
function minimize(f: GenFile, budget = 150): GenFile {
  let cur = f;
  let progress = true;
  while (progress && budget > 0) {
    progress = false;
    for (let i = 0; i < cur.lines.length && budget > 0; i++) {
      const cand: GenFile = { ...cur, lines: cur.lines.filter((_, j) => j !== i), eols: cur.eols.filter((_, j) => j !== i) };
      if (!cand.lines.length) continue;
      budget--;
      if (fails(cand)) {
        cur = cand;
        progress = true;
        i--;
      }
    }
  }
  return cur;
}

function fuzz(arb: fc.Arbitrary<GenFile>, label: string, seed: number): void {
  const samples = fc.sample(arb, { seed, numRuns: FUZZ_RUNS });
  const failures: { file: GenFile; cmp: Comparison }[] = [];
  fuzzCrashes = 0;
  for (const f of samples) {
    const cmp = fails(f);
    if (cmp) failures.push({ file: f, cmp });
  }
  if (fuzzCrashes) {
    // eslint-disable-next-line no-console
    console.log(`      (${label}: ${fuzzCrashes}/${samples.length} files made PHP abort with "Out of memory" (\${} of an array); only the round trip was checked for them)`);
  }
  if (!failures.length) return;
  // Minimize a few distinct-looking failures (by first problem kind) for a readable report.
  const seen = new Set<string>();
  const shown: string[] = [];
  for (const { file } of failures.sort((a, b) => render(a.file).length - render(b.file).length)) {
    if (shown.length >= 6) break;
    const small = minimize(file);
    const text = render(small);
    const cmp = fails(small);
    if (!cmp) continue;
    const sig = cmp.problems.map((p) => p.replace(/".*"/g, '…')).join('|');
    if (seen.has(sig) || seen.has(text)) continue;
    seen.add(sig);
    seen.add(text);
    shown.push(report(text, cmp));
  }
  assert.fail(`${label}: ${failures.length}/${samples.length} generated files disagree with PHP (seed ${seed}). Minimized examples:\n\n${shown.join('\n\n')}`);
}
