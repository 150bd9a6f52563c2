// The language server: LSP wiring only. Every answer is computed by the pure modules in
// engine/features (which return objects already shaped like LSP's JSON); this file keeps the
// documents, settings, project-config cache and timers, and never lets an error take it down.
// Works over `--stdio`, `--node-ipc` (what the VS Code client uses) and `--socket`.

import * as fs from 'node:fs';
import {
  createConnection,
  DidChangeWatchedFilesNotification,
  ErrorCodes,
  ProposedFeatures,
  RequestType,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  type CompletionList,
  type Diagnostic as LspDiagnosticType,
  type DocumentSymbol,
  type FoldingRange,
  type Hover,
  type InitializeResult,
  type SymbolInformation,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { PROJECT_CONFIG_FILE, type ProjectConfig, type ResolvedOptions } from './engine/config';
import {
  AnalysisCache,
  clientFeatures,
  codeActions,
  complete,
  DEFAULT_SETTINGS,
  documentSymbols,
  effectiveConfig,
  FIX_ALL_KIND,
  foldingRanges,
  hover,
  isProjectConfigUri,
  plainHover,
  LintScheduler,
  locate,
  normalizeSettings,
  optionsForDocument,
  ProjectConfigCache,
  PublishGuard,
  QUICKFIX_KIND,
  status,
  symbolInformation,
  toLspDiagnostics,
  type Analysis,
  type ClientFeatures,
  type EditorSettings,
  type StatusResult,
} from './engine/features/index';
import { IdleCollector } from './idle-collector';

// Same names as client/src/protocol.ts (the client is bundled separately and does not share code).
interface DocumentParams {
  uri: string;
}
const EffectiveConfigRequest = new RequestType<DocumentParams, { text: string }, void>('phpIniLint/effectiveConfig');
const StatusRequest = new RequestType<DocumentParams, StatusResult, void>('phpIniLint/status');
const CONFIG_SECTION = 'phpIniLint';
// Lint 150 ms after the last keystroke; the benchmark sets PHP_INI_LINT_DEBOUNCE_MS=0 to measure the
// work itself through the protocol.
const DEBOUNCE_MS = /^\d+$/.test(process.env.PHP_INI_LINT_DEBOUNCE_MS ?? '') ? Number(process.env.PHP_INI_LINT_DEBOUNCE_MS) : 150;
/** Without file watching in the client, re-check for a new/removed project file this often. */
const UNWATCHED_PROJECT_TTL_MS = 3000;

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const cache = new AnalysisCache();
const guard = new PublishGuard();
const projects = new ProjectConfigCache({
  stat(path) {
    try {
      const st = fs.statSync(path);
      return st.isFile() ? { size: st.size, mtimeMs: st.mtimeMs } : undefined;
    } catch {
      return undefined;
    }
  },
  read: (path) => fs.readFileSync(path, 'utf8'),
});

let client: ClientFeatures = clientFeatures({});
/** Settings pushed with workspace/didChangeConfiguration, for clients that cannot answer workspace/configuration. */
let pushedSettings: EditorSettings = DEFAULT_SETTINGS;
const settingsCache = new Map<string, Promise<EditorSettings>>();
const justOpened = new Set<string>();
const reportedProblems = new Set<string>();

function logError(what: string, err: unknown): void {
  const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
  try {
    connection.console.error(`php-ini-lint: ${what} failed: ${text}`);
  } catch {
    // the connection itself is gone
  }
}

/** Wraps a handler: any error is logged and answered with `fallback` (ResponseErrors are meant for the client). */
function guarded<P, R>(what: string, fallback: R, fn: (params: P) => R | Promise<R>): (params: P) => Promise<R> {
  return async (params: P) => {
    collector.notIdle();
    try {
      return await fn(params);
    } catch (err) {
      if (err instanceof ResponseError) throw err;
      logError(what, err);
      return fallback;
    }
  };
}

// ---------------------------------------------------------------------------------------------
// Settings and options

function settingsFor(uri: string): Promise<EditorSettings> {
  if (!client.configuration) return Promise.resolve(pushedSettings);
  let p = settingsCache.get(uri);
  if (!p) {
    p = connection.workspace.getConfiguration({ scopeUri: uri, section: CONFIG_SECTION }).then(
      (raw: unknown) => normalizeSettings(raw),
      (err: unknown) => {
        logError('workspace/configuration', err);
        settingsCache.delete(uri);
        return pushedSettings;
      },
    );
    settingsCache.set(uri, p);
  }
  return p;
}

function projectFor(uri: string): ProjectConfig | undefined {
  const loc = locate(uri);
  if (!loc.isFile) return undefined;
  const project = projects.forFile(loc.path);
  if (project?.problems.length) {
    const key = `${project.file}\n${project.problems.join('\n')}`;
    if (!reportedProblems.has(key)) {
      reportedProblems.add(key);
      const text = `php-ini-lint: problems in ${project.file}: ${project.problems.join('; ')}`;
      connection.console.warn(text);
      void connection.window.showWarningMessage(text);
    }
  }
  return project;
}

function optionsFor(uri: string, languageId: string | undefined, settings: EditorSettings): ResolvedOptions {
  return optionsForDocument(uri, languageId, settings, projectFor(uri));
}

interface Current {
  document: TextDocument;
  analysis: Analysis;
}

/** The analysis of a document's current text, or undefined when it is not open or linting is off for it. */
async function current(uri: string): Promise<Current | undefined> {
  if (!documents.get(uri)) return undefined;
  const settings = await settingsFor(uri);
  const document = documents.get(uri);
  if (!document || !settings.enable) return undefined;
  const options = optionsFor(uri, document.languageId, settings);
  return { document, analysis: cache.get(uri, document.version, document.getText(), options) };
}

// Memory: collected once the server goes quiet after work (see idle-collector.ts).
const collector = new IdleCollector();

// ---------------------------------------------------------------------------------------------
// Diagnostics

function publish(uri: string, version: number, diagnostics: LspDiagnosticType[]): void {
  if (!guard.claim(uri, version)) return; // an older result must never replace a newer one
  void connection.sendDiagnostics({ uri, version, diagnostics }).catch((err: unknown) => logError('publishDiagnostics', err));
}

async function validate(uri: string): Promise<void> {
  try {
    const before = documents.get(uri);
    if (!before) return;
    const version = before.version;
    const settings = await settingsFor(uri);
    const document = documents.get(uri);
    // Closed, or edited while the settings were on their way: the newer version has its own run scheduled.
    if (!document || document.version !== version) return;
    if (!settings.enable) {
      publish(uri, version, []);
      return;
    }
    const options = optionsFor(uri, document.languageId, settings);
    const analysis = cache.get(uri, version, document.getText(), options);
    publish(uri, version, toLspDiagnostics(analysis.diagnostics, uri, client) as LspDiagnosticType[]);
    collector.afterWork();
  } catch (err) {
    logError(`linting ${uri}`, err);
  }
}

const scheduler = new LintScheduler((uri) => void validate(uri), DEBOUNCE_MS);

function relintAll(): void {
  for (const d of documents.all()) scheduler.schedule(d.uri, 0);
}

documents.onDidOpen((e) => {
  justOpened.add(e.document.uri);
});

documents.onDidChangeContent((e) => {
  collector.notIdle();
  const uri = e.document.uri;
  // The first version is linted right away; edits wait until typing pauses.
  const first = justOpened.delete(uri);
  scheduler.schedule(uri, first ? 0 : DEBOUNCE_MS);
});

documents.onDidClose((e) => {
  const uri = e.document.uri;
  justOpened.delete(uri);
  scheduler.cancel(uri);
  cache.delete(uri);
  settingsCache.delete(uri);
  guard.forget(uri);
  void connection.sendDiagnostics({ uri, diagnostics: [] }).catch((err: unknown) => logError('publishDiagnostics', err));
  collector.afterWork(true);
});

// ---------------------------------------------------------------------------------------------
// Lifecycle and workspace notifications

connection.onInitialize((params): InitializeResult => {
  client = clientFeatures(params.capabilities);
  // Watched-file events make re-reads prompt, but editors do miss some (a folder created after the
  // window opened): never trust a cached "no project file here" for longer than a few seconds.
  projects.maxAgeMs = UNWATCHED_PROJECT_TTL_MS;
  const init = params.initializationOptions as { settings?: unknown } | undefined;
  if (init && typeof init === 'object' && init.settings !== undefined) pushedSettings = normalizeSettings(init.settings);
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      hoverProvider: true,
      completionProvider: { triggerCharacters: ['=', '[', ' ', ',', '"'], resolveProvider: false },
      codeActionProvider: { codeActionKinds: [QUICKFIX_KIND, FIX_ALL_KIND, 'source.fixAll'], resolveProvider: false },
      foldingRangeProvider: true,
      documentSymbolProvider: true,
    },
    serverInfo: { name: 'php-ini-lint' },
  };
});

