// Code actions: each diagnostic's fixes as quick fixes, "disable this rule" comments, and the
// fix-all source action (computed from the document's text at request time).

import type { ParsedDocument } from '../document';
import { fixAll, INVALID_DISABLE_RULE, type Diagnostic, type LintOptions } from '../lint';
import type { TextEdit } from '../rules/types';
import { detectEol } from '../text';
import { toLspDiagnostic, SOURCE } from './diagnostics';
import { rangesIntersect, type ClientFeatures, type LspCodeAction, type LspDiagnostic, type LspTextEdit, type LspWorkspaceEdit, type Range } from './lsp-types';
import { statementIndexAt } from './locate';

export const FIX_ALL_KIND = 'source.fixAll.phpIniLint';
export const QUICKFIX_KIND = 'quickfix';

export interface CodeActionInput {
  uri: string;
  version: number;
  doc: ParsedDocument;
  options: LintOptions;
  /** The engine's diagnostics for exactly this text. */
  diagnostics: readonly Diagnostic[];
  client: ClientFeatures;
}

export interface CodeActionQuery {
  range: Range;
  /** context.only */
  only?: readonly string[];
  /** context.diagnostics: what the client shows in the range. */
  diagnostics?: ReadonlyArray<ContextDiagnostic>;
}

/** The parts of a client-side diagnostic used to match it with ours. */
export interface ContextDiagnostic {
  range?: Range;
  code?: string | number;
  source?: string;
}

/** Whether an action of `kind` is wanted. Without `only`, source actions are left out (they are asked for by kind). */
export function kindWanted(kind: string, only: readonly string[] | undefined): boolean {
  if (!only || only.length === 0) return !kind.startsWith('source');
  return only.some((o) => o === '' || kind === o || kind.startsWith(`${o}.`));
}

export function codeActions(input: CodeActionInput, query: CodeActionQuery): LspCodeAction[] {
  const out: LspCodeAction[] = [];
  if (kindWanted(QUICKFIX_KIND, query.only)) out.push(...quickFixes(input, query));
  if (kindWanted(FIX_ALL_KIND, query.only)) {
    const all = fixAllAction(input);
    if (all) out.push(all);
  }
  return out;
}

