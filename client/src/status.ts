// Language status item ("{}" in the status bar) showing which PHP version and profile the checks assume.
import * as vscode from 'vscode';
import { LanguageClient, State } from 'vscode-languageclient/node';
import { CONFIG_SECTION, LANGUAGES, StatusRequest, StatusResult, isOurLanguage } from './protocol';

const SOURCE_TEXT: Record<StatusResult['phpVersionSource'], string> = {
  setting: 'PHP version from the phpIniLint.phpVersion setting',
  path: 'PHP version inferred from the file path',
  'config-file': 'PHP version from the project config file',
  default: 'No PHP version in the path or settings: assuming the newest stable release',
};

export class StatusController implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;
  private timer: NodeJS.Timeout | undefined;
  /** Bumped on every refresh so a slow, older answer never overwrites a newer one. */
  private generation = 0;

  constructor(private readonly getClient: () => LanguageClient | undefined) {
    this.item = vscode.languages.createLanguageStatusItem(
      'phpIniLint.status',
      LANGUAGES.map((language) => ({ language })),
    );
    this.item.name = 'PHP INI Lint';
    this.item.text = 'PHP INI Lint';
    this.item.busy = true;
  }

  /** Coalesces bursts (typing in settings.json, switching tabs quickly) into one request. */
  schedule(delayMs = 150): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, delayMs);
  }

  private async refresh(): Promise<void> {
    const generation = ++this.generation;
    const document = vscode.window.activeTextEditor?.document;
    // The item is only visible for our languages; keep the last state for other editors.
    if (!document || !isOurLanguage(document.languageId)) return;

    const item = this.item;
    item.severity = vscode.LanguageStatusSeverity.Information;
    if (!vscode.workspace.getConfiguration(CONFIG_SECTION, document).get<boolean>('enable', true)) {
      item.busy = false;
      item.text = 'PHP INI Lint: off';
      item.detail = 'phpIniLint.enable is false';
      item.command = { title: 'Settings', command: 'workbench.action.openSettings', arguments: ['phpIniLint.enable'] };
      return;
    }

    const client = this.getClient();
    if (!client || client.state === State.Starting) {
      item.busy = true;
      item.text = 'PHP INI Lint';
      item.detail = 'Starting…';
      item.command = undefined;
      return;
    }
    if (client.state !== State.Running) {
      this.showStopped();
      return;
    }

    item.busy = true;
    try {
      const status = await client.sendRequest(StatusRequest, { uri: client.code2ProtocolConverter.asUri(document.uri) });
      if (generation !== this.generation) return;
      item.text = `PHP ${status.phpVersion} · ${status.profile}`;
      item.detail = describe(status);
      item.command = { title: 'Show Effective Configuration', command: 'phpIniLint.showEffectiveConfig' };
    } catch (error) {
      if (generation !== this.generation) return;
      if (client.state !== State.Running) {
        this.showStopped();
        return;
      }
      item.severity = vscode.LanguageStatusSeverity.Warning;
      item.text = 'PHP INI Lint';
      item.detail = `Status unavailable: ${error instanceof Error ? error.message : String(error)}`;
      item.command = undefined;
    } finally {
      if (generation === this.generation) item.busy = false;
    }
  }

  private showStopped(): void {
    this.item.busy = false;
    this.item.severity = vscode.LanguageStatusSeverity.Error;
    this.item.text = 'PHP INI Lint: stopped';
    this.item.detail = 'The language server is not running';
    this.item.command = { title: 'Restart Server', command: 'phpIniLint.restartServer' };
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.item.dispose();
  }
}

function describe(status: StatusResult): string {
  const parts = [SOURCE_TEXT[status.phpVersionSource] ?? status.phpVersionSource];
  if (status.configFile) parts.push(`project config: ${displayPath(status.configFile)}`);
  return parts.join(' · ');
}

/** The server may report a URI or a file system path; show it relative to the workspace either way. */
function displayPath(fileOrUri: string): string {
  const target = /^[a-z][a-z0-9+.-]+:\/\//i.test(fileOrUri) ? vscode.Uri.parse(fileOrUri) : fileOrUri;
  return vscode.workspace.asRelativePath(target);
}
