// A minimal LSP client for protocol-level tests: spawns the built server over stdio, speaks JSON-RPC
// with vscode-jsonrpc, answers the server's requests (workspace/configuration, registrations) the way
// VS Code does, and records what the server publishes.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

/** out/test/lsp/harness.js → out/server/src/server.js */
export const SERVER_JS = path.resolve(__dirname, '..', '..', 'server', 'src', 'server.js');
/** The repository root (for fixtures that are not compiled, e.g. the Lua client). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const CORPUS = path.resolve(REPO_ROOT, '..', 'shared', 'corpus');

export interface Position {
  line: number;
  character: number;
}
export interface Range {
  start: Position;
  end: Position;
}
export interface PublishedDiagnostic {
  range: Range;
  severity?: number;
  code?: string | number;
  codeDescription?: { href: string };
  source?: string;
  message: string;
  tags?: number[];
  relatedInformation?: Array<{ location: { uri: string; range: Range }; message: string }>;
}
export interface PublishDiagnosticsParams {
  uri: string;
  version?: number;
  diagnostics: PublishedDiagnostic[];
}
export interface TextEdit {
  range: Range;
  newText: string;
}

/** What VS Code 1.9x announces (the parts a server can see), trimmed to what matters here. */
export const VSCODE_CAPABILITIES = {
  general: { positionEncodings: ['utf-16'], markdown: { parser: 'marked', version: '1.1.0' } },
  window: { workDoneProgress: true, showMessage: { messageActionItem: { additionalPropertiesSupport: true } }, showDocument: { support: true } },
  workspace: {
    applyEdit: true,
    workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'], failureHandling: 'textOnlyTransactional', normalizesLineEndings: true, changeAnnotationSupport: { groupsOnLabel: true } },
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true },
    configuration: true,
    workspaceFolders: true,
    executeCommand: { dynamicRegistration: true },
  },
  textDocument: {
    synchronization: { dynamicRegistration: true, willSave: true, willSaveWaitUntil: true, didSave: true },
    completion: {
      dynamicRegistration: true,
      contextSupport: true,
      completionItem: {
        snippetSupport: true,
        commitCharactersSupport: true,
        documentationFormat: ['markdown', 'plaintext'],
        deprecatedSupport: true,
        preselectSupport: true,
        tagSupport: { valueSet: [1] },
        insertReplaceSupport: true,
        resolveSupport: { properties: ['documentation', 'detail', 'additionalTextEdits'] },
        insertTextModeSupport: { valueSet: [1, 2] },
        labelDetailsSupport: true,
      },
      insertTextMode: 2,
      completionItemKind: { valueSet: Array.from({ length: 25 }, (_, i) => i + 1) },
      completionList: { itemDefaults: ['commitCharacters', 'editRange', 'insertTextFormat', 'insertTextMode', 'data'] },
    },
    hover: { dynamicRegistration: true, contentFormat: ['markdown', 'plaintext'] },
    codeAction: {
      dynamicRegistration: true,
      isPreferredSupport: true,
      disabledSupport: true,
      dataSupport: true,
      resolveSupport: { properties: ['edit'] },
      codeActionLiteralSupport: {
        codeActionKind: { valueSet: ['', 'quickfix', 'refactor', 'refactor.extract', 'refactor.inline', 'refactor.rewrite', 'source', 'source.organizeImports'] },
      },
      honorsChangeAnnotations: true,
    },
    documentSymbol: { dynamicRegistration: true, symbolKind: { valueSet: Array.from({ length: 26 }, (_, i) => i + 1) }, hierarchicalDocumentSymbolSupport: true, tagSupport: { valueSet: [1] }, labelSupport: true },
    foldingRange: { dynamicRegistration: true, rangeLimit: 5000, lineFoldingOnly: true, foldingRangeKind: { valueSet: ['comment', 'imports', 'region'] } },
    publishDiagnostics: { relatedInformation: true, versionSupport: false, tagSupport: { valueSet: [1, 2] }, codeDescriptionSupport: true, dataSupport: true },
  },
};

export interface StartOptions {
  capabilities?: unknown;
  /** Answer for workspace/configuration, per scopeUri (VS Code answers per resource). */
  settings?: (scopeUri: string | undefined) => unknown;
  /** Delay (ms) before answering a workspace/configuration request. */
  configurationDelay?: (scopeUri: string | undefined) => number;
  workspaceFolders?: Array<{ uri: string; name: string }>;
}

export class LspClient {
  readonly published: PublishDiagnosticsParams[] = [];
  readonly logs: string[] = [];
  readonly shown: string[] = [];
  readonly registrations: unknown[] = [];
  configurationRequests = 0;
  stderr = '';
  private waiters: Array<() => void> = [];
  settings: (scopeUri: string | undefined) => unknown;
  configurationDelay: (scopeUri: string | undefined) => number;

  private constructor(
    readonly proc: ChildProcess,
    readonly conn: MessageConnection,
    options: StartOptions,
  ) {
    this.settings = options.settings ?? (() => ({}));
    this.configurationDelay = options.configurationDelay ?? (() => 0);
  }

