// Reading files without losing a byte (server/src/engine/text.ts): UTF-8 when the bytes are valid UTF-8,
// else Latin-1, where every byte is one character. ASCII, the common case, takes a shortcut that must
// give the same answer.

import * as assert from 'assert';
import { decode, encode, looksBinary } from '../server/src/engine/text';

describe('decode / encode / looksBinary', () => {
  const cases: Array<[string, Buffer, 'utf8' | 'latin1', string]> = [
    ['empty', Buffer.alloc(0), 'utf8', ''],
    ['ASCII', Buffer.from('session.name = SID\r\n; comment\n'), 'utf8', 'session.name = SID\r\n; comment\n'],
    ['every ASCII byte but NUL', Buffer.from(Array.from({ length: 127 }, (_, i) => i + 1)), 'utf8', String.fromCharCode(...Array.from({ length: 127 }, (_, i) => i + 1))],
    ['UTF-8', Buffer.from('date.timezone = "Europe/Zürich"\n'), 'utf8', 'date.timezone = "Europe/Zürich"\n'],
    ['UTF-8 with a byte-order mark (kept)', Buffer.from([0xef, 0xbb, 0xbf, 0x61, 0x3d, 0x31]), 'utf8', '\ufeffa=1'],
    ['Latin-1 (invalid UTF-8)', Buffer.from([0x61, 0x3d, 0xfc, 0x0a]), 'latin1', 'a=\u00fc\n'],
    ['a lone 0x80 byte', Buffer.from([0x80]), 'latin1', '\u0080'],
  ];
  for (const [name, bytes, encoding, text] of cases) {
    it(`${name}: ${encoding}, and encodes back to the same bytes`, () => {
      const d = decode(bytes);
      assert.deepStrictEqual(d, { text, encoding });
      assert.ok(encode(d).equals(bytes));
    });
  }

  it('decodes a view into a larger buffer by its own bytes only', () => {
    const big = Buffer.from('xx a=1 \u00fcyy', 'latin1');
    assert.deepStrictEqual(decode(big.subarray(3, 6)), { text: 'a=1', encoding: 'utf8' });
    assert.deepStrictEqual(decode(big.subarray(3, 8)), { text: 'a=1 \u00fc', encoding: 'latin1' });
  });

  it('looksBinary: a NUL byte within the first 8000 bytes, as grep and git judge', () => {
    const at = (i: number, size = 9000) => {
      const b = Buffer.alloc(size, 0x61);
      if (i >= 0) b[i] = 0;
      return b;
    };
    assert.strictEqual(looksBinary(at(-1)), false);
    assert.strictEqual(looksBinary(at(0)), true);
    assert.strictEqual(looksBinary(at(7999)), true);
    assert.strictEqual(looksBinary(at(8000)), false);
    assert.strictEqual(looksBinary(at(-1, 0)), false);
    assert.strictEqual(looksBinary(at(5, 10).subarray(6)), false);
    assert.strictEqual(looksBinary(at(5, 10).subarray(2)), true);
  });
});
