/// <reference types="vscode" />
// Shared helpers for the *.e2e.ts suites that run inside the real extension host (see
// test/e2e/runTests.js). Not a test file itself (index.ts only loads *.e2e.js).
//
// Independence: every test that edits a file or a setting works on its own copy under
// <workspace>/.e2e-scratch/<test>/ (removed afterwards) and records each setting it changes so
// `cleanUp()` can put the workspace settings back exactly as they were.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';

export const SOURCE = 'php-ini-lint';
export const DOCS_SUFFIX = (rule: string): string => `docs/rules/${rule}.md`;

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open');
  return folder.uri;
}

/** The shared, read-only fixtures of test/e2e/workspace. Tests never modify these. */
export function fixture(...segments: string[]): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...segments);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns something other than undefined/false, or fails with `what` and the last state. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  options: { timeoutMs?: number; intervalMs?: number; describe?: () => string } = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const intervalMs = options.intervalMs ?? 50;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value as T;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const state = options.describe ? `\nlast state: ${options.describe()}` : '';
      const err = lastError ? `\nlast error: ${lastError instanceof Error ? lastError.message : String(lastError)}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${state}${err}`);
    }
    await sleep(intervalMs);
  }
}

// ------------------------------------------------------------------ diagnostics

/** This extension's diagnostics for a document. */
export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

export function codeOf(d: vscode.Diagnostic): string {
  const code = d.code;
  if (code !== undefined && typeof code === 'object') return String(code.value);
  return String(code ?? '');
}

export function summary(diags: readonly vscode.Diagnostic[]): string {
  return JSON.stringify(
    diags.map((d) => `${d.range.start.line}:${codeOf(d)}:${vscode.DiagnosticSeverity[d.severity]}`),
  );
}

export function withCode(uri: vscode.Uri, code: string): vscode.Diagnostic[] {
  return ours(uri).filter((d) => codeOf(d) === code);
}

/** Waits until this extension's diagnostics for `uri` satisfy `ok`, then returns them. */
export function waitForDiagnostics(
  uri: vscode.Uri,
  what: string,
  ok: (diags: vscode.Diagnostic[]) => boolean,
  timeoutMs = 20_000,
): Promise<vscode.Diagnostic[]> {
  return waitFor(
    `${what} (${vscode.workspace.asRelativePath(uri)})`,
    () => {
      const diags = ours(uri);
      return ok(diags) ? diags : undefined;
    },
    { timeoutMs, describe: () => summary(ours(uri)) },
  );
}

export function hasCodes(diags: readonly vscode.Diagnostic[], ...codes: string[]): boolean {
  const present = new Set(diags.map(codeOf));
  return codes.every((c) => present.has(c));
}

export function lacksCodes(diags: readonly vscode.Diagnostic[], ...codes: string[]): boolean {
  const present = new Set(diags.map(codeOf));
  return codes.every((c) => !present.has(c));
}

/** Exactly one diagnostic with this code; returns it. */
export function single(diags: readonly vscode.Diagnostic[], code: string): vscode.Diagnostic {
  const found = diags.filter((d) => codeOf(d) === code);
  assert.strictEqual(found.length, 1, `expected one ${code} diagnostic, got ${found.length}: ${summary(diags)}`);
  return found[0];
}

// ------------------------------------------------------------------ scratch files

const SCRATCH_DIR = '.e2e-scratch';

export function scratchRoot(): string {
  return path.join(workspaceRoot().fsPath, SCRATCH_DIR);
}

/**
 * Writes `content` (exact bytes, UTF-8) to <workspace>/.e2e-scratch/<test>/<relPath> and returns its URI.
 * The PHP version is inferred from the path, so php.ini copies keep an etc/php/8.2/fpm/ prefix.
 */
export function writeScratch(test: string, relPath: string, content: string | Buffer): vscode.Uri {
  const file = path.join(scratchRoot(), test, ...relPath.split('/'));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return vscode.Uri.file(file);
}

/** Copies one of the shared fixtures into the test's scratch folder, keeping its relative path. */
export function copyFixture(test: string, ...segments: string[]): vscode.Uri {
  return writeScratch(test, segments.join('/'), fs.readFileSync(fixture(...segments).fsPath));
}

export function readDisk(uri: vscode.Uri): string {
  return fs.readFileSync(uri.fsPath, 'utf8');
}

export async function open(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(doc, { preview: false });
}

/** The 0-based line whose text starts with `prefix` (exactly one such line expected). */
export function lineOf(doc: vscode.TextDocument, prefix: string): number {
  const hits: number[] = [];
  for (let i = 0; i < doc.lineCount; i++) if (doc.lineAt(i).text.startsWith(prefix)) hits.push(i);
  assert.strictEqual(hits.length, 1, `expected one line starting with ${JSON.stringify(prefix)}, found ${hits.length}`);
  return hits[0];
}

// ------------------------------------------------------------------ settings

interface Restore {
  section: string;
  key: string;
  languageId?: string;
  value: unknown;
}

const restores: Restore[] = [];
let settingsFileExisted: boolean | undefined;

