// The concrete syntax of a file as three typed arrays: every byte belongs to one token, and a token is a
// kind code plus two offsets. A 10 MB php.ini holds about a million tokens; as objects they cost far
// more in allocation and garbage collection than the parse itself, so they are built only on demand.

import type { Statement, StatementKind, Token, TokenKind } from './types';

/** Kind codes; KIND_NAMES maps them back to the public names. */
export const enum K {
  Bom,
  Whitespace,
  Newline,
  Comment,
  SectionOpen,
  SectionName,
  SectionClose,
  Key,
  OffsetOpen,
  Offset,
  OffsetClose,
  Equals,
  Bool,
  Null,
  Constant,
  Number,
  String,
  Quote,
  QuotedText,
  RawString,
  VarOpen,
  VarName,
  VarFallback,
  VarClose,
  Operator,
  Ignored,
  Error,
}

export const KIND_NAMES: readonly TokenKind[] = [
  'bom',
  'whitespace',
  'newline',
  'comment',
  'section-open',
  'section-name',
  'section-close',
  'key',
  'offset-open',
  'offset',
  'offset-close',
  'equals',
  'bool',
  'null',
  'constant',
  'number',
  'string',
  'quote',
  'quoted-text',
  'raw-string',
  'var-open',
  'var-name',
  'var-fallback',
  'var-close',
  'operator',
  'ignored',
  'error',
];

/** Kinds whose text may hold a line break besides Newline itself (quoted text, `$` + any character, ...). */
const MAY_BREAK = new Uint8Array(32);
for (const k of [K.QuotedText, K.RawString, K.SectionName, K.Offset, K.String, K.Error, K.Ignored]) MAY_BREAK[k] = 1;

export class TokenStore {
  kinds: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;
  count = 0;
  /**
   * The end of each Newline token, and the tokens of kinds that may hold a line break of their own,
   * recorded as tokens are pushed: lineStartsFromTokens() then needs no pass over every token. Both are
   * let go once it has run (newlineEnds is then undefined, as after truncate()).
   */
  newlineEnds: Int32Array | undefined;
  newlines = 0;
  breakable: number[] = [];
  /**
   * Set by the scanner that filled this store when the text it scanned holds no CR: recordedLineStarts(),
   * given that same text, then need not search it for one again.
   */
  crFree = false;

  /** Sized for a text of this length: php.ini files average about one token per 16 characters (Debian's: 4,063 in 72 KB). */
  static forText(length: number): TokenStore {
    return new TokenStore((length >> 4) + 16);
  }

  constructor(capacity = 64) {
    capacity = Math.max(16, capacity | 0);
    this.kinds = new Uint8Array(capacity);
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
    // About one line a token in two (Debian's php.ini: 2,100 lines, 4,063 tokens). A php-fpm line's own
    // store gets 8 or so: small enough for V8 to keep inside its heap, with no allocation of its own.
    this.newlineEnds = new Int32Array(capacity >> 1);
  }

  push(kind: K, start: number, end: number): void {
    if (this.count === this.kinds.length) this.grow();
    const i = this.count++;
    this.kinds[i] = kind;
    this.starts[i] = start;
    this.ends[i] = end;
    if (kind === K.Newline) this.recordLineBreak(end);
    else if (MAY_BREAK[kind] === 1) this.breakable.push(i);
  }

  /**
   * push(K.Comment, start, nl) when the comment is not empty, then push(K.Newline, nl, end): the end of a
   * comment or blank line, most of a php.ini's tokens, with one capacity check.
   */
  pushLineEnd(start: number, nl: number, end: number): void {
    if (this.count + 2 > this.kinds.length) this.grow();
    let i = this.count;
    const { kinds, starts, ends } = this;
    if (nl > start) {
      kinds[i] = K.Comment;
      starts[i] = start;
      ends[i++] = nl;
    }
    kinds[i] = K.Newline;
    starts[i] = nl;
    ends[i++] = end;
    this.count = i;
    this.recordLineBreak(end);
  }

  /** Notes where a line starts, after a Newline token ending at `end`. */
  private recordLineBreak(end: number): void {
    let nl = this.newlineEnds;
    if (nl === undefined) return;
    if (this.newlines === nl.length) this.newlineEnds = nl = growInt32(nl);
    nl[this.newlines++] = end;
  }

  /** Gives back the unused capacity once the file is read, when it is worth a copy. */
  trim(): void {
    if (this.kinds.length - this.count < 4096) return;
    this.kinds = this.kinds.slice(0, this.count);
    this.starts = this.starts.slice(0, this.count);
    this.ends = this.ends.slice(0, this.count);
  }

  /** Drops every token from index `n` on. */
  truncate(n: number): void {
    if (n < this.count) {
      this.count = n;
      this.newlineEnds = undefined;
    }
  }

