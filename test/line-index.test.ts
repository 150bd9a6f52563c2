// The parser reads line starts off its tokens instead of scanning the text again; they must be exactly
// the line starts LSP counts (`\n`, `\r\n` and a lone `\r`), whatever the bytes.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import fc from 'fast-check';
import { parse } from '../server/src/engine';
import { LineIndex } from '../server/src/engine/text';
import { corpusFiles } from './corpus';
import { FUZZ_SEED, runs } from './properties/arbitraries';

function textStarts(text: string): number[] {
  const idx = new LineIndex(text);
  return Array.from({ length: idx.lineCount }, (_, i) => idx.lineStart(i));
}

function tokenStarts(text: string, dialect: 'php-ini' | 'php-fpm', phpVersion: string): number[] {
  const lines = parse(text, { dialect, phpVersion }).lines;
  return Array.from({ length: lines.lineCount }, (_, i) => lines.lineStart(i));
}

function check(text: string): void {
  const expected = textStarts(text);
  for (const dialect of ['php-ini', 'php-fpm'] as const) {
    for (const v of ['8.2', '8.4']) assert.deepEqual(tokenStarts(text, dialect, v), expected, `${dialect} ${v}: ${JSON.stringify(text)}`);
  }
}

describe('line starts read off the tokens', () => {
  it('match a scan of the text on every corpus file', function () {
    const files = corpusFiles();
    if (!files.length) this.skip();
    for (const f of files) check(fs.readFileSync(f, 'latin1'));
  });

  it('match on line breaks inside quotes, raw strings, `$` + break, sections, offsets, errors and NUL', () => {
    for (const text of [
      '',
      '\n',
      '\r',
      '\r\n',
      '\n\r',
      'a = "x\ny"\n',
      'a = "x\r\ny"\r\n',
      "a = 'x\r\ny'\r",
      'a = b$\r\nc = 1\n',
      'a = b$\rc\n',
      'a = $\r',
      '[sec\\\r\nx]\r\n',
      "[a'b\nc']\n",
      'k[a\\\nb] = 1\n',
      'a = (\n\r\n',
      'a = 1 ; c\r\n\r\n# x\r',
      'a = "\\"\r\nb"\n',
      'x\0y\r\nz = 1\r',
      '\ufeff\r\na = 1',
      'a = "${B:-c\r\nd}"\r\n',
    ]) {
      check(text);
    }
  });

  it('match on LF-only text, where the starts recorded while scanning are used unless a token holds a break', () => {
    const base = [
      'a = 1\nb = 2\n',
      'a = 1\nb = 2',
      'a = "x\ny"\nb = 1\n',
      "a = 'x\ny'\n",
      'a = b$\nc = 1\n',
      '[sec\\\nx]\n',
      "[a'b\nc']\n",
      'k[a\\\nb] = 1\n',
      'a = (\n\nb = 1\n',
      'x\0y\nz = 1\n',
      '\ufeff\na = 1',
      'a = "${B:-c\nd}"\n',
      '[www]\nlisten = 9000\nphp_value[x] = "a\nb"\n',
      'a = "quoted, no break"\n; comment\n\n  \nb = On ; c\n',
    ];
    for (const text of base) check(text);
    // A file cut short by a syntax error, then more lines.
    for (const text of base) check(`a = (\n${text}`);
  });

  it('match on generated text made of the characters that matter', () => {
    const chars = fc.constantFrom('\n', '\r', '\r\n', '"', "'", '$', '{', '}', '\\', '[', ']', '=', ';', ' ', 'a', '1', '\0', '(', ':-', '#');
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 40 }), (parts) => check(parts.join(''))),
      { seed: FUZZ_SEED, numRuns: runs(2000) },
    );
    // Without CR, the recorded starts are used whenever no token holds a break.
    const lfOnly = fc.constantFrom('\n', '\n', '"', "'", '$', '{', '}', '\\', '[', ']', '=', ';', ' ', 'a', 'a = 1', '1', '\0', '(', ':-', '#');
    fc.assert(
      fc.property(fc.array(lfOnly, { maxLength: 40 }), (parts) => check(parts.join(''))),
      { seed: FUZZ_SEED, numRuns: runs(2000) },
    );
  });
});
