// The parser takes runs of blank and comment lines, and plain `key = value` lines, without running
// bison's automaton. Whatever the bytes, the result must be exactly what the automaton alone builds: the same tokens, statements (every
// field), errors, and the same hook calls in the same order, since `${NAME}` reads the settings applied
// so far.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import fc from 'fast-check';
import { parseTokens, type ParseHooks } from '../server/src/engine/parser';
import { Scanner } from '../server/src/engine/scanner';
import { corpusFiles } from './corpus';
import { FUZZ_SEED, iniLineArb, poolLineArb, runs } from './properties/arbitraries';

function run(text: string, fallbackSyntax: boolean, automatonOnly: boolean) {
  const calls: string[] = [];
  const applied = new Map<string, string>();
  const hooks: ParseHooks = {
    constant(name) {
      calls.push(`constant ${name}`);
      return name === 'E_ALL' ? '32767' : name === 'ON_CONST' ? '1' : undefined;
    },
    variable(name) {
      calls.push(`variable ${name}`);
      return applied.get(name);
    },
    statement(s, i) {
      // Where the statement ends when the hook sees it, too: the line's end joins it only afterwards.
      calls.push(`statement ${i} ${s.kind} ${s.name} ${s.value} ${s.first}-${s.last} ${s.end}`);
      if (s.kind === 'entry' && s.name !== undefined && s.value !== undefined) applied.set(s.name, s.value);
    },
  };
  const tree = parseTokens(text, { dialect: 'php-ini', fallbackSyntax, hooks, automatonOnly });
  const store = tree.tokens;
  return {
    tokens: Array.from({ length: store.count }, (_, i) => `${store.kinds[i]}:${store.starts[i]}-${store.ends[i]}`),
    statements: tree.statements.map((s) => ({
      kind: s.kind,
      first: s.first,
      last: s.last,
      start: s.start,
      end: s.end,
      name: s.name,
      value: s.value,
      offset: s.offset,
      keyToken: s.keyToken,
      equalsToken: s.equalsToken,
      valueStart: s.valueStart,
      valueEnd: s.valueEnd,
    })),
    errors: tree.errors,
    truncatedAt: tree.truncatedAt,
    calls,
  };
}

function check(text: string): void {
  for (const fallbackSyntax of [false, true]) {
    assert.deepEqual(run(text, fallbackSyntax, false), run(text, fallbackSyntax, true), `${fallbackSyntax ? 'PHP 8.3+' : 'PHP 8.2'} grammar: ${JSON.stringify(text)}`);
  }
}

