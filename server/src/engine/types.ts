// Public shapes of the engine. Pure data: no LSP or VS Code types, so the CLI and the server share them.

import type { TokenStore } from './tokens';

/** Zero-based line and UTF-16 character offset, exactly as LSP counts them. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** `php-ini` covers php.ini, conf.d/*.ini and .user.ini; `php-fpm` covers php-fpm.conf and pool files. */
export type Dialect = 'php-ini' | 'php-fpm';

/** What kind of php.ini-dialect file this is; decides e.g. whether a missing directive is worth reporting. */
export type IniFileRole = 'main' | 'fragment' | 'user-ini';

export type TokenKind =
  | 'bom'
  | 'whitespace'
  | 'newline'
  | 'comment' // `; ...` up to (not including) the line break
  | 'section-open' // `[`
  | 'section-name' // one piece of the section header text
  | 'section-close' // `]`
  | 'key' // directive name (without surrounding spaces)
  | 'offset-open' // `[` after a key
  | 'offset' // one piece of the offset text
  | 'offset-close' // `]`
  | 'equals' // `=`
  | 'bool' // on/off/yes/no/true/false/none
  | 'null' // null
  | 'constant' // bare word that PHP looks up as a constant
  | 'number'
  | 'string' // any other unquoted text
  | 'quote' // `"` opening or closing a double-quoted string
  | 'quoted-text' // text inside double quotes (escapes still raw)
  | 'raw-string' // a whole `'...'` string, quotes included
  | 'var-open' // `${`
  | 'var-name'
  | 'var-fallback' // `:-` (PHP >= 8.3)
  | 'var-close' // `}`
  | 'operator' // | & ^ ~ ! ( )
  | 'ignored' // a character PHP skips without complaint (e.g. a lone `'` ends a value and is dropped)
  | 'error'; // bytes PHP never reads: from a syntax error to the end of the file

export interface Token {
  kind: TokenKind;
  /** Offset into the document text (UTF-16 code units). */
  start: number;
  end: number;
}

export interface SyntaxError {
  /** PHP's own wording, e.g. `syntax error, unexpected ')'`. */
  message: string;
  /** Where PHP detected the error (the unexpected token), as offsets into the text. */
  start: number;
  end: number;
  /** The 1-based line number PHP prints in its message. */
  phpLine: number;
}

export type StatementKind = 'section' | 'entry' | 'bare-key' | 'blank' | 'error';

/**
 * A source line-ish unit: what PHP's parser reduces as one statement, plus its trivia (the rest of its
 * line). A run of blank and comment lines may form one `blank` statement.
 */
export interface Statement {
  kind: StatementKind;
  start: number;
  end: number;
  /** Tokens of this statement in order; their texts concatenate to text.slice(start, end). */
  readonly tokens: Token[];
  /** The same tokens as the index range [first, last) of the tree's token store. */
  readonly first: number;
  readonly last: number;
  /** The i-th token's kind and offsets (i relative to the statement), without building Token objects. */
  kindAt(i: number): TokenKind;
  startAt(i: number): number;
  endAt(i: number): number;
  /** The i-th token alone (a run of comment lines can hold thousands: build just one). */
  tokenAt(i: number): Token;
  /** entry / bare-key: the directive name exactly as PHP sees it. section: the header text. */
  name?: string;
  /** entry: `key[offset]` form. `null` for `key[]` (append); undefined for a scalar entry. */
  offset?: string | null;
  /** entry: the value PHP computes for it (after booleans, quotes, constants, ${VAR}). */
  value?: string;
  /** Indices into `tokens`. */
  keyToken?: number;
  equalsToken?: number;
  /** Index range [valueStart, valueEnd) of the value tokens (without trailing comment / newline). */
  valueStart?: number;
  valueEnd?: number;
}

export interface SyntaxTree {
  text: string;
  dialect: Dialect;
  statements: Statement[];
  /** Every token of the file, in order. */
  tokens: TokenStore;
  errors: SyntaxError[];
  /** Set when PHP silently stopped reading here (e.g. at a NUL byte); the rest of the file is ignored. */
  truncatedAt?: number;
}
