// Editor features as pure functions over the engine: no LSP library imports. server.ts wires them to
// the protocol; the objects they return already have LSP's JSON shape.

export * from './lsp-types';
export { Analysis, AnalysisCache } from './analysis';
export { toLspDiagnostic, toLspDiagnostics, lspSeverity, SOURCE } from './diagnostics';
export { hover, plainHover, type HoverInput } from './hover';
export { complete, type CompletionInput } from './completion';
export { codeActions, fixAllAction, disableLineEdit, disableFileEdit, kindWanted, workspaceEdit, FIX_ALL_KIND, QUICKFIX_KIND, type CodeActionInput, type CodeActionQuery, type ContextDiagnostic } from './actions';
export { foldingRanges } from './folding';
export { documentSymbols, symbolInformation, MAX_SYMBOLS } from './symbols';
export { effectiveConfig, effectiveConfigObject, effectivePoolPhp, effectivePoolEnv, status, type StatusResult } from './effective';
export { normalizeSettings, optionsForDocument, locate, dialectForLanguage, DEFAULT_SETTINGS, type EditorSettings } from './settings';
export { ProjectConfigCache, isProjectConfigUri, type FileSystem } from './project';
export { LintScheduler, PublishGuard, type Timers } from './scheduler';
export { rulesForDirective } from './rule-index';