  private grow(): void {
    const kinds = new Uint8Array(this.kinds.length * 2);
    kinds.set(this.kinds);
    this.kinds = kinds;
    this.starts = growInt32(this.starts);
    this.ends = growInt32(this.ends);
  }

  kindName(i: number): TokenKind {
    return KIND_NAMES[this.kinds[i]];
  }

  token(i: number): Token {
    return { kind: KIND_NAMES[this.kinds[i]], start: this.starts[i], end: this.ends[i] };
  }

  /** Token objects for indices [from, to). */
  slice(from: number, to: number): Token[] {
    const out: Token[] = new Array(Math.max(0, to - from));
    for (let i = from; i < to; i++) out[i - from] = this.token(i);
    return out;
  }
}

/**
 * A statement over a run of the file's tokens. Its `tokens` array is materialized on first use: rules
 * read offsets through the store, and most statements are never looked inside at all.
 */
export class StatementNode implements Statement {
  name?: string;
  offset?: string | null;
  value?: string;
  keyToken?: number;
  equalsToken?: number;
  valueStart?: number;
  valueEnd?: number;
  private materialized: Token[] | undefined = undefined;

  constructor(
    readonly store: TokenStore,
    public kind: StatementKind,
    /** Index of the first token in the file's token store. */
    public first: number,
    /** One past the last token. */
    public last: number,
    public start: number,
    public end: number,
  ) {}

  get tokens(): Token[] {
    return (this.materialized ??= this.store.slice(this.first, this.last));
  }

  kindAt(i: number): TokenKind {
    return KIND_NAMES[this.store.kinds[this.first + i]];
  }

  startAt(i: number): number {
    return this.store.starts[this.first + i];
  }

  endAt(i: number): number {
    return this.store.ends[this.first + i];
  }

  tokenAt(i: number): Token {
    return this.store.token(this.first + i);
  }

  /** Extends the statement over tokens that were appended to the store right after it. */
  extendTo(last: number): void {
    this.last = last;
    this.end = this.store.ends[last - 1];
    this.materialized = undefined;
  }
}

/** A copy of `a` with twice its room. */
function growInt32(a: Int32Array): Int32Array {
  const bigger = new Int32Array(a.length * 2);
  bigger.set(a);
  return bigger;
}

/**
 * Line starts as LSP counts them (after `\n`, `\r\n` or a lone `\r`), read off the tokens: every line
 * break is a Newline token except inside the few kinds that can hold one. The tokens must cover the
 * whole text, in order.
 */
export function lineStartsFromTokens(text: string, store: TokenStore): Int32Array {
  const fast = recordedLineStarts(text, store);
  // A 10 MB file has some 280,000 of each: the document keeps its store, not these.
  store.newlineEnds = undefined;
  store.breakable = [];
  if (fast) return fast;
  const { kinds, starts: tokStarts, ends, count } = store;
  // Sized by the Newline tokens, which hold nearly every break; grown in the rare file whose quoted
  // values span lines. No JS array in between: a 10 MB file has some 280,000 lines.
  let lines = 1;
  for (let i = 0; i < count; i++) if (kinds[i] === K.Newline) lines++;
  let out: Int32Array = new Int32Array(lines);
  let n = 1;
  let last = 0;
  const add = (at: number) => {
    if (at === last) return;
    if (n === out.length) out = growInt32(out);
    out[n++] = last = at;
  };
  for (let i = 0; i < count; i++) {
    const k = kinds[i];
    if (k === K.Newline) {
      // A lone CR that another token's LF follows is one CRLF break: scan it like the others.
      const end = ends[i];
      if (text.charCodeAt(end - 1) === 10 || text.charCodeAt(end) !== 10) {
        add(end);
        continue;
      }
    } else if (MAY_BREAK[k] === 0) {
      continue;
    }
    for (let p = tokStarts[i], end = ends[i]; p < end; p++) {
      const c = text.charCodeAt(p);
      if (c === 10) add(p + 1);
      else if (c === 13) add(text.charCodeAt(p + 1) === 10 ? p + 2 : p + 1);
    }
  }
  return n === out.length ? out : out.slice(0, n);
}

/**
 * The line starts the store recorded, when they are all of them: no CR anywhere (so each Newline token is
 * one LF, and no CR and LF in two tokens make one break) and no line break inside another token.
 */
function recordedLineStarts(text: string, store: TokenStore): Int32Array | undefined {
  const recorded = store.newlineEnds;
  if (recorded === undefined || (!store.crFree && text.indexOf('\r') >= 0)) return undefined;
  const { starts, ends, breakable } = store;
  for (let b = 0; b < breakable.length; b++) {
    const i = breakable[b];
    const lf = text.indexOf('\n', starts[i]);
    if (lf >= 0 && lf < ends[i]) return undefined;
  }
  const n = store.newlines;
  const out = new Int32Array(n + 1);
  out.set(recorded.subarray(0, n), 1);
  return out;
}
