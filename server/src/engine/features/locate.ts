// Finding things by position in a parsed document: the statement and token under the cursor, and the
// section a statement belongs to. Binary searches, so a 10 MB file answers as fast as a small one.

import type { ParsedDocument } from '../document';
import type { Statement, Token } from '../types';

/** Index of the statement that contains `offset` (the last one at the end of the text); -1 when empty. */
export function statementIndexAt(doc: ParsedDocument, offset: number): number {
  const sts = doc.statements;
  if (sts.length === 0) return -1;
  let lo = 0;
  let hi = sts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (sts[mid].start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Index of the token under `offset` (start <= offset < end); with `touching`, one ending at offset also counts. */
export function tokenIndexAt(st: Statement, offset: number, touching = false): number {
  // Binary search over the token store: a blank statement may span thousands of comment lines.
  const n = st.last - st.first;
  let lo = 0;
  let hi = n - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (st.endAt(mid) <= offset) lo = mid + 1;
    else if (st.startAt(mid) > offset) hi = mid - 1;
    else {
      // At the very start of a token right after a word, prefer the word when asked.
      if (touching && offset === st.startAt(mid) && mid > 0 && isWordy(st.kindAt(mid - 1))) return mid - 1;
      return mid;
    }
  }
  if (touching) {
    for (let i = n - 1; i >= 0; i--) if (st.endAt(i) === offset) return i;
  }
  return -1;
}

function isWordy(kind: Token['kind']): boolean {
  return kind !== 'whitespace' && kind !== 'newline';
}

const sectionCache = new WeakMap<ParsedDocument, Int32Array>();

/** For each statement, the index of the section header it falls under (-1 before any header). */
function sectionIndex(doc: ParsedDocument): Int32Array {
  let idx = sectionCache.get(doc);
  if (idx) return idx;
  idx = new Int32Array(doc.statements.length);
  let current = -1;
  doc.statements.forEach((st, i) => {
    if (st.kind === 'section') current = i;
    idx![i] = current;
  });
  sectionCache.set(doc, idx);
  return idx;
}

/** The section header statement that statement `index` belongs to (itself for a header). */
export function sectionOf(doc: ParsedDocument, index: number): Statement | undefined {
  if (index < 0 || index >= doc.statements.length) return undefined;
  const s = sectionIndex(doc)[index];
  return s >= 0 ? doc.statements[s] : undefined;
}

/** In a php-fpm file: 'global' before any section and under [global], else 'pool'. */
export function fpmScopeOf(doc: ParsedDocument, index: number): 'global' | 'pool' {
  const sec = sectionOf(doc, index);
  if (!sec) return 'global';
  return (sec.name ?? '').toLowerCase() === 'global' ? 'global' : 'pool';
}

/** The source text of a token. */
export function tokenText(doc: ParsedDocument, t: Token): string {
  return doc.text.slice(t.start, t.end);
}

/** Offsets of the key as written, including `[offset]` for array entries. */
export function keySpan(st: Statement): { start: number; end: number } | undefined {
  if (st.keyToken === undefined) return undefined;
  const key = st.tokens[st.keyToken];
  let end = key.end;
  const stop = st.equalsToken ?? st.tokens.length;
  for (let i = st.keyToken + 1; i < stop; i++) {
    const t = st.tokens[i];
    if (t.kind === 'offset-open' || t.kind === 'offset' || t.kind === 'offset-close') end = t.end;
    else if (t.kind !== 'whitespace') break;
  }
  return { start: key.start, end };
}

/** Offsets of the value as written (without surrounding spaces or a trailing comment). */
export function valueSpan(st: Statement): { start: number; end: number } | undefined {
  if (st.valueStart === undefined || st.valueEnd === undefined || st.valueEnd <= st.valueStart) return undefined;
  return { start: st.tokens[st.valueStart].start, end: st.tokens[st.valueEnd - 1].end };
}

/** Offsets of the inner `[offset]` text of an array entry (`session.name` in `php_value[session.name]`). */
export function offsetSpan(st: Statement): { start: number; end: number } | undefined {
  let start = -1;
  let end = -1;
  for (const t of st.tokens) {
    if (t.kind === 'offset') {
      if (start < 0) start = t.start;
      end = t.end;
    } else if (t.kind === 'offset-close' || t.kind === 'equals') break;
  }
  return start >= 0 ? { start, end } : undefined;
}