  static async start(options: StartOptions = {}): Promise<LspClient> {
    const proc = spawn(process.execPath, [SERVER_JS, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    const c = new LspClient(proc, conn, options);
    proc.stderr!.on('data', (d: Buffer) => (c.stderr += d.toString()));
    conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      c.published.push(p);
      c.wake();
    });
    conn.onNotification('window/logMessage', (p: { message: string }) => {
      c.logs.push(p.message);
      c.wake();
    });
    conn.onNotification('window/showMessage', (p: { message: string }) => {
      c.shown.push(p.message);
    });
    conn.onRequest('window/showMessageRequest', () => null);
    conn.onRequest('window/workDoneProgress/create', () => null);
    conn.onRequest('client/registerCapability', (p: { registrations: unknown[] }) => {
      c.registrations.push(...p.registrations);
      setImmediate(() => c.wake());
      return null;
    });
    conn.onRequest('client/unregisterCapability', () => null);
    conn.onRequest('workspace/configuration', async (p: { items: Array<{ scopeUri?: string; section?: string }> }) => {
      c.configurationRequests++;
      const delay = Math.max(0, ...p.items.map((i) => c.configurationDelay(i.scopeUri)));
      if (delay) await new Promise((r) => setTimeout(r, delay));
      return p.items.map((i) => (i.section === 'phpIniLint' ? c.settings(i.scopeUri) : null));
    });
    conn.listen();
    await conn.sendRequest('initialize', {
      processId: process.pid,
      clientInfo: { name: 'protocol-test', version: '1' },
      rootUri: null,
      capabilities: options.capabilities ?? VSCODE_CAPABILITIES,
      workspaceFolders: options.workspaceFolders ?? null,
    });
    await conn.sendNotification('initialized', {});
    return c;
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Resolves when `check` returns a value (checked now and after every notification), else rejects after `timeoutMs`. */
  waitFor<T>(check: () => T | undefined, timeoutMs = 10000, what = 'condition'): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; stderr: ${this.stderr}; logs: ${this.logs.join('\n')}`)), timeoutMs);
      const attempt = () => {
        let v: T | undefined;
        try {
          v = check();
        } catch (err) {
          clearTimeout(timer);
          reject(err);
          return;
        }
        if (v !== undefined) {
          clearTimeout(timer);
          resolve(v);
        } else this.waiters.push(attempt);
      };
      attempt();
    });
  }

  /** The next diagnostics published for `uri` after `since` (an index into `published`) that satisfy `accept`. */
  nextDiagnostics(uri: string, since = this.published.length, accept: (p: PublishDiagnosticsParams) => boolean = () => true, timeoutMs = 10000): Promise<PublishDiagnosticsParams> {
    return this.waitFor(() => this.published.slice(since).find((p) => p.uri === uri && accept(p)), timeoutMs, `diagnostics for ${uri}`);
  }

  lastDiagnostics(uri: string): PublishDiagnosticsParams | undefined {
    for (let i = this.published.length - 1; i >= 0; i--) if (this.published[i].uri === uri) return this.published[i];
    return undefined;
  }

  open(uri: string, text: string, languageId = 'php-ini', version = 1): Promise<void> {
    return this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  change(uri: string, version: number, contentChanges: Array<{ range?: Range; text: string }>): Promise<void> {
    return this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
  }

  close(uri: string): Promise<void> {
    return this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  request<R = unknown>(method: string, params: unknown): Promise<R> {
    return this.conn.sendRequest(method, params) as Promise<R>;
  }

  notify(method: string, params: unknown): Promise<void> {
    return this.conn.sendNotification(method, params);
  }

  get alive(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  async stop(): Promise<void> {
    try {
      if (this.alive) {
        await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
        await this.conn.sendNotification('exit');
      }
    } catch {
      // already gone
    }
    await new Promise<void>((resolve) => {
      if (!this.alive) return resolve();
      const t = setTimeout(() => {
        this.proc.kill();
        resolve();
      }, 2000);
      this.proc.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
    });
    this.conn.dispose();
  }
}

/** A fresh temporary directory (removed by `cleanup`). */
export function tempDir(prefix = 'php-ini-lint-lsp-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Writes `content` at `dir/rel` (creating folders) and returns its path and file: URI. */
export function writeFile(dir: string, rel: string, content: string | Buffer): { path: string; uri: string } {
  const p = path.join(dir, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
  return { path: p, uri: pathToFileURL(p).href };
}

export function cleanup(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Offset-free application of LSP text edits (non-overlapping), the way an editor applies a WorkspaceEdit. */
export function applyTextEdits(text: string, edits: TextEdit[]): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (c === 10) starts.push(i + 1);
  }
  const offsetAt = (p: Position) => {
    if (p.line >= starts.length) return text.length;
    const lineStart = starts[p.line];
    const next = p.line + 1 < starts.length ? starts[p.line + 1] : text.length;
    return Math.min(lineStart + p.character, next);
  };
  const sorted = edits.map((e) => ({ s: offsetAt(e.range.start), e: offsetAt(e.range.end), t: e.newText })).sort((a, b) => b.s - a.s || b.e - a.e);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.s) + e.t + out.slice(e.e);
  return out;
}

/** The text edits for `uri` in a WorkspaceEdit, whether it uses documentChanges or changes. */
export function editsFor(edit: { changes?: Record<string, TextEdit[]>; documentChanges?: Array<{ textDocument: { uri: string; version: number | null }; edits: TextEdit[] }> } | undefined, uri: string): TextEdit[] {
  if (!edit) return [];
  if (edit.documentChanges) return edit.documentChanges.filter((d) => d.textDocument.uri === uri).flatMap((d) => d.edits);
  return edit.changes?.[uri] ?? [];
}