function settingsFile(): string {
  return path.join(workspaceRoot().fsPath, '.vscode', 'settings.json');
}

/** Changes a workspace setting (optionally for one language) and remembers how to put it back. */
export async function setSetting(section: string, key: string, value: unknown, languageId?: string): Promise<void> {
  if (settingsFileExisted === undefined) settingsFileExisted = fs.existsSync(settingsFile());
  const config = vscode.workspace.getConfiguration(section, languageId ? { languageId } : undefined);
  const inspected = config.inspect(key);
  const before = languageId ? inspected?.workspaceLanguageValue : inspected?.workspaceValue;
  restores.push({ section, key, languageId, value: before });
  await config.update(key, value, vscode.ConfigurationTarget.Workspace, languageId ? true : undefined);
}

/** Puts back every setting changed with setSetting, newest first. */
export async function restoreSettings(): Promise<void> {
  while (restores.length) {
    const r = restores.pop()!;
    const config = vscode.workspace.getConfiguration(r.section, r.languageId ? { languageId: r.languageId } : undefined);
    await config.update(r.key, r.value, vscode.ConfigurationTarget.Workspace, r.languageId ? true : undefined);
  }
}

// ------------------------------------------------------------------ clean-up

/** Reverts dirty editors (so closing them never asks), then closes every editor. */
export async function closeAllEditors(): Promise<void> {
  for (let round = 0; round < 10; round++) {
    const dirty = vscode.workspace.textDocuments.find((d) => d.isDirty && !d.isClosed);
    if (!dirty) break;
    try {
      await vscode.window.showTextDocument(dirty, { preview: false });
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    } catch {
      // VS Code itself may be writing a settings file at that moment and open another editor ("Could NOT
      // open editor ... because another editor opened in the meantime"): wait a little and look again.
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await vscode.commands.executeCommand('notifications.clearAll');
  await waitFor('every editor to close', () => vscode.window.visibleTextEditors.length === 0, {
    timeoutMs: 10_000,
    describe: () => vscode.window.visibleTextEditors.map((e) => e.document.uri.toString()).join(', '),
  });
}

/**
 * Deletes what the tests wrote under .e2e-scratch/ but keeps the (then empty, so git-invisible) folder
 * itself. test/e2e/runTests.js creates it before VS Code starts: VS Code's file watcher (seen with
 * code-server 4.139 on Linux) misses events inside a top-level folder created after the window opened,
 * and the .php-ini-lint.ini test depends on those events.
 */
function clearScratch(): void {
  const root = scratchRoot();
  if (!fs.existsSync(root)) return;
  for (const entry of fs.readdirSync(root)) fs.rmSync(path.join(root, entry), { recursive: true, force: true });
}

/** afterEach: editors, settings, scratch files. */
export async function cleanUp(): Promise<void> {
  await closeAllEditors();
  await restoreSettings();
  clearScratch();
}

/** After the whole run: drop a .vscode/settings.json the tests created and left empty. */
export function removeEmptySettingsFile(): void {
  const file = settingsFile();
  if (settingsFileExisted !== false || !fs.existsSync(file)) return;
  let empty = false;
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8').trim() || '{}');
    // Restoring a language-specific setting can leave an empty "[php-ini]": {} behind.
    empty =
      !!parsed &&
      typeof parsed === 'object' &&
      Object.values(parsed as Record<string, unknown>).every(
        (v) => v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0,
      );
  } catch {
    empty = false; // someone edited it by hand; leave it
  }
  if (!empty) return;
  // The (now empty) .vscode folder stays: git ignores empty folders, and removing it under the running
  // workbench makes it log a "Failed snippets from folder" error for every snippet lookup.
  fs.rmSync(file);
}

// ------------------------------------------------------------------ LSP-backed features

export function hoverText(hovers: readonly vscode.Hover[] | undefined): string {
  const parts: string[] = [];
  for (const h of hovers ?? []) {
    for (const c of h.contents) {
      if (typeof c === 'string') parts.push(c);
      else parts.push((c as { value: string }).value);
    }
  }
  return parts.join('\n\n');
}

export async function hoverAt(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
  return hoverText(hovers);
}

export function isCodeAction(x: vscode.CodeAction | vscode.Command): x is vscode.CodeAction {
  return typeof (x as vscode.Command).command !== 'string';
}

/** This extension's code actions of `kind` for a range (our actions carry our diagnostics or our fix-all kind). */
export async function codeActions(uri: vscode.Uri, range: vscode.Range, kind: string): Promise<vscode.CodeAction[]> {
  const all = await vscode.commands.executeCommand<Array<vscode.CodeAction | vscode.Command>>(
    'vscode.executeCodeActionProvider',
    uri,
    range,
    kind,
  );
  return (all ?? []).filter(isCodeAction);
}

// Root-level hooks for the whole run (this module is loaded once, from the first test file):
// start from an empty scratch folder (a crashed run may have left files), and at the end empty it
// and drop a settings file the tests created.
before(() => clearScratch());
after(() => {
  clearScratch();
  removeEmptySettingsFile();
});
