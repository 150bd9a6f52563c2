// Command implementations that need only VS Code APIs and a running client.
import * as vscode from 'vscode';
import { LanguageClient, State } from 'vscode-languageclient/node';
import { EffectiveConfigRequest, FIX_ALL_KIND, LANGUAGES, isOurLanguage } from './protocol';

/** The php.ini / PHP-FPM document a command should act on: the active editor, else a visible one. */
export function targetDocument(): vscode.TextDocument | undefined {
  const active = vscode.window.activeTextEditor?.document;
  if (active && isOurLanguage(active.languageId)) return active;
  return vscode.window.visibleTextEditors.find((editor) => isOurLanguage(editor.document.languageId))?.document;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * VS Code cancels showing an editor when another one opens meanwhile ("another editor opened in the
 * meantime": the workbench opening a settings file, say). The document is ready, so show it once more.
 */
async function showBeside(document: vscode.TextDocument): Promise<void> {
  const options: vscode.TextDocumentShowOptions = { viewColumn: vscode.ViewColumn.Beside, preview: false };
  try {
    await vscode.window.showTextDocument(document, options);
  } catch {
    await new Promise((resolve) => setTimeout(resolve, 100));
    await vscode.window.showTextDocument(document, options);
  }
}

async function requireDocument(): Promise<vscode.TextDocument | undefined> {
  const document = targetDocument();
  // Commands report and return: a notification left open must not keep the command running.
  if (!document) void vscode.window.showInformationMessage('PHP INI Lint: open a php.ini or PHP-FPM configuration file first.');
  return document;
}

async function requireRunning(client: LanguageClient | undefined): Promise<LanguageClient | undefined> {
  if (client && (client.state === State.Running || client.state === State.Starting)) return client;
  const choice = await vscode.window.showWarningMessage('PHP INI Lint: the language server is not running.', 'Restart Server');
  if (choice) await vscode.commands.executeCommand('phpIniLint.restartServer');
  return undefined;
}

export async function showEffectiveConfig(getClient: () => LanguageClient | undefined): Promise<void> {
  const document = await requireDocument();
  if (!document) return;
  const client = await requireRunning(getClient());
  if (!client) return;
  try {
    const result = await client.sendRequest(EffectiveConfigRequest, { uri: client.code2ProtocolConverter.asUri(document.uri) });
    const json = await vscode.workspace.openTextDocument({ language: 'json', content: result.text });
    await showBeside(json);
  } catch (error) {
    await vscode.window.showErrorMessage(`PHP INI Lint: could not compute the effective configuration: ${errorText(error)}`);
  }
}

/**
 * Asks the providers for the fix-all action directly (rather than `editor.action.sourceAction`) so the
 * command works from the palette without editor focus and can say so when there is nothing to fix.
 */
export async function fixAll(): Promise<void> {
  const document = await requireDocument();
  if (!document) return;
  const kind = vscode.CodeActionKind.Empty.append(FIX_ALL_KIND);
  const whole = document.validateRange(new vscode.Range(0, 0, document.lineCount, 0));
  // itemResolveCount 1: resolve the edit if the server computes it lazily in codeAction/resolve.
  const actions = await vscode.commands.executeCommand<Array<vscode.CodeAction | vscode.Command> | undefined>(
    'vscode.executeCodeActionProvider',
    document.uri,
    whole,
    kind.value,
    1,
  );
  // A plain Command has a string `command`; a CodeAction has an optional Command object there.
  const action = actions?.find(
    (candidate): candidate is vscode.CodeAction =>
      typeof candidate.command !== 'string' && (candidate as vscode.CodeAction).kind !== undefined && kind.contains((candidate as vscode.CodeAction).kind!),
  );
  if (!action || (!action.edit && !action.command)) {
    void vscode.window.showInformationMessage('PHP INI Lint: no auto-fixable problems in this file.');
    return;
  }
  if (action.edit && !(await vscode.workspace.applyEdit(action.edit))) {
    await vscode.window.showErrorMessage('PHP INI Lint: the fixes could not be applied (the file changed meanwhile?).');
    return;
  }
  if (action.command) {
    await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
  }
}

/**
 * Adds `"source.fixAll.phpIniLint": "explicit"` to `editor.codeActionsOnSave` under `[php-ini]` and `[php-fpm]`,
 * keeping whatever else is there. Workspace settings when a folder is open (the fix policy is usually a
 * per-project decision), user settings otherwise.
 */
export async function enableFixOnSave(): Promise<void> {
  const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  try {
    for (const languageId of LANGUAGES) {
      const config = vscode.workspace.getConfiguration('editor', { languageId });
      const inspected = config.inspect<unknown>('codeActionsOnSave');
      // Only the value at this exact level: VS Code merges object settings across levels itself,
      // so copying inherited keys in here would freeze them.
      const current = target === vscode.ConfigurationTarget.Workspace ? inspected?.workspaceLanguageValue : inspected?.globalLanguageValue;
      const merged = asActionsObject(current);
      const existing = merged[FIX_ALL_KIND];
      if (existing === 'explicit' || existing === 'always' || existing === true) continue; // already on
      merged[FIX_ALL_KIND] = 'explicit';
      await config.update('codeActionsOnSave', merged, target, true);
    }
  } catch (error) {
    await vscode.window.showErrorMessage(`PHP INI Lint: could not update the settings: ${errorText(error)}`);
    return;
  }
  const where = target === vscode.ConfigurationTarget.Workspace ? 'workspace' : 'user';
  void vscode.window.showInformationMessage(`PHP INI Lint: fix all on save is on for php.ini and PHP-FPM files (${where} settings).`);
}

/** `codeActionsOnSave` may be the legacy array form; convert it so both old and new entries survive. */
export function asActionsObject(value: unknown): Record<string, unknown> {
  if (Array.isArray(value)) {
    return Object.fromEntries(value.filter((entry): entry is string => typeof entry === 'string').map((entry) => [entry, 'explicit']));
  }
  if (value && typeof value === 'object') return { ...(value as Record<string, unknown>) };
  return {};
}