connection.onInitialized(() => {
  if (client.watchedFilesDynamic) {
    connection.client
      .register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: `**/${PROJECT_CONFIG_FILE}` }] })
      .catch((err: unknown) => logError('registering the project file watcher', err));
  }
});

connection.onDidChangeConfiguration(
  guarded('didChangeConfiguration', undefined, (params) => {
    const pushed = (params?.settings as Record<string, unknown> | null | undefined)?.[CONFIG_SECTION];
    if (pushed !== undefined && pushed !== null) pushedSettings = normalizeSettings(pushed);
    settingsCache.clear();
    relintAll();
  }),
);

connection.onDidChangeWatchedFiles(
  guarded('didChangeWatchedFiles', undefined, (params) => {
    if (!params.changes.some((c) => isProjectConfigUri(c.uri))) return;
    projects.invalidate();
    relintAll();
  }),
);

connection.onShutdown(() => {
  scheduler.dispose();
  collector.dispose();
});

// ---------------------------------------------------------------------------------------------
// Requests

connection.onHover(
  guarded('hover', null, async (params): Promise<Hover | null> => {
    const c = await current(params.textDocument.uri);
    if (!c) return null;
    const a = c.analysis;
    const h = hover({ doc: a.doc, options: a.options, diagnostics: a.diagnostics }, params.position);
    return h && !client.markdownHover ? plainHover(h) : h;
  }),
);

