// A port of PHP's INI scanner (Zend/zend_ini_scanner.l) that also records every character it passes
// as a concrete-syntax token, so the tree prints back byte-for-byte.
//
// Each state below lists PHP's rules in PHP's order; re2c picks the longest match and, on a tie, the
// earlier rule, so each state computes the candidate lengths and applies that same choice. Characters
// past the end read as NUL, like the NUL padding PHP's scanner is allowed to read.

import { K, TokenStore } from './tokens';

export const enum State {
  Initial,
  Value,
  SectionValue,
  Offset,
  DoubleQuotes,
  VarName,
  VarFallback,
}

/**
 * Token codes: the parser maps each to its grammar's symbol number through a table, so no token is a
 * string to look up. A single-character token is `T.Char` plus the character's code (always < 128).
 */
export const enum T {
  Eof,
  Section,
  Raw,
  Constant,
  Number,
  String,
  Whitespace,
  Label,
  Offset,
  DollarCurly,
  VarName,
  QuotedString,
  Fallback,
  BoolTrue,
  BoolFalse,
  Null,
  EndOfLine,
  Char,
}

/** Bison's names for the codes below T.Char, in order. */
export const TOKEN_NAMES: readonly string[] = [
  'end of file',
  'TC_SECTION',
  'TC_RAW',
  'TC_CONSTANT',
  'TC_NUMBER',
  'TC_STRING',
  'TC_WHITESPACE',
  'TC_LABEL',
  'TC_OFFSET',
  'TC_DOLLAR_CURLY',
  'TC_VARNAME',
  'TC_QUOTED_STRING',
  'TC_FALLBACK',
  'BOOL_TRUE',
  'BOOL_FALSE',
  'NULL_NULL',
  'END_OF_LINE',
];

/** Bison's name for the single-character token `c`, e.g. `'='`. */
export function charTokenName(c: number): string {
  return c === SQUOTE ? "'\\''" : `'${String.fromCharCode(c)}'`;
}

type BoolKind = T.BoolTrue | T.BoolFalse | T.Null;

const TAB = 9, LF = 10, CR = 13, SPACE = 32, BANG = 33, DQUOTE = 34, DOLLAR = 36, AMP = 38, SQUOTE = 39,
  LPAREN = 40, RPAREN = 41, MINUS = 45, DOT = 46, SEMI = 59, EQ = 61, LBRACKET = 91, BACKSLASH = 92,
  RBRACKET = 93, CARET = 94, LBRACE = 123, PIPE = 124, RBRACE = 125, TILDE = 126, COLON = 58;

// Character classes as lookup tables over the ASCII range; anything >= 128 is an ordinary character.
// PHP <= 8.2: LABEL [^=\n\r\t;&|^$~(){}!"\[]+ — so `]` and NUL are ordinary key characters there.
// Later scanners (8.4's, confirmed in SYNTAX.md) also exclude `]` and NUL.
const LABEL_EXCLUDED = new Uint8Array(128);
for (const c of '=\n\r\t;&|^$~(){}!"[') LABEL_EXCLUDED[c.charCodeAt(0)] = 1;
const LABEL_EXCLUDED_STRICT = LABEL_EXCLUDED.slice();
LABEL_EXCLUDED_STRICT[0] = LABEL_EXCLUDED_STRICT[RBRACKET] = 1;
const VALUE_EXCLUDED = new Uint8Array(128);
for (const c of '$= \t\n\r;&|^~()!"\'\0') VALUE_EXCLUDED[c.charCodeAt(0)] = 1;
const SECTION_EXCLUDED = new Uint8Array(128);
for (const c of '$\n\r;"\'\\]') SECTION_EXCLUDED[c.charCodeAt(0)] = 1;
const FALLBACK_EXCLUDED = new Uint8Array(128);
for (const c of '$\n\r;"\'}\\') FALLBACK_EXCLUDED[c.charCodeAt(0)] = 1;
// `{TOKENS}` in the initial state: characters returned as themselves.
const TOKEN_CHARS = new Uint8Array(128);
for (const c of ':,.[]"\'()&|^+-/*=%$!~<>?@{}') TOKEN_CHARS[c.charCodeAt(0)] = 1;
const OPERATOR_CHARS = new Uint8Array(128);
for (const c of '&|^~()!') OPERATOR_CHARS[c.charCodeAt(0)] = 1;

