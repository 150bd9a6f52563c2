// Plain data shapes that match the Language Server Protocol's JSON, so the feature modules can build
// responses without importing any LSP library (the engine stays editor-agnostic). server.ts passes
// these objects through unchanged.

import type { Position, Range } from '../types';

export type { Position, Range };

export const DiagnosticSeverity = { Error: 1, Warning: 2, Information: 3, Hint: 4 } as const;
export const DiagnosticTag = { Unnecessary: 1, Deprecated: 2 } as const;

export interface LspLocation {
  uri: string;
  range: Range;
}

export interface LspDiagnostic {
  range: Range;
  severity: 1 | 2 | 3 | 4;
  code: string;
  codeDescription?: { href: string };
  source: string;
  message: string;
  tags?: Array<1 | 2>;
  relatedInformation?: Array<{ location: LspLocation; message: string }>;
  data?: unknown;
}

export interface LspTextEdit {
  range: Range;
  newText: string;
}

export interface LspWorkspaceEdit {
  changes?: Record<string, LspTextEdit[]>;
  documentChanges?: Array<{ textDocument: { uri: string; version: number | null }; edits: LspTextEdit[] }>;
}

export interface LspCodeAction {
  title: string;
  kind: string;
  diagnostics?: LspDiagnostic[];
  isPreferred?: boolean;
  edit: LspWorkspaceEdit;
}

export interface MarkupContent {
  kind: 'markdown' | 'plaintext';
  value: string;
}

export interface LspHover {
  contents: MarkupContent;
  range?: Range;
}

export const CompletionItemKind = {
  Text: 1,
  Property: 10,
  Value: 12,
  Keyword: 14,
  Constant: 21,
  EnumMember: 20,
  Module: 9,
} as const;

export interface LspCompletionItem {
  label: string;
  kind?: number;
  detail?: string;
  documentation?: MarkupContent;
  sortText?: string;
  filterText?: string;
  textEdit?: LspTextEdit;
  tags?: Array<1>;
  deprecated?: boolean;
}

export interface LspCompletionList {
  isIncomplete: boolean;
  items: LspCompletionItem[];
}

export interface LspFoldingRange {
  startLine: number;
  endLine: number;
  kind?: 'comment' | 'imports' | 'region';
}

export const SymbolKind = { File: 1, Module: 2, Namespace: 3, Class: 5, Property: 7, Field: 8, Array: 18, Key: 20 } as const;

export interface LspDocumentSymbol {
  name: string;
  detail?: string;
  kind: number;
  range: Range;
  selectionRange: Range;
  children?: LspDocumentSymbol[];
}

export interface LspSymbolInformation {
  name: string;
  kind: number;
  location: LspLocation;
  containerName?: string;
}

/** The subset of the client's capabilities the features care about. */
export interface ClientFeatures {
  relatedInformation: boolean;
  codeDescription: boolean;
  /** Diagnostic tags the client understands (empty = none). */
  tags: Array<1 | 2>;
  documentChanges: boolean;
  hierarchicalSymbols: boolean;
  markdownHover: boolean;
  markdownCompletion: boolean;
  configuration: boolean;
  watchedFilesDynamic: boolean;
  completionTags: boolean;
}

/** Reads ClientFeatures out of an LSP `initialize` request's capabilities (any JSON). */
export function clientFeatures(capabilities: unknown): ClientFeatures {
  const c = (capabilities ?? {}) as Record<string, any>;
  const td = c.textDocument ?? {};
  const ws = c.workspace ?? {};
  const pd = td.publishDiagnostics ?? {};
  const tagSet: unknown[] = Array.isArray(pd.tagSupport?.valueSet) ? pd.tagSupport.valueSet : [];
  const hoverFormats: unknown[] = Array.isArray(td.hover?.contentFormat) ? td.hover.contentFormat : [];
  const docFormats: unknown[] = Array.isArray(td.completion?.completionItem?.documentationFormat) ? td.completion.completionItem.documentationFormat : [];
  const completionTagSet: unknown[] = Array.isArray(td.completion?.completionItem?.tagSupport?.valueSet) ? td.completion.completionItem.tagSupport.valueSet : [];
  return {
    relatedInformation: pd.relatedInformation === true,
    codeDescription: pd.codeDescriptionSupport === true,
    tags: tagSet.filter((t): t is 1 | 2 => t === 1 || t === 2),
    documentChanges: ws.workspaceEdit?.documentChanges === true,
    hierarchicalSymbols: td.documentSymbol?.hierarchicalDocumentSymbolSupport === true,
    markdownHover: hoverFormats.includes('markdown'),
    markdownCompletion: docFormats.includes('markdown'),
    configuration: ws.configuration === true,
    watchedFilesDynamic: ws.didChangeWatchedFiles?.dynamicRegistration === true,
    completionTags: completionTagSet.includes(1),
  };
}

/** Capabilities of a modern, fully featured client (what tests of the pure features assume). */
export const FULL_CLIENT: ClientFeatures = Object.freeze({
  relatedInformation: true,
  codeDescription: true,
  tags: [1, 2] as Array<1 | 2>,
  documentChanges: true,
  hierarchicalSymbols: true,
  markdownHover: true,
  markdownCompletion: true,
  configuration: true,
  watchedFilesDynamic: true,
  completionTags: true,
});

export function rangeContains(r: Range, p: Position): boolean {
  const afterStart = p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character);
  const beforeEnd = p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character);
  return afterStart && beforeEnd;
}

/** True when two ranges share at least a point (touching counts: an empty range at a diagnostic's edge). */
export function rangesIntersect(a: Range, b: Range): boolean {
  const before = (x: Position, y: Position) => x.line < y.line || (x.line === y.line && x.character < y.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}