function sameDiagnostic(ours: LspDiagnostic, theirs: ContextDiagnostic): boolean {
  if (theirs.source !== undefined && theirs.source !== SOURCE) return false;
  if (String(theirs.code ?? '') !== ours.code || !theirs.range) return false;
  const a = ours.range;
  const b = theirs.range;
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

function quickFixes(input: CodeActionInput, query: CodeActionQuery): LspCodeAction[] {
  const fixes: LspCodeAction[] = [];
  const disables: LspCodeAction[] = [];
  const seen = new Set<string>();
  const context = query.diagnostics ?? [];
  for (const d of input.diagnostics) {
    const ours = toLspDiagnostic(d, input.uri, input.client);
    const theirs = context.find((c) => sameDiagnostic(ours, c));
    if (!theirs && !rangesIntersect(d.range, query.range)) continue;
    const shown = (theirs as LspDiagnostic | undefined) ?? ours;
    d.fixes.forEach((fix, i) => {
      const action: LspCodeAction = {
        title: fix.title,
        kind: QUICKFIX_KIND,
        diagnostics: [shown],
        edit: workspaceEdit(input, fix.edits),
      };
      if (i === 0 && fix.safe) action.isPreferred = true;
      fixes.push(action);
    });
    if (d.rule === INVALID_DISABLE_RULE) continue; // not suppressible by a comment
    const lineKey = `line:${d.rule}:${d.range.start.line}`;
    if (!seen.has(lineKey)) {
      seen.add(lineKey);
      const edit = disableLineEdit(input.doc, d.range.start.line, d.rule);
      if (edit) disables.push({ title: `Disable ${d.rule} for this line`, kind: QUICKFIX_KIND, diagnostics: [shown], edit: workspaceEdit(input, [edit]) });
    }
    const fileKey = `file:${d.rule}`;
    if (!seen.has(fileKey)) {
      seen.add(fileKey);
      disables.push({ title: `Disable ${d.rule} for this file`, kind: QUICKFIX_KIND, diagnostics: [shown], edit: workspaceEdit(input, [disableFileEdit(input.doc, d.rule)]) });
    }
  }
  return [...fixes, ...disables];
}

/** The fix-all action, or undefined when there is nothing safe to fix. */
export function fixAllAction(input: CodeActionInput): LspCodeAction | undefined {
  const result = fixAll(input.doc, input.options);
  if (!result.edits.length) return undefined;
  return {
    title: `Fix all safely fixable php-ini-lint problems (${result.applied})`,
    kind: FIX_ALL_KIND,
    edit: workspaceEdit(input, result.edits),
  };
}

export function workspaceEdit(input: Pick<CodeActionInput, 'uri' | 'version' | 'doc' | 'client'>, edits: readonly TextEdit[]): LspWorkspaceEdit {
  const lines = input.doc.lines;
  const lsp: LspTextEdit[] = [...edits].sort((a, b) => a.start - b.start || a.end - b.end).map((e) => ({ range: lines.range(e.start, e.end), newText: e.newText }));
  if (input.client.documentChanges) return { documentChanges: [{ textDocument: { uri: input.uri, version: input.version }, edits: lsp }] };
  return { changes: { [input.uri]: lsp } };
}

const NEXT_LINE_RE = /^([ \t]*;+[ \t]*php-ini-lint-disable-next-line)([ \t]+[A-Za-z0-9_,\- \t]*?)?([ \t]*(?:[ \t]--[ \t].*)?)$/;
const FILE_RE = /^(;+[ \t]*php-ini-lint-disable)([ \t]+[A-Za-z0-9_,\- \t]*?)([ \t]*)$/;

function bomLength(text: string): number {
  return text.charCodeAt(0) === 0xfeff ? 1 : 0;
}

/**
 * `; php-ini-lint-disable-next-line <rule>` above `line`, with that line's indentation and the file's line
 * ending; extends an existing comment there instead. undefined when `line` is the inside of a multi-line
 * value, where a comment would change the value.
 */
export function disableLineEdit(doc: ParsedDocument, line: number, rule: string): TextEdit | undefined {
  const text = doc.text;
  const lines = doc.lines;
  const bom = line === 0 ? bomLength(text) : 0;
  const start = lines.lineStart(line) + bom;
  const idx = statementIndexAt(doc, start);
  if (idx >= 0) {
    const st = doc.statements[idx];
    // A blank statement (a run of comment lines) never continues a value across lines.
    const first = st.kind === 'blank' ? undefined : st.tokens.find((t) => t.kind !== 'bom');
    if (first && first.start !== start && st.start !== start - bom) return undefined;
  }
  if (line > 0) {
    const prevStart = lines.lineStart(line - 1) + (line - 1 === 0 ? bomLength(text) : 0);
    const prev = text.slice(prevStart, lines.lineEnd(line - 1));
    const m = NEXT_LINE_RE.exec(prev);
    if (m) {
      const ids = (m[2] ?? '').split(/[\s,]+/).filter(Boolean);
      if (ids.length === 0 || ids.includes(rule)) return undefined; // already covers it
      const at = prevStart + m[1].length + (m[2] ?? '').replace(/[ \t]+$/, '').length;
      return { start: at, end: at, newText: `, ${rule}` };
    }
  }
  const indent = /^[ \t]*/.exec(text.slice(start, lines.lineEnd(line)))![0];
  return { start, end: start, newText: `${indent}; php-ini-lint-disable-next-line ${rule}${detectEol(text)}` };
}

/** `; php-ini-lint-disable <rule>` as the first line (after a byte-order mark), or added to one already there. */
export function disableFileEdit(doc: ParsedDocument, rule: string): TextEdit {
  const text = doc.text;
  const start = bomLength(text);
  const first = text.slice(start, doc.lines.lineEnd(0));
  const m = FILE_RE.exec(first);
  if (m) {
    const ids = m[2].split(/[\s,]+/).filter(Boolean);
    if (ids.length && !ids.includes(rule)) {
      const at = start + m[1].length + m[2].replace(/[ \t]+$/, '').length;
      return { start: at, end: at, newText: `, ${rule}` };
    }
  }
  return { start, end: start, newText: `; php-ini-lint-disable ${rule}${detectEol(text)}` };
}