// simpleEntry(): leading blanks, a key of directive-name characters, blanks, `=`, blanks, then nothing,
// one word of value characters (VALUE_CHARS without `$`), or a double-quoted text without escapes, `$`
// or line breaks; then blanks, an optional comment, and a line break. Tabs between the key and `=` must
// come first: `key \t=` splits its blanks over two tokens.
const SIMPLE_ENTRY = /([ \t]*)([A-Za-z0-9_.-]+)( *|\t[ \t]*)=([ \t]*)(?:([^$= \t\n\r;&|^~()!"'\0]+)|"([^"\\$\r\n\0]*)")?([ \t]*)(;[^\r\n]*)?(\r\n|\n|\r)/y;
// simpleSection(): `[`, a name of section characters without `$`, backslashes or quotes, `]`, blanks and a
// line break. Such a name is one token whatever it looks like (a constant or a number is never
// looked up in a section name), and the `]` rule takes the blanks and the line break with it.
const SIMPLE_SECTION = /\[([^$\n\r;"'\\\]]+)\]([ \t]*)(\r\n|\n|\r)/y;
const BOOL_WORD = /^(?:true|on|yes|false|off|none|no|null)$/i;
const CONSTANT_WORD = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NUMBER_WORD = /^(?:-?[0-9]+|[0-9]*\.[0-9]+|[0-9]+\.[0-9]*)$/;

const isTabSpace = (c: number) => c === SPACE || c === TAB;
const isDigit = (c: number) => c >= 48 && c <= 57;
const isAlpha = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

export interface ScannerOptions {
  /** PHP 8.3 added `${NAME:-fallback}`; earlier versions read `NAME:-fallback` as one name. */
  fallbackSyntax: boolean;
}

export class Scanner {
  readonly tokens: TokenStore;
  /** PHP's own line counter, which is what its error messages print. */
  lineno = 1;
  state: State = State.Initial;
  private stack: State[] = [];
  pos = 0;
  /**
   * Set by a matcher whose pattern would read on past the end of the text. PHP's scanner runs without
   * bounds checks over a NUL-padded buffer and returns "end of file" the moment a match crosses the
   * end, whatever shorter match was possible (an unterminated '...', a last-line comment, a label).
   */
  private eof = false;
  /** Set when a quote that never closes made PHP swallow the rest of the file without an error. */
  swallowedFrom: number | undefined;
  private rawEof = false;
  /** The last token's semantic value and the span of its significant text. */
  value = '';
  private boolKind: BoolKind | null = null;
  tokStart = 0;
  tokEnd = 0;

  /**
   * What the last simpleEntry() read: the key; the value (a constant's name, which the parser looks up)
   * and its token code; the key's and `=`'s token indices; the value's tokens [entryValueStart,
   * entryValueEnd); and one past the tokens the grammar reduces to the value.
   */
  entryKey = '';
  entryValue = '';
  entryTok: T = T.String;
  entryKeyToken = 0;
  entryEqualsToken = 0;
  entryValueStart = 0;
  entryValueEnd = 0;
  entryValueTo = 0;
  /** The name the last simpleSection() read. */
  sectionName = '';

  /** The characters a key cannot hold, for this PHP version (see LABEL_EXCLUDED). */
  private readonly labelExcluded: Uint8Array;
  /** Whether any CR occurs: without one, line ends can be found with a native indexOf. */
  private readonly hasCR: boolean;

  constructor(readonly text: string, private readonly opts: ScannerOptions) {
    this.labelExcluded = opts.fallbackSyntax ? LABEL_EXCLUDED_STRICT : LABEL_EXCLUDED;
    this.hasCR = text.indexOf('\r') >= 0;
    this.tokens = TokenStore.forText(text.length);
    this.tokens.crFree = !this.hasCR;
  }

  private at(i: number): number {
    return i < this.text.length ? this.text.charCodeAt(i) : 0;
  }

  private emit(kind: K, start: number, end: number): void {
    if (end > start) this.tokens.push(kind, start, end);
  }

  private push(s: State): void {
    this.stack.push(this.state);
    this.state = s;
  }

  private pop(): void {
    this.state = this.stack.pop() ?? State.Initial;
  }

  private mark(start: number, end: number, value: string): void {
    this.tokStart = start;
    this.tokEnd = end;
    this.value = value;
  }

  // ---- shared matchers: each returns the match length (0 = no match) ----

  // The per-character loops below read the text through locals, not `this.at()`: until V8 optimizes
  // them (the first few hundred files of a CLI run), every property load and call costs.
  private tabsSpaces(i: number): number {
    const text = this.text;
    const len = text.length;
    let j = i;
    for (let c; j < len && ((c = text.charCodeAt(j)) === SPACE || c === TAB); ) j++;
    return j - i;
  }

  private newlineLen(i: number): number {
    const c = this.at(i);
    if (c === CR) return this.at(i + 1) === LF ? 2 : 1;
    return c === LF ? 1 : 0;
  }

  /** `{TABS_AND_SPACES}*{NEWLINE}` */
  private eolLen(i: number): number {
    const ws = this.tabsSpaces(i);
    const nl = this.newlineLen(i + ws);
    return nl ? ws + nl : 0;
  }

  /** `{TABS_AND_SPACES}*[;][^\r\n]*{NEWLINE}`; fails at end of file, where no line break follows. */
  private commentLen(i: number): number {
    const j = i + this.tabsSpaces(i);
    if (this.at(j) !== SEMI) return 0;
    const nl = this.lineBreakFrom(j + 1);
    if (nl >= 0) return nl - i + this.newlineLen(nl);
    this.eof = true;
    return 0;
  }

  /** Offset of the next CR or LF at or after `j`, or -1. */
  private lineBreakFrom(j: number): number {
    const text = this.text;
    if (!this.hasCR) return text.indexOf('\n', j);
    const len = text.length;
    for (; j < len; j++) {
      const c = text.charCodeAt(j);
      if (c === LF || c === CR) return j;
    }
    return -1;
  }

  /**
   * At the start of a line in the initial state: consumes up to `max` lines while they are blank or
   * comments (by far the most common lines), exactly as the general rules would, and says how many it
   * took. A last line without a line break is left to the general rules (PHP ends such a line as EOF).
   * One call takes a whole run of such lines: a loop over locals, which stays cheap even before V8
   * optimizes it.
   */
  blankLines(max: number): number {
    let i = this.pos;
    if (i === 0) return 0; // a byte-order mark may come first
    const text = this.text;
    const len = text.length;
    const store = this.tokens;
    let taken = 0;
    while (taken < max) {
      let j = i;
      let c = 0;
      while (j < len && ((c = text.charCodeAt(j)) === SPACE || c === TAB)) j++;
      if (j >= len) break;
      let nl: number;
      if (c === SEMI) {
        nl = this.lineBreakFrom(j + 1);
        if (nl < 0) break;
      } else if (c === LF || c === CR) {
        nl = j;
      } else {
        break;
      }
      const end = text.charCodeAt(nl) === CR && nl + 1 < len && text.charCodeAt(nl + 1) === LF ? nl + 2 : nl + 1;
      if (j > i) store.push(K.Whitespace, i, j);
      store.pushLineEnd(j, nl, end);
      i = end;
      taken++;
    }
    this.pos = i;
    this.lineno += taken;
    return taken;
  }

  /**
   * At a statement's start in the initial state: consumes one plain `key = value` line (one word, a
   * quoted text without escapes, or no value: the lines a php.ini is made of besides comments), with the
   * tokens the general rules would record, and says whether it did. What it read is left in the
   * `entry*` fields for the parser. The line must be plain enough that the outcome of PHP's
   * longest-match rules is clear from the regular expressions below; anything else is left to the
   * general rules. A native regular expression runs at full speed from the first file on, where the
   * general rules' JavaScript needs hundreds of files to be optimized.
   */
  simpleEntry(): boolean {
    // No byte-order mark can start the match, so the first line may take this path too.
    const i = this.pos;
    SIMPLE_ENTRY.lastIndex = i;
    const m = SIMPLE_ENTRY.exec(this.text);
    if (m === null) return false;
    const key = m[2];
    // A key that is a boolean word is read as one (`on = 1` is a syntax error in PHP).
    if (key.length <= 5 && BOOL_WORD.test(key)) return false;
    const word = m[5];
    const quoted = m[6];
    const store = this.tokens;
    const k0 = i + m[1].length;
    const k1 = k0 + key.length;
    const eq = k1 + m[3].length;
    const v0 = eq + 1 + m[4].length;
    if (k0 > i) store.push(K.Whitespace, i, k0);
    this.entryKeyToken = store.count;
    store.push(K.Key, k0, k1);
    if (eq > k1) store.push(K.Whitespace, k1, eq);
    this.entryEqualsToken = store.count;
    store.push(K.Equals, eq, eq + 1);
    if (v0 > eq + 1) store.push(K.Whitespace, eq + 1, v0);
    this.entryValueStart = store.count;
    let v1 = v0;
    let tok = T.String;
    let value = '';
    // Each token's rule below says where the grammar's value ends: a boolean word and a closing quote
    // take the blanks after them; a plain word does not; an empty value is the line's end itself.
    let blanksInValue = false;
    if (word !== undefined) {
      v1 = v0 + word.length;
      value = word;
      // A whole word that one of these rules matches is that token: each comes before VALUE_CHARS in
      // PHP's rule order, and a tie goes to the earlier rule. The word's first character rules out most
      // of them without running their expressions.
      const c = word.charCodeAt(0) | 0x20;
      if (c >= 0x61 && c <= 0x7a) {
        if (word.length <= 5 && BOOL_WORD.test(word)) {
          const lower = word.toLowerCase();
          tok = lower === 'null' ? T.Null : lower === 'true' || lower === 'on' || lower === 'yes' ? T.BoolTrue : T.BoolFalse;
          value = tok === T.BoolTrue ? '1' : '';
          blanksInValue = true;
        } else if (CONSTANT_WORD.test(word)) {
          tok = T.Constant;
        }
      } else if (c === 0x7f /* _ */) {
        if (CONSTANT_WORD.test(word)) tok = T.Constant;
      } else if (((c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e) && NUMBER_WORD.test(word)) {
        tok = T.Number;
      }
      store.push(tok === T.String ? K.String : tok === T.Constant ? K.Constant : tok === T.Number ? K.Number : tok === T.Null ? K.Null : K.Bool, v0, v1);
    } else if (quoted !== undefined) {
      v1 = v0 + quoted.length + 2;
      value = quoted;
      tok = T.QuotedString;
      store.push(K.Quote, v0, v0 + 1);
      if (quoted.length) store.push(K.QuotedText, v0 + 1, v1 - 1);
      store.push(K.Quote, v1 - 1, v1);
      blanksInValue = true;
    }
    this.entryValueEnd = store.count;
    const t1 = v1 + m[7].length;
    if (t1 > v1) store.push(K.Whitespace, v1, t1);
    const afterBlanks = store.count;
    const c1 = m[8] === undefined ? t1 : t1 + m[8].length;
    const end = c1 + m[9].length;
    store.pushLineEnd(t1, c1, end);
    this.entryValueTo = v1 === v0 ? store.count : blanksInValue ? afterBlanks : this.entryValueEnd;
    this.entryKey = key;
    this.entryValue = value;
    this.entryTok = tok;
    this.pos = end;
    this.lineno++;
    return true;
  }

  /**
   * At a statement's start in the initial state: consumes one plain `[section]` line with the tokens the
   * general rules would record, and says whether it did; the name is left in `sectionName`. Files have a
   * few dozen of these, and each took the general rules some ten calls before V8 optimizes them.
   */
  simpleSection(): boolean {
    const i = this.pos;
    if (this.text.charCodeAt(i) !== LBRACKET) return false;
    SIMPLE_SECTION.lastIndex = i;
    const m = SIMPLE_SECTION.exec(this.text);
    if (m === null) return false;
    const store = this.tokens;
    const n1 = i + 1 + m[1].length;
    const t1 = n1 + 1 + m[2].length;
    const end = t1 + m[3].length;
    store.push(K.SectionOpen, i, i + 1);
    store.push(K.SectionName, i + 1, n1);
    store.push(K.SectionClose, n1, n1 + 1);
    if (t1 > n1 + 1) store.push(K.Whitespace, n1 + 1, t1);
    store.push(K.Newline, t1, end);
    this.sectionName = m[1];
    this.pos = end;
    this.lineno++;
    return true;
  }

  /** Boolean / null words followed by tabs and spaces, matched case-insensitively like PHP's re2c; sets boolKind. */
  private boolLen(i: number): number {
    const c = this.at(i) | 0x20;
    let n = 0;
    let kind: BoolKind | null = null;
    switch (c) {
      case 0x74: // t
        if (this.word(i, 'true')) (n = 4), (kind = T.BoolTrue);
        break;
      case 0x79: // y
        if (this.word(i, 'yes')) (n = 3), (kind = T.BoolTrue);
        break;
      case 0x6f: // o
        if (this.word(i, 'off')) (n = 3), (kind = T.BoolFalse);
        else if (this.word(i, 'on')) (n = 2), (kind = T.BoolTrue);
        break;
      case 0x66: // f
        if (this.word(i, 'false')) (n = 5), (kind = T.BoolFalse);
        break;
      case 0x6e: // n
        if (this.word(i, 'none')) (n = 4), (kind = T.BoolFalse);
        else if (this.word(i, 'null')) (n = 4), (kind = T.Null);
        else if (this.word(i, 'no')) (n = 2), (kind = T.BoolFalse);
        break;
    }
    this.boolKind = kind;
    return kind !== null ? n + this.tabsSpaces(i + n) : 0;
  }

  /** Whether the lower-case word `w` is at `i`, in any case. */
  private word(i: number, w: string): boolean {
    const text = this.text;
    if (i + w.length > text.length) return false;
    for (let n = 0; n < w.length; n++) {
      const c = text.charCodeAt(i + n);
      // `| 0x20` would also turn some punctuation into letters; only letters may match.
      if ((c | 0x20) !== w.charCodeAt(n) || !isAlpha(c)) return false;
    }
    return true;
  }

  private labelChar(c: number): boolean {
    return c >= 128 || this.labelExcluded[c] === 0;
  }

  private labelLen(i: number): number {
    const text = this.text;
    const len = text.length;
    const excluded = this.labelExcluded;
    let j = i;
    for (let c; j < len && ((c = text.charCodeAt(j)) >= 128 || excluded[c] === 0); ) j++;
    if (j === len && j > i && this.labelChar(0)) this.eof = true;
    return j - i;
  }

  private constantLen(i: number): number {
    const text = this.text;
    const len = text.length;
    if (i >= len || !isAlpha(text.charCodeAt(i))) return 0;
    let j = i + 1;
    for (let c; j < len && (isAlpha((c = text.charCodeAt(j))) || isDigit(c)); ) j++;
    return j - i;
  }

  /** `NUMBER [-]?{LNUM}|{DNUM}` with LNUM [0-9]+, DNUM ([0-9]*[.][0-9]+)|([0-9]+[.][0-9]*). */
  private numberLen(i: number): number {
    const text = this.text;
    const len = text.length;
    let best = 0;
    const j = i < len && text.charCodeAt(i) === MINUS ? i + 1 : i;
    const k = digitsEnd(text, j);
    if (k > j) best = k - i;
    // DNUM has no sign.
    const d = digitsEnd(text, i);
    const intDigits = d - i;
    if (d < len && text.charCodeAt(d) === DOT) {
      const f = digitsEnd(text, d + 1);
      const frac = f - d - 1;
      if (frac > 0 || intDigits > 0) best = Math.max(best, f - i);
    }
    return best;
  }

  /**
   * Longest match of a repeated alternation such as `{VALUE_CHARS}+`, where VALUE_CHARS is a plain
   * character, or LITERAL_DOLLAR (`$` + one character that is not `{` or NUL, or `$\\` + any
   * character), and for section/fallback text also `\\` + any character. Alternatives of different
   * lengths can overlap (`$\\$x`), so this tracks every reachable end like the DFA does, and keeps the
   * furthest. Reading past the end (PHP's NUL padding) sets `eof`.
   */
  private repeatLen(i: number, excluded: Uint8Array, nulIsPlain: boolean, backslashEscape: boolean): number {
    const text = this.text;
    const len = text.length;
    // Fast path: a run of plain characters with no `$` or `\\` needs no bookkeeping.
    let j = i;
    for (;;) {
      if (j >= len) {
        if (nulIsPlain && j > i) this.eof = true;
        return j - i;
      }
      const c = text.charCodeAt(j);
      if (c === DOLLAR || (c === BACKSLASH && backslashEscape)) break;
      if (c < 128 && (excluded[c] === 1 || (c === 0 && !nulIsPlain))) return j - i;
      j++;
    }
    // Slow path from j on: reachable ends as a bit mask relative to a moving origin.
    let best = j;
    let mask = 1; // bit k: position j + k is reachable
    while (mask !== 0) {
      if (mask & 1) {
        if (j > best) best = j;
        let add = 0;
        if (j >= len) {
          if (nulIsPlain) this.eof = true;
        } else {
          const c = text.charCodeAt(j);
          if (c === DOLLAR) {
            const d = j + 1 < len ? text.charCodeAt(j + 1) : 0;
            if (d !== LBRACE && d !== 0) add |= 4;
            if (d === BACKSLASH) add |= 8;
          } else if (c === BACKSLASH && backslashEscape) {
            add |= 4;
          } else if ((c >= 128 || excluded[c] === 0) && (c !== 0 || nulIsPlain)) {
            add |= 2;
          }
          // An alternative that would end past the NUL padding makes PHP stop at the end of input.
          if ((add & 8 && j + 3 > len) || (add & 4 && j + 2 > len)) this.eof = true;
        }
        mask |= add;
      }
      mask >>>= 1;
      j++;
    }
    return best - i;
  }

  /** `{VALUE_CHARS}+` */
  private valueCharsLen(i: number): number {
    return this.repeatLen(i, VALUE_EXCLUDED, false, false);
  }

  /** `{SECTION_VALUE_CHARS}+` or `{FALLBACK_CHARS}+` (these classes admit NUL and backslash escapes). */
  private escapedCharsLen(i: number, excluded: Uint8Array): number {
    return this.repeatLen(i, excluded, true, true);
  }

  /** `"'"{SINGLE_QUOTED_CHARS}+"'"` */
  private rawLen(i: number): number {
    if (this.at(i) !== SQUOTE) return 0;
    const close = this.text.indexOf("'", i + 1);
    if (close < 0) {
      this.eof = true;
      this.rawEof = true;
      return 0;
    }
    if (close === i + 1) return 0;
    return close - i + 1;
  }

  // ---- the lexer ----

  /** Returns the next PHP token name; `value`, `tokStart`, `tokEnd` describe it. */
  next(): T {
    for (;;) {
      const i = this.pos;
      const text = this.text;
      if (i >= text.length) {
        this.mark(i, i, '');
        if (this.state === State.Value) {
          this.state = State.Initial;
          return T.EndOfLine;
        }
        return T.Eof;
      }
      if (i === 0) {
        // PHP skips a UTF-8 byte-order mark only when more bytes follow it.
        if (text.charCodeAt(0) === 0xfeff && text.length > 1) {
          this.emit(K.Bom, 0, 1);
          this.pos = 1;
          continue;
        }
        if (text.startsWith('\u00ef\u00bb\u00bf') && text.length > 3) {
          this.emit(K.Bom, 0, 3);
          this.pos = 3;
          continue;
        }
      }
      switch (this.state) {
        case State.Initial: {
          const r = this.lexInitial(i);
          if (r === null) continue; // whitespace eaten
          return r;
        }
        case State.Value:
          return this.lexValue(i);
        case State.SectionValue:
        case State.Offset:
          return this.lexSectionOrOffset(i);
        case State.DoubleQuotes:
          return this.lexDoubleQuotes(i);
        case State.VarName:
          return this.lexVarName(i);
        case State.VarFallback:
          return this.lexFallback(i);
      }
    }
  }

  private lexInitial(i: number): T | null {
    const c = this.at(i);
    // Fast paths for the lines most files are made of: comments and blank lines.
    if (c === SEMI) {
      const comment = this.commentLen(i);
      if (this.eof) return this.endAtEof(i);
      return this.lexLineEnd(i, 0, comment);
    }
    if (c === LF || c === CR) return this.lexLineEnd(i, this.newlineLen(i), 0);
    if (c === LBRACKET) {
      this.emit(K.SectionOpen, i, i + 1);
      this.pos = i + 1;
      this.state = State.SectionValue;
      this.mark(i, i + 1, '[');
      return T.Section;
    }
    // Whitespace, a line end and a comment can only start with a blank here (';' and line breaks were
    // taken above), and '=' with a blank or itself: for a key's first character they match nothing.
    const blank = c === SPACE || c === TAB;
    const label = this.labelLen(i);
    const offsetRule = label > 0 && this.at(i + label) === LBRACKET ? label + 1 + this.tabsSpaces(i + label + 1) : 0;
    const boolLen = this.boolLen(i);
    const boolKind = this.boolKind;
    const ws = blank ? this.tabsSpaces(i) : 0;
    const equals = (blank || c === EQ) && this.at(i + ws) === EQ ? ws + 1 + this.tabsSpaces(i + ws + 1) : 0;
    const eol = blank ? this.eolLen(i) : 0;
    const comment = blank ? this.commentLen(i) : 0;
    const tokenChar = c < 128 && TOKEN_CHARS[c] === 1 && i < this.text.length ? 1 : 0;
    if (this.eof) return this.endAtEof(i);
    const best = Math.max(offsetRule, boolLen, label, equals, tokenChar, ws, eol, comment);
    if (best === 0) {
      // `<*>[^]`: PHP ends the token stream here, silently.
      this.mark(i, i + 1, '');
      return T.Eof;
    }
    // Ties go to the earlier rule: offset, bool/null, label, '=', tokens, whitespace, newline, comment.
    if (offsetRule === best) {
      const keyStart = i + ws;
      let keyEnd = i + label;
      while (keyEnd > keyStart && isTabSpace(this.text.charCodeAt(keyEnd - 1))) keyEnd--;
      this.emit(K.Whitespace, i, keyStart);
      this.emit(K.Key, keyStart, keyEnd);
      this.emit(K.Whitespace, keyEnd, i + label);
      this.emit(K.OffsetOpen, i + label, i + label + 1);
      this.emit(K.Whitespace, i + label + 1, i + best);
      this.pos = i + best;
      this.state = State.Offset;
      this.mark(keyStart, keyEnd, this.text.slice(keyStart, keyEnd));
      return T.Offset;
    }
    if (boolLen === best && boolKind !== null) return this.lexBool(i, boolLen, boolKind);
    if (label === best) {
      const keyStart = i + ws;
      let keyEnd = i + label;
      while (keyEnd > keyStart && isTabSpace(this.text.charCodeAt(keyEnd - 1))) keyEnd--;
      this.emit(K.Whitespace, i, keyStart);
      this.emit(K.Key, keyStart, keyEnd);
      this.emit(K.Whitespace, keyEnd, i + label);
      this.pos = i + label;
      this.mark(keyStart, keyEnd, this.text.slice(keyStart, keyEnd));
      return T.Label;
    }
    if (equals === best) {
      this.emit(K.Whitespace, i, i + ws);
      this.emit(K.Equals, i + ws, i + ws + 1);
      this.emit(K.Whitespace, i + ws + 1, i + best);
      this.pos = i + best;
      this.state = State.Value;
      this.mark(i + ws, i + ws + 1, '=');
      return T.Char + EQ;
    }
    if (tokenChar === best) {
      this.emit(K.Error, i, i + 1);
      this.pos = i + 1;
      this.mark(i, i + 1, this.text[i]);
      return T.Char + c;
    }
    if (ws === best) {
      this.emit(K.Whitespace, i, i + ws);
      this.pos = i + ws;
      return null;
    }
    return this.lexLineEnd(i, eol === best ? eol : 0, comment === best ? comment : 0);
  }

  /** END_OF_LINE from a plain line break or a comment; records whitespace / comment / newline pieces. */
  /** The rest of the text, which PHP's scanner ran into the end of: a last-line comment stays a comment. */
  private endAtEof(i: number): T {
    this.eof = false;
    if (this.rawEof) this.swallowedFrom = i + this.tabsSpaces(i);
    this.rawEof = false;
    const len = this.text.length;
    const ws = this.tabsSpaces(i);
    if (this.at(i + ws) === SEMI && (this.state === State.Initial || this.state === State.Value)) {
      this.emit(K.Whitespace, i, i + ws);
      this.emit(K.Comment, i + ws, len);
    } else {
      this.emit(K.Ignored, i, len);
    }
    this.pos = len;
    this.mark(i, len, '');
    return T.Eof;
  }

  private lexLineEnd(i: number, eol: number, comment: number): T {
    const len = eol || comment;
    const end = i + len;
    const nlStart = this.text.charCodeAt(end - 1) === LF && end - 2 >= i && this.text.charCodeAt(end - 2) === CR ? end - 2 : end - 1;
    const ws = this.tabsSpaces(i);
    this.emit(K.Whitespace, i, i + ws);
    this.emit(K.Comment, i + ws, nlStart);
    this.emit(K.Newline, nlStart, end);
    this.pos = end;
    this.lineno++;
    this.state = State.Initial;
    this.mark(nlStart, end, '');
    return T.EndOfLine;
  }

  private lexBool(i: number, len: number, kind: BoolKind): T {
    let wordEnd = i + len;
    while (isTabSpace(this.text.charCodeAt(wordEnd - 1))) wordEnd--;
    this.emit(kind === T.Null ? K.Null : K.Bool, i, wordEnd);
    this.emit(K.Whitespace, wordEnd, i + len);
    this.pos = i + len;
    this.mark(i, wordEnd, kind === T.BoolTrue ? '1' : '');
    return kind;
  }

  private lexValue(i: number): T {
    const c = this.at(i);
    // Each rule below can only match from certain first characters; the others are skipped (they would
    // match nothing, and set no end-of-input flag either).
    const blank = c === SPACE || c === TAB;
    const raw = c === SQUOTE ? this.rawLen(i) : 0;
    const dollarCurly = c === DOLLAR && this.at(i + 1) === LBRACE ? 2 : 0;
    const boolLen = this.boolLen(i);
    const boolKind = this.boolKind;
    const eol = blank || c === LF || c === CR ? this.eolLen(i) : 0;
    const constant = this.constantLen(i);
    const number = isDigit(c) || c === MINUS || c === DOT ? this.numberLen(i) : 0;
    const operator = c < 128 && OPERATOR_CHARS[c] === 1 ? 1 + this.tabsSpaces(i + 1) : 0;
    const equals = c === EQ ? 1 : 0;
    const valueChars = this.valueCharsLen(i);
    const ws = blank ? this.tabsSpaces(i) : 0;
    const quote = (blank || c === DQUOTE) && this.at(i + ws) === DQUOTE ? ws + 1 : 0;
    const comment = blank || c === SEMI ? this.commentLen(i) : 0;
    if (this.eof) return this.endAtEof(i);
    const best = Math.max(raw, dollarCurly, boolLen, eol, constant, number, operator, equals, valueChars, quote, ws, comment);
    if (best === 0) {
      // `<ST_VALUE>[^]`: an unusable character ends the value; PHP drops it.
      this.emit(K.Ignored, i, i + 1);
      this.pos = i + 1;
      this.state = State.Initial;
      this.mark(i, i + 1, '');
      return T.EndOfLine;
    }
    if (raw === best) return this.lexRaw(i, raw);
    if (dollarCurly === best) return this.lexDollarCurly(i);
    if (boolLen === best && boolKind !== null) return this.lexBool(i, boolLen, boolKind);
    if (eol === best) return this.lexLineEnd(i, eol, 0);
    if (constant === best) return this.simple(i, constant, K.Constant, T.Constant);
    if (number === best) return this.simple(i, number, K.Number, T.Number);
    if (operator === best) {
      this.emit(K.Operator, i, i + 1);
      this.emit(K.Whitespace, i + 1, i + best);
      this.pos = i + best;
      this.mark(i, i + 1, this.text[i]);
      return T.Char + c;
    }
    if (equals === best) {
      // `<ST_VALUE>[=]`: yyless(0) — an '=' in a value ends it, and is read again as a new token.
      this.state = State.Initial;
      this.mark(i, i, '');
      return T.EndOfLine;
    }
    if (valueChars === best) return this.simple(i, valueChars, K.String, T.String);
    if (quote === best) return this.lexQuoteOpen(i, ws);
    if (ws === best) return this.simple(i, ws, K.Whitespace, T.Whitespace);
    return this.lexLineEnd(i, 0, comment);
  }

  private simple(i: number, len: number, kind: K, tok: T): T {
    this.emit(kind, i, i + len);
    this.pos = i + len;
    this.mark(i, i + len, this.text.slice(i, i + len));
    return tok;
  }

  private lexRaw(i: number, len: number): T {
    this.emit(K.RawString, i, i + len);
    this.pos = i + len;
    this.mark(i, i + len, this.text.slice(i + 1, i + len - 1));
    return T.Raw;
  }

  private lexDollarCurly(i: number): T {
    this.emit(K.VarOpen, i, i + 2);
    this.pos = i + 2;
    this.push(State.VarName);
    this.mark(i, i + 2, '${');
    return T.DollarCurly;
  }

  private lexQuoteOpen(i: number, ws: number): T {
    this.emit(K.Whitespace, i, i + ws);
    this.emit(K.Quote, i + ws, i + ws + 1);
    this.pos = i + ws + 1;
    this.push(State.DoubleQuotes);
    this.mark(i + ws, i + ws + 1, '"');
    return T.Char + DQUOTE;
  }

  private lexSectionOrOffset(i: number): T {
    const inSection = this.state === State.SectionValue;
    const c = this.at(i);
    const raw = this.rawLen(i);
    let close = 0;
    if (inSection) {
      if (c === RBRACKET) {
        const ws = this.tabsSpaces(i + 1);
        close = 1 + ws + this.newlineLen(i + 1 + ws);
      }
    } else {
      const ws = this.tabsSpaces(i);
      if (this.at(i + ws) === RBRACKET) close = ws + 1;
    }
    const dollarCurly = c === DOLLAR && this.at(i + 1) === LBRACE ? 2 : 0;
    const constant = this.constantLen(i);
    const number = this.numberLen(i);
    const chars = this.escapedCharsLen(i, SECTION_EXCLUDED);
    const ws = this.tabsSpaces(i);
    const quote = this.at(i + ws) === DQUOTE ? ws + 1 : 0;
    if (this.eof) return this.endAtEof(i);
    const best = Math.max(raw, close, dollarCurly, constant, number, chars, quote, ws);
    if (best === 0) {
      this.mark(i, i + 1, '');
      return T.Eof;
    }
    const nameKind = inSection ? K.SectionName : K.Offset;
    if (raw === best) {
      this.emit(nameKind, i, i + raw);
      this.pos = i + raw;
      this.mark(i, i + raw, this.text.slice(i + 1, i + raw - 1));
      return T.Raw;
    }
    if (close === best) {
      if (inSection) {
        const ws2 = this.tabsSpaces(i + 1);
        this.emit(K.SectionClose, i, i + 1);
        this.emit(K.Whitespace, i + 1, i + 1 + ws2);
        this.emit(K.Newline, i + 1 + ws2, i + close);
        this.lineno++;
        this.mark(i, i + 1, ']');
      } else {
        this.emit(K.Whitespace, i, i + close - 1);
        this.emit(K.OffsetClose, i + close - 1, i + close);
        this.mark(i + close - 1, i + close, ']');
      }
      this.pos = i + close;
      this.state = State.Initial;
      return T.Char + RBRACKET;
    }
    if (dollarCurly === best) return this.lexDollarCurly(i);
    if (constant === best) return this.simple(i, constant, nameKind, T.Constant);
    if (number === best) return this.simple(i, number, nameKind, T.Number);
    if (chars === best) return this.simple(i, chars, nameKind, T.String);
    if (quote === best) return this.lexQuoteOpen(i, ws);
    return this.simple(i, ws, K.Whitespace, T.Whitespace);
  }

  private lexDoubleQuotes(i: number): T {
    const c = this.at(i);
    if (c === DQUOTE) {
      const ws = this.tabsSpaces(i + 1);
      this.emit(K.Quote, i, i + 1);
      this.emit(K.Whitespace, i + 1, i + 1 + ws);
      this.pos = i + 1 + ws;
      this.pop();
      this.mark(i, i + 1, '"');
      return T.Char + DQUOTE;
    }
    if (c === DOLLAR && this.at(i + 1) === LBRACE) return this.lexDollarCurly(i);
    // Content runs to the closing quote or a `${`; a backslash protects the next character, except
    // that `\"` right before a line break closes the string (Windows paths such as "C:\dir\").
    const text = this.text;
    const limit = text.length;
    let s = i;
    while (s < limit) {
      const ch = text.charCodeAt(s++);
      if (ch === DQUOTE) { s--; break; }
      if (ch === DOLLAR) {
        if (s < limit && text.charCodeAt(s) === LBRACE) { s--; break; }
        continue;
      }
      if (ch === BACKSLASH && s < limit) {
        const escaped = text.charCodeAt(s++);
        if (escaped === DQUOTE && (s >= limit || text.charCodeAt(s) === LF || text.charCodeAt(s) === CR)) { s--; break; }
      }
    }
    this.emit(K.QuotedText, i, s);
    this.pos = s;
    this.mark(i, s, this.unescape(i, s));
    return T.QuotedString;
  }

  /** zend_ini_escape_string: only \" \\ \$ lose their backslash; line breaks advance PHP's line counter. */
  private unescape(start: number, end: number): string {
    const text = this.text;
    let out = '';
    let from = start;
    for (let s = start; s < end; s++) {
      let ch = text.charCodeAt(s);
      if (ch === BACKSLASH && s + 1 < end) {
        const next = text.charCodeAt(s + 1);
        if (next === DQUOTE || next === BACKSLASH || next === DOLLAR) {
          out += text.slice(from, s);
          from = s + 1;
        }
        s++;
        ch = next;
      }
      if (ch === LF || (ch === CR && (s + 1 >= end || text.charCodeAt(s + 1) !== LF))) this.lineno++;
    }
    return out + text.slice(from, end);
  }

  private lexVarName(i: number): T {
    const c = this.at(i);
    if (this.opts.fallbackSyntax) {
      if (c === COLON && this.at(i + 1) === MINUS) return this.lexFallbackStart(i, 2);
      if (i < this.text.length && this.labelChar(c)) {
        if (this.at(i + 1) === COLON && this.at(i + 2) === MINUS) {
          // PHP 8.3+ returns the fallback marker right after a one-character name (consuming the name
          // and the ':' only), so `${A:-x}` is a syntax error there; mirror that.
          this.emit(K.VarName, i, i + 1);
          return this.lexFallbackStart(i + 1, 1);
        }
        let j = i + 1;
        for (; j < this.text.length; j++) {
          const ch = this.text.charCodeAt(j);
          if (ch === COLON) {
            if (this.at(j + 1) === MINUS) break;
            continue;
          }
          if (ch !== 0 && !this.labelChar(ch)) break;
        }
        return this.lexVarNameText(i, j);
      }
    } else {
      const label = this.labelLen(i);
      if (this.eof) return this.endAtEof(i);
      if (label) return this.lexVarNameText(i, i + label);
    }
    if (c === RBRACE) {
      this.emit(K.VarClose, i, i + 1);
      this.pos = i + 1;
      this.pop();
      this.mark(i, i + 1, '}');
      return T.Char + RBRACE;
    }
    this.mark(i, i + 1, '');
    return T.Eof;
  }

  private lexVarNameText(i: number, end: number): T {
    let s = i;
    while (s < end && isTabSpace(this.text.charCodeAt(s))) s++;
    let e = end;
    while (e > s && isWs(this.text.charCodeAt(e - 1))) e--;
    this.emit(K.Whitespace, i, s);
    this.emit(K.VarName, s, e);
    this.emit(K.Whitespace, e, end);
    this.pos = end;
    this.mark(s, e, this.text.slice(s, e));
    return T.VarName;
  }

  private lexFallbackStart(i: number, len: number): T {
    this.emit(K.VarFallback, i, i + len);
    this.pos = i + len;
    this.pop();
    this.push(State.VarFallback);
    this.mark(i, i + len, ':-');
    return T.Fallback;
  }

  private lexFallback(i: number): T {
    const c = this.at(i);
    const dollarCurly = c === DOLLAR && this.at(i + 1) === LBRACE ? 2 : 0;
    const close = c === RBRACE ? 1 : 0;
    const constant = this.constantLen(i);
    const number = this.numberLen(i);
    const chars = this.escapedCharsLen(i, FALLBACK_EXCLUDED);
    const ws = this.tabsSpaces(i);
    const quote = this.at(i + ws) === DQUOTE ? ws + 1 : 0;
    if (this.eof) return this.endAtEof(i);
    const best = Math.max(dollarCurly, close, constant, number, chars, quote, ws);
    if (best === 0) {
      this.mark(i, i + 1, '');
      return T.Eof;
    }
    if (dollarCurly === best) return this.lexDollarCurly(i);
    if (close === best) {
      this.emit(K.VarClose, i, i + 1);
      this.pos = i + 1;
      this.pop();
      this.mark(i, i + 1, '}');
      return T.Char + RBRACE;
    }
    if (constant === best) return this.simple(i, constant, K.Constant, T.Constant);
    if (number === best) return this.simple(i, number, K.Number, T.Number);
    if (chars === best) return this.simple(i, chars, K.String, T.String);
    if (quote === best) return this.lexQuoteOpen(i, ws);
    return this.simple(i, ws, K.Whitespace, T.Whitespace);
  }
}

/** Where the run of decimal digits from `from` ends. */
function digitsEnd(text: string, from: number): number {
  let to = from;
  while (to < text.length && isDigit(text.charCodeAt(to))) to++;
  return to;
}

const isWs = (c: number) => c === SPACE || c === TAB || c === LF || c === CR;

