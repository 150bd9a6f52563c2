// Folding ranges: each section (header to its last directive line), `; region` / `; endregion` markers,
// and runs of two or more comment lines.

import type { ParsedDocument } from '../document';
import type { Statement } from '../types';
import type { LspFoldingRange } from './lsp-types';

const REGION_START = /^\s*;+\s*#?region\b/;
const REGION_END = /^\s*;+\s*#?endregion\b/;

function isCommentOnly(st: Statement): boolean {
  if (st.kind !== 'blank') return false;
  let comment = false;
  for (const t of st.tokens) {
    if (t.kind === 'comment') comment = true;
    else if (t.kind !== 'whitespace' && t.kind !== 'newline' && t.kind !== 'bom') return false;
  }
  return comment;
}

function hasContent(st: Statement): boolean {
  return st.tokens.some((t) => t.kind !== 'whitespace' && t.kind !== 'newline' && t.kind !== 'bom');
}

export function foldingRanges(doc: ParsedDocument): LspFoldingRange[] {
  const lines = doc.lines;
  const out: LspFoldingRange[] = [];
  const lineOf = (offset: number) => lines.positionAt(offset).line;
  /** Last line of a statement's own content (without its line break). */
  const lastLine = (st: Statement) => {
    let end = st.start;
    for (const t of st.tokens) if (t.kind !== 'newline' && t.kind !== 'whitespace') end = t.end;
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

  for (const st of doc.statements) {
    if (st.kind === 'section') {
      closeComments();
      closeSection();
      const line = lineOf(st.start);
      section = { start: line, end: line };
      continue;
    }
    if (isCommentOnly(st)) {
      const line = lineOf(st.start);
      const text = doc.text.slice(st.start, st.end).replace(/^\uFEFF/, '');
      if (REGION_START.test(text)) {
        closeComments();
        regions.push(line);
      } else if (REGION_END.test(text)) {
        closeComments();
        const start = regions.pop();
        if (start !== undefined && line > start) out.push({ startLine: start, endLine: line, kind: 'region' });
      } else if (commentRun && commentRun.end === line - 1) {
        commentRun.end = line;
      } else {
        closeComments();
        commentRun = { start: line, end: line };
      }
    } else if (hasContent(st)) {
      closeComments();
    }
    // A section ends at its last directive: trailing comments usually introduce the next section.
    if (section && hasContent(st) && !isCommentOnly(st)) section.end = Math.max(section.end, lastLine(st));
  }
  closeComments();
  closeSection();
  return out.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
}