connection.onCompletion(
  guarded('completion', null, async (params): Promise<CompletionList | null> => {
    const c = await current(params.textDocument.uri);
    if (!c) return null;
    const a = c.analysis;
    return complete({ doc: a.doc, options: a.options, tagSupport: client.completionTags, markdown: client.markdownCompletion }, params.position) as CompletionList;
  }),
);

connection.onCodeAction(
  guarded('codeAction', [] as CodeAction[], async (params): Promise<CodeAction[]> => {
    const uri = params.textDocument.uri;
    const c = await current(uri);
    if (!c) return [];
    const a = c.analysis;
    return codeActions(
      { uri, version: c.document.version, doc: a.doc, options: a.options, diagnostics: a.diagnostics, client },
      { range: params.range, only: params.context.only, diagnostics: params.context.diagnostics },
    ) as CodeAction[];
  }),
);

connection.onFoldingRanges(
  guarded('foldingRange', [] as FoldingRange[], async (params): Promise<FoldingRange[]> => {
    const c = await current(params.textDocument.uri);
    return c ? foldingRanges(c.analysis.doc) : [];
  }),
);

connection.onDocumentSymbol(
  guarded('documentSymbol', [] as DocumentSymbol[] | SymbolInformation[], async (params): Promise<DocumentSymbol[] | SymbolInformation[]> => {
    const uri = params.textDocument.uri;
    const c = await current(uri);
    if (!c) return [];
    return client.hierarchicalSymbols ? (documentSymbols(c.analysis.doc) as DocumentSymbol[]) : (symbolInformation(c.analysis.doc, uri) as SymbolInformation[]);
  }),
);

connection.onRequest(
  EffectiveConfigRequest,
  guarded('phpIniLint/effectiveConfig', { text: '{}\n' }, async (params: DocumentParams) => {
    const uri = params?.uri;
    const document = typeof uri === 'string' ? documents.get(uri) : undefined;
    if (!document) throw new ResponseError(ErrorCodes.InvalidParams, `The document ${String(uri)} is not open.`);
    const settings = await settingsFor(uri);
    const latest = documents.get(uri) ?? document;
    const options = optionsFor(uri, latest.languageId, settings);
    const a = cache.get(uri, latest.version, latest.getText(), options);
    return effectiveConfig(a.doc, a.options, uri);
  }),
);

connection.onRequest(
  StatusRequest,
  guarded('phpIniLint/status', null as unknown as StatusResult, async (params: DocumentParams) => {
    const uri = params?.uri;
    if (typeof uri !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, 'uri is required');
    const settings = await settingsFor(uri);
    return status(optionsFor(uri, documents.get(uri)?.languageId, settings));
  }),
);

process.on('uncaughtException', (err) => logError('uncaught exception', err));
process.on('unhandledRejection', (err) => logError('unhandled rejection', err));

documents.listen(connection);
connection.listen();
