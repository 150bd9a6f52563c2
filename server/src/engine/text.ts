// Offsets <-> LSP positions, and reading files without losing a byte.

import { isAscii } from 'node:buffer';
import type { Position, Range } from './types';

/** Line starts as LSP counts lines: `\n`, `\r\n` and a lone `\r` each end a line. */
export class LineIndex {
  // Four bytes a line: a 10 MB file has some 280,000 lines, and the index lives as long as the document.
  private readonly starts: Int32Array;

  /** `starts` may be given when already known (see lineStartsFromTokens); it must equal what this computes. */
  constructor(readonly text: string, known?: Int32Array) {
    if (known) {
      this.starts = known;
      return;
    }
    const starts = [0];
    // Native indexOf is several times faster than a charCodeAt loop; CR is rare enough to check first.
    if (text.indexOf('\r') < 0) {
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    } else {
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 13) {
          if (text.charCodeAt(i + 1) === 10) i++;
          starts.push(i + 1);
        } else if (c === 10) {
          starts.push(i + 1);
        }
      }
    }
    this.starts = Int32Array.from(starts);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  positionAt(offset: number): Position {
    offset = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - this.starts[lo] };
  }

  offsetAt(pos: Position): number {
    if (pos.line < 0) return 0;
    if (pos.line >= this.starts.length) return this.text.length;
    const start = this.starts[pos.line];
    const next = pos.line + 1 < this.starts.length ? this.starts[pos.line + 1] : this.text.length;
    return Math.max(start, Math.min(start + pos.character, next));
  }

  range(start: number, end: number): Range {
    const s = this.positionAt(start);
    // Most ranges end on the line they start on: spare the second search.
    const next = s.line + 1 < this.starts.length ? this.starts[s.line + 1] : Infinity;
    if (end >= this.starts[s.line] && end < next && end <= this.text.length) return { start: s, end: { line: s.line, character: end - this.starts[s.line] } };
    return { start: s, end: this.positionAt(end) };
  }

  /** Whether `offset` lies on a line from `first` to `last` (as positionAt would place it). */
  onLines(offset: number, first: number, last: number): boolean {
    offset = Math.max(0, Math.min(offset, this.text.length));
    const from = this.starts[first];
    const to = last + 1 < this.starts.length ? this.starts[last + 1] : Infinity;
    return offset >= from && offset < to;
  }

  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))];
  }

  /** End of the line's content, before its line break. */
  lineEnd(line: number): number {
    const next = line + 1 < this.starts.length ? this.starts[line + 1] : this.text.length;
    let end = next;
    if (end > this.starts[line] && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > this.starts[line] && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }
}

export interface DecodedFile {
  text: string;
  /** `latin1` when the bytes are not valid UTF-8: every byte becomes one character, so nothing is lost. */
  encoding: 'utf8' | 'latin1';
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function decode(bytes: Uint8Array): DecodedFile {
  // Most configuration files are plain ASCII, which reads the same in either encoding: no need to
  // validate UTF-8 (a native check, then the cheapest conversion; about twice as fast).
  if (isAscii(bytes)) return { text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'), encoding: 'utf8' };
  try {
    return { text: utf8.decode(bytes), encoding: 'utf8' };
  } catch {
    return { text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'), encoding: 'latin1' };
  }
}

export function encode(file: DecodedFile): Buffer {
  return Buffer.from(file.text, file.encoding);
}

/** A file is treated as binary when it has NUL bytes early on, like grep and git do. */
export function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 8000).indexOf(0) >= 0;
}

/** The line break a file mostly uses, for text a fix inserts. */
export function detectEol(text: string): '\n' | '\r\n' | '\r' {
  const crlf = text.indexOf('\r\n');
  const lf = text.indexOf('\n');
  if (crlf >= 0 && crlf + 1 === lf) return '\r\n';
  if (lf >= 0) return '\n';
  return text.includes('\r') ? '\r' : '\n';
}
