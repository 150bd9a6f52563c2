// Folding ranges: each section (header to its last directive line), `; region` / `; endregion` markers,
// and runs of two or more comment lines.

import type { ParsedDocument } from '../document';
import { K } from '../tokens';
import type { Statement } from '../types';
import type { LspFoldingRange } from './lsp-types';

const REGION_START = /^\s*;+\s*#?region\b/;
const REGION_END = /^\s*;+\s*#?endregion\b/;

/** What a run of tokens [from, to) holds: only a comment (plus blanks), any content, or neither. */
function classify(doc: ParsedDocument, from: number, to: number): { commentOnly: boolean; content: boolean } {
  const kinds = doc.tokens.kinds;
  let comment = false;
  let other = false;
  for (let i = from; i < to; i++) {
    const k = kinds[i];
    if (k === K.Comment) comment = true;
    else if (k !== K.Whitespace && k !== K.Newline && k !== K.Bom) other = true;
  }
  return { commentOnly: comment && !other, content: comment || other };
}

export function foldingRanges(doc: ParsedDocument): LspFoldingRange[] {
  const lines = doc.lines;
  const store = doc.tokens;
  const out: LspFoldingRange[] = [];
  const lineOf = (offset: number) => lines.positionAt(offset).line;
  /** Last line of a statement's own content (without its line break). */
  const lastLine = (st: Statement) => {
    let end = st.start;
    for (let i = st.first; i < st.last; i++) if (store.kinds[i] !== K.Newline && store.kinds[i] !== K.Whitespace) end = store.ends[i];
    return lineOf(Math.max(st.start, end - 1));
  };

  let section: { start: number; end: number } | undefined;
  const closeSection = () => {
    if (section && section.end > section.start) out.push({ startLine: section.start, endLine: section.end });
    section = undefined;
  };
  const regions: number[] = [];
  let commentRun: { start: number; end: number } | undefined;
  const closeComments = () => {
    if (commentRun && commentRun.end > commentRun.start) out.push({ startLine: commentRun.start, endLine: commentRun.end, kind: 'comment' });
    commentRun = undefined;
  };
  const commentLine = (start: number, end: number) => {
    const line = lineOf(start);
    const text = doc.text.slice(start, end).replace(/^\uFEFF/, '');
    if (REGION_START.test(text)) {
      closeComments();
      regions.push(line);
    } else if (REGION_END.test(text)) {
      closeComments();
      const open = regions.pop();
      if (open !== undefined && line > open) out.push({ startLine: open, endLine: line, kind: 'region' });
    } else if (commentRun && commentRun.end === line - 1) {
      commentRun.end = line;
    } else {
      closeComments();
      commentRun = { start: line, end: line };
    }
  };

  for (const st of doc.statements) {
    if (st.kind === 'section') {
      closeComments();
      closeSection();
      const line = lineOf(st.start);
      section = { start: line, end: line };
      continue;
    }
    if (st.kind === 'blank') {
      // A blank statement may span many lines: look at each of them.
      let from = st.first;
      for (let i = st.first; i < st.last; i++) {
        if (store.kinds[i] !== K.Newline && i + 1 < st.last) continue;
        const c = classify(doc, from, i + 1);
        if (c.commentOnly) commentLine(store.starts[from], store.ends[i]);
        else if (c.content) {
          closeComments();
          if (section) {
            let end = store.starts[from];
            for (let j = from; j <= i; j++) if (store.kinds[j] !== K.Newline && store.kinds[j] !== K.Whitespace) end = store.ends[j];
            section.end = Math.max(section.end, lineOf(Math.max(store.starts[from], end - 1)));
          }
        }
        from = i + 1;
      }
      continue;
    }
    const c = classify(doc, st.first, st.last);
    if (c.content) closeComments();
    // A section ends at its last directive: trailing comments usually introduce the next section.
    if (section && c.content) section.end = Math.max(section.end, lastLine(st));
  }
  closeComments();
  closeSection();
  return out.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
}