describe('the fast paths build exactly what the automaton builds', () => {
  it('on every corpus file', function () {
    const files = corpusFiles();
    if (!files.length) this.skip();
    for (const f of files) check(fs.readFileSync(f, 'latin1'));
  });

  it('on comments and blank lines next to every other kind of line', () => {
    for (const text of [
      'a = 1\n',
      'a = 1',
      'a =\n',
      'a =',
      'a = ; c\n',
      'a = On\nb = Off ; x\r\nc = None\rd = null\n',
      'a = E_ALL\nb = E_ALL & ~E_DEPRECATED\nc = ON_CONST\n',
      "a = 'raw'\nb = 'raw\nstill'\nc = 'open\n",
      'a = "quoted"\nb = "x" ; c\n',
      'a = ${a}\nb = ${A:-x}\nc = x${a}y\n',
      'a = b c\na = b  ; x\na = b\t\n',
      'a = 1 2\na = 1On\na = On On\na = On 1\n',
      'a = (1)\na = !1\na = ~0\na = 1|2\n',
      'a[] = 1\na[x] = 2\n[sec]\nk = v\n[PATH=/x]\nk = v\n',
      'bare\nbare ; c\n= 1\na = = 1\na == 1\n',
      'a = b\0c\na = 1\n',
      'a = b$\nc = 1\n',
      "a = b'c\nd = 1\n",
      'a = 1 ;c',
      '\ufeffa = 1\n',
      'a = 1\n\n\n; c\n\nb = 2\n',
      '#a = 1\n a = 1\n\ta\t=\t1\t\n',
      'a = )\nb = 1\n',
      'a = "\nb = 1\n',
    ]) {
      check(text);
    }
  });

  it('on plain key = value lines, and on the lines next to them it must leave to the automaton', () => {
    const lines = [
      // values: boolean words (which take the blanks after them), constants, numbers, strings
      'k = On', 'k = Off  ', 'k = yes\t', 'k = nO', 'k = NULL ', 'k = None', 'k = Onx', 'k = no_', 'k = truex',
      'k = E_ALL', 'k = ON_CONST', 'k = _x', 'k = x-y', 'k = UTF-8', 'k = x1',
      'k = -1', 'k = -1.5', 'k = .5', 'k = 5.', 'k = -.5', 'k = 1.2.3', 'k = .', 'k = -', 'k = 1e5', 'k = 0x1F', 'k = 128M',
      'k = \u00e9', 'k = a\u00e9', 'k = /tmp', 'k = a:b,c', 'k = a\\b',
      // quoted values, empty values
      'k = "x"', 'k = "x"  ', 'k = ""', 'k = " "', 'k = "a\\\\b"', 'k = "a\\"b"', 'k = "C:\\dir\\"', 'k = "$x"', 'k = "${x}"',
      'k = "a\nb"', 'k = "x" y', 'k = "x"y', 'k = "x""y"', "k = 'x'", 'k =', 'k =  ', 'k = \t',
      // keys, and the blanks around `=`
      'on = 1', 'No = 1', 'null = x', 'TRUE = 1', 'nonex = 1', 'k] = v', 'k[ = v', 'k[] = v', '1 = v', '. = v', '- = v', 'k\0 = v',
      '\u00e9 = v', 'k.x-y_1 = v', 'k\t= v', 'k \t= v', 'k\t \t=\t v', '  k = v', '\t k = v', ' \tk = v', 'k=v', 'k =v', 'k= v',
      // what may follow a value
      'k = v ;c', 'k = v;c', 'k = On;c', 'k = "x";c', 'k = ;c', 'k = v ; c = 1', 'k = a b', 'k = a$b', 'k = a=b', 'k = (1)',
      'k = 1|2', 'k = !1', 'k = a\0', 'k = v\0c = 1', 'k = ${a}', 'k = v =',
    ];
    for (const line of lines) {
      for (const nl of ['\n', '\r\n', '\r']) {
        // After a first line, where the fast path may run, and as the last line without a line break.
        check(`a = 1${nl}${line}${nl}next = 2${nl}`);
        check(`a = 1${nl}${line}`);
        check(`[s]${nl}; c${nl}${line}${nl}${line}${nl}`);
      }
    }
  });

  it('on plain [section] lines, and on the section lines it must leave to the automaton', () => {
    const lines = [
      // names that are one token of any kind: a constant, a number, plain text; never looked up
      '[PHP]', '[E_ALL]', '[www]', '[12]', '[-1]', '[1.5]', '[.5]', '[5.]', '[1e5]', '[CLI Server]', '[ PHP ]', '[\tPHP\t]',
      '[PATH=/var/www/x]', '[HOST=example.com]', '[HOST=*.example.com]', '[a=b=c]', '[\u00e9]', '[on]', '[null]', '[a:b,c]', '[(x)]',
      '[{a}]', '[a|b]', '[a&b]', '[a=]', '[[a]',
      // what may follow `]`
      '[PHP]  ', '[PHP]\t', '[PHP] ;c', '[PHP];c', '[PHP] x', '[PHP]]', '[PHP] = 1',
      // names the general rules must read: quotes, `$`, escapes, NUL, an empty name, no `]`
      '[]', '[ ]', '["PHP"]', "['PHP']", '[a"b"]', "[a'b']", '[${x}]', '[a${x}b]', '[a$b]', '[$]', '[a\\]', '[a\\] ', '[a\\]b]',
      '[a\\\\b]', '[a\\b]', '[a\0b]', '[a', '[a;b]', '  [PHP]', '\t[PHP]', 'x[PHP]',
    ];
    for (const line of lines) {
      for (const nl of ['\n', '\r\n', '\r']) {
        check(`a = 1${nl}${line}${nl}next = 2${nl}`);
        check(`a = 1${nl}${line}`);
        check(`${line}${nl}; c${nl}${line}${nl}${line}${nl}k = \${next}${nl}`);
      }
    }
  });

  it('are taken by the corpus files\' plain sections and entries (the general rules see none of them)', function () {
    const files = corpusFiles();
    if (!files.length) this.skip();
    // Which lines the general rules read, spied on where they start: Scanner.next().
    const next = Scanner.prototype.next;
    const seen = new Set<string>();
    let current = '';
    Scanner.prototype.next = function (this: Scanner) {
      const lineStart = current.lastIndexOf('\n', this.pos - 1) + 1;
      const lineEnd = current.indexOf('\n', this.pos);
      seen.add(current.slice(lineStart, lineEnd < 0 ? undefined : lineEnd).replace(/\r$/, ''));
      return next.call(this);
    };
    try {
      for (const f of files) {
        current = fs.readFileSync(f, 'latin1');
        parseTokens(current, { dialect: 'php-ini', fallbackSyntax: false, hooks: { constant: () => undefined, variable: () => undefined } });
      }
    } finally {
      Scanner.prototype.next = next;
    }
    const plainSection = /^\[[^$\n\r;"'\\\]]+\][ \t]*$/;
    const plainEntry = /^[ \t]*[A-Za-z0-9_.]+ *= *[A-Za-z0-9_./-]*[ \t]*$/;
    const leaked = [...seen].filter((l) => plainSection.test(l) || plainEntry.test(l));
    assert.deepEqual(leaked, []);
    // The corpus does have lines only the general rules read (operators, quotes after a word...).
    assert.ok(seen.size > 0);
  });

  it('on generated php.ini and pool files', () => {
    const lines = fc.array(fc.oneof(iniLineArb(false), poolLineArb(true)), { maxLength: 30 });
    const eol = fc.constantFrom('\n', '\r\n', '\r');
    fc.assert(
      fc.property(lines, eol, fc.boolean(), (ls, nl, last) => check(ls.join(nl) + (last ? nl : ''))),
      { seed: FUZZ_SEED, numRuns: runs(1500) },
    );
  });

  it('on generated text made of the characters that matter', () => {
    const chars = fc.constantFrom('\n', '\r', 'a', 'b', ' ', '=', ';', '"', "'", '$', '{', '}', '[', ']', '1', 'On', 'E_ALL', '|', '~', '(', ')', ':-', '\0', '\t', '-', '.', '\\', 'no', 'null', '\u00e9', ' = ', '\na = ');
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 40 }), (parts) => check(parts.join(''))),
      { seed: FUZZ_SEED, numRuns: runs(3000) },
    );
  });
});
