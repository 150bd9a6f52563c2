// Memory behaviour that no timing can pin down: every parsed document must share one V8 hidden class.
// A document built as an object literal with its own `get lines()` closure got a map of its own, and
// maps live in V8's old generation: each young-generation collection then kept the documents parsed
// since the last full collection alive and promoted them (about 60 KB per parse of Debian's php.ini,
// most of what the CLI and the language server promoted). This checks the cause, with V8's own test
// intrinsic, rather than a GC figure that would depend on heap sizes.

import * as assert from 'node:assert/strict';
import * as v8 from 'node:v8';
import { parse } from '../server/src/engine';

function intrinsic(): (a: object, b: object) => boolean {
  v8.setFlagsFromString('--allow-natives-syntax');
  try {
    return new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;
  } finally {
    v8.setFlagsFromString('--no-allow-natives-syntax');
  }
}

describe('parsed documents share one hidden class', () => {
  const haveSameMap = intrinsic();

  it('the check itself tells apart the old shape: a spread plus a getter closure per object', () => {
    const literal = (tree: { text: string }) => {
      let cached: string | undefined;
      return { ...tree, get lines() { return (cached ??= tree.text); } };
    };
    assert.equal(haveSameMap(literal({ text: 'a' }), literal({ text: 'b' })), false);
  });

  it('whatever the file: php.ini, pool file, syntax error, [PATH=] section, lines read or not', () => {
    const docs = [
      parse('a = 1\n'),
      parse('; comment\nsession.name = X\n[PATH=/srv]\nb = 2\n', { phpVersion: '8.4' }),
      parse('a = "unterminated\n'),
      parse("a = b'unterminated\nc = 1\n"),
      parse('[www]\nlisten = 9000\n', { dialect: 'php-fpm' }),
      parse(''),
    ];
    void docs[1].lines; // builds the lazily computed line index on one of them
    for (const d of docs.slice(1)) assert.equal(haveSameMap(docs[0], d), true);
  });
});
