// The engine on real configs and on hostile input: lossless, error-free on the corpus, equal to PHP.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cfgVars, decode, dialectForPath, encode, parse, print } from '../server/src/engine';
import { CORPUS, corpusFiles } from './corpus';
import { phpAvailable, runPhp } from './differential/php';

// php-cli forces these over php.ini (its hard-coded INI entries), so the CLI cannot be the oracle for them.
const CLI_FORCED = new Set(['display_errors', 'register_argc_argv', 'html_errors', 'implicit_flush', 'output_buffering', 'max_execution_time', 'max_input_time']);


describe('engine on the corpus of real configs', function () {
  const files = corpusFiles();
  before(function () {
    if (!files.length) this.skip();
  });

  it('finds the whole corpus (guards against a silently empty run)', () => {
    assert.ok(files.length >= 20, `only ${files.length} corpus files found in ${CORPUS}`);
  });

  for (const file of files) {
    const rel = path.relative(CORPUS, file);
    describe(rel, () => {
      const bytes = fs.readFileSync(file);
      const decoded = decode(bytes);
      const dialect = dialectForPath(file);
      const doc = parse(decoded.text, { dialect, phpVersion: '8.2' });

      it('parses with no syntax error', () => {
        assert.deepEqual(doc.errors, []);
        assert.equal(doc.truncatedAt, undefined);
      });

      it('prints back byte for byte', () => {
        assert.ok(encode({ text: print(doc), encoding: decoded.encoding }).equals(bytes));
      });

      if (dialect === 'php-ini') {
        it('has the effective values PHP 8.2 reports', function () {
          if (!phpAvailable()) this.skip();
          const ours = cfgVars(doc);
          const keys = [...Object.keys(ours), ...doc.statements.filter((s) => s.kind === 'entry').map((s) => s.name as string)];
          const php = runPhp(bytes, keys, { encoding: decoded.encoding });
          assert.deepEqual(php.errors, []);
          for (const k of new Set(keys)) {
            if (CLI_FORCED.has(k)) continue;
            const theirs = php.values[k];
            assert.deepEqual(ours[k] ?? false, theirs, `value of ${k}`);
          }
        });
      }
    });
  }
});

describe('engine on hostile input', () => {
  const cases: Array<[string, string]> = [
    ['deep parentheses', `a = ${'('.repeat(100_000)}1${')'.repeat(100_000)}\n`],
    ['unbalanced deep parentheses', `a = ${'('.repeat(100_000)}\n`],
    ['a huge unterminated double quote', `a = "${'x'.repeat(1_000_000)}`],
    ['a huge unterminated single quote', `a = '${'x\n'.repeat(200_000)}`],
    ['a very long line of operators', `a = ${'1|'.repeat(200_000)}1\n`],
    ['many sections', '[s]\n'.repeat(100_000)],
    ['one key repeated', 'a = 1\n'.repeat(100_000)],
    ['one array key repeated', 'a[k] = 1\n'.repeat(100_000)],
    ['many appends', 'a[] = 1\n'.repeat(100_000)],
    ['NUL bytes and lone CRs', 'a = b\0c\rd = \0\r\0'.repeat(10_000)],
    ['a BOM then garbage', '\ufeff\u0000\u0001\u00ff((]]""\'\'${${${'],
    ['huge number in an expression', `a = ${'9'.repeat(100_000)} | 1\n`],
    ['invalid UTF-8 read as latin1', Buffer.from([0xc3, 0x28, 0x3d, 0xff, 0xfe, 0x0a, 0x61, 0x3d, 0x80]).toString('latin1')],
  ];
  for (const [name, text] of cases) {
    for (const dialect of ['php-ini', 'php-fpm'] as const) {
      it(`${name} (${dialect}): no throw, lossless`, () => {
        const doc = parse(text, { dialect, phpVersion: '8.2' });
        assert.equal(print(doc), text);
        cfgVars(doc);
      });
    }
  }

  it('random bytes never throw and always print back', () => {
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const alphabet = 'ab =;#[]()"\'$\\{}:-\r\n\t\0|&^~!Ee_ONofy1.,\ufeff';
    for (let n = 0; n < 2000; n++) {
      let s = '';
      const len = Math.floor(rnd() * 80);
      for (let i = 0; i < len; i++) s += alphabet[Math.floor(rnd() * alphabet.length)];
      for (const v of ['8.2', '8.4']) {
        const doc = parse(s, { phpVersion: v });
        assert.equal(print(doc), s, JSON.stringify(s));
      }
    }
  });
});
