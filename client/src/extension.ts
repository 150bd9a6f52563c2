// Thin client: starts the language server and adds the few UI pieces LSP has no notion of
// (commands, the language status item, restart-after-crash policy).
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import {
  CloseAction,
  CloseHandlerResult,
  ErrorAction,
  ErrorHandler,
  ErrorHandlerResult,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
  TransportKind,
} from 'vscode-languageclient/node';
import { enableFixOnSave, fixAll, showEffectiveConfig } from './commands';
import { CONFIG_SECTION, LANGUAGES, PROJECT_CONFIG_GLOB } from './protocol';
import { SERVER_ENV, SERVER_EXEC_ARGV } from './serverArgs';
import { StatusController } from './status';

const CLIENT_ID = 'phpIniLint'; // also makes the client honour `phpIniLint.trace.server`
const CLIENT_NAME = 'PHP INI Lint';

/** Same budget as vscode-languageclient's default handler: 4 restarts within 3 minutes. */
const MAX_RESTARTS = 4;
const RESTART_WINDOW_MS = 3 * 60 * 1000;

let client: LanguageClient | undefined;
let clientSubscriptions: vscode.Disposable[] = [];

/**
 * Restarts the server after a crash, up to MAX_RESTARTS times in RESTART_WINDOW_MS, then gives up loudly.
 * Our own class (not createDefaultErrorHandler) so a manual restart can reset the count and the
 * give-up message can offer actions.
 */
class RestartPolicy implements ErrorHandler {
  private crashes: number[] = [];

  constructor(private readonly onGiveUp: () => void) {}

  error(_error: Error, _message: unknown, count: number | undefined): ErrorHandlerResult {
    // Transient read/write errors: keep going a few times before shutting the connection down.
    return count !== undefined && count <= 3 ? { action: ErrorAction.Continue } : { action: ErrorAction.Shutdown };
  }

  closed(): CloseHandlerResult {
    const now = Date.now();
    this.crashes = this.crashes.filter((time) => now - time < RESTART_WINDOW_MS);
    this.crashes.push(now);
    if (this.crashes.length <= MAX_RESTARTS) return { action: CloseAction.Restart };
    this.onGiveUp();
    // handled: we show our own message; the client only logs this one to the output channel.
    return {
      action: CloseAction.DoNotRestart,
      handled: true,
      message: `The server crashed ${this.crashes.length} times in 3 minutes and will not be restarted.`,
    };
  }

  reset(): void {
    this.crashes = [];
  }
}

export function activate(context: vscode.ExtensionContext): void {
  // One channel for the extension's lifetime, so restarts that create a new client reuse it.
  const outputChannel = vscode.window.createOutputChannel(CLIENT_NAME, { log: true });
  const status = new StatusController(() => client);
  const policy = new RestartPolicy(() => {
    status.schedule(0);
    void vscode.window
      .showErrorMessage(
        'PHP INI Lint: the language server keeps crashing and was stopped. php.ini files are not being checked.',
        'Restart Server',
        'Show Output',
      )
      .then((choice) => {
        if (choice === 'Restart Server') void vscode.commands.executeCommand('phpIniLint.restartServer');
        else if (choice === 'Show Output') outputChannel.show(true);
      });
  });
  // The server also watches this file's contents through didChangeWatchedFiles.
  const projectConfigWatcher = vscode.workspace.createFileSystemWatcher(PROJECT_CONFIG_GLOB);

  context.subscriptions.push(
    outputChannel,
    status,
    projectConfigWatcher,
    // Registered before the server starts so an early invocation never hits "command not found".
    vscode.commands.registerCommand('phpIniLint.showEffectiveConfig', () => showEffectiveConfig(() => client)),
    vscode.commands.registerCommand('phpIniLint.fixAll', () => fixAll()),
    vscode.commands.registerCommand('phpIniLint.enableFixOnSave', () => enableFixOnSave()),
    vscode.commands.registerCommand('phpIniLint.restartServer', () => restartServer()),
    vscode.window.onDidChangeActiveTextEditor(() => status.schedule()),
    vscode.workspace.onDidOpenTextDocument((document) => {
      // Changing a document's language re-opens it; the status item may just have become relevant.
      if (document === vscode.window.activeTextEditor?.document) status.schedule();
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      // Longer delay: the server applies the change asynchronously and should answer with new values.
      if (event.affectsConfiguration(CONFIG_SECTION)) status.schedule(400);
    }),
    projectConfigWatcher.onDidChange(() => status.schedule(400)),
    projectConfigWatcher.onDidCreate(() => status.schedule(400)),
    projectConfigWatcher.onDidDelete(() => status.schedule(400)),
    { dispose: () => disposeClientSubscriptions() },
  );

  // Resolved before any client is created; awaited lazily so activation does no blocking file I/O.
  const serverModule = findServerModule(context);

  async function createClient(): Promise<LanguageClient> {
    const { module: modulePath, args } = await serverModule;
    const serverOptions: ServerOptions = {
      run: { module: modulePath, args, transport: TransportKind.ipc, options: { execArgv: [...SERVER_EXEC_ARGV], env: { ...SERVER_ENV } } },
      debug: {
        module: modulePath,
        args,
        transport: TransportKind.ipc,
        options: { execArgv: [...SERVER_EXEC_ARGV, '--nolazy', '--inspect=6009'], env: { ...SERVER_ENV } },
      },
    };
    const clientOptions: LanguageClientOptions = {
      // No scheme restriction: file, untitled, and virtual workspaces (vscode-vfs, …) alike.
      documentSelector: LANGUAGES.map((language) => ({ language })),
      synchronize: {
        configurationSection: CONFIG_SECTION,
        fileEvents: projectConfigWatcher,
      },
      diagnosticCollectionName: 'php-ini-lint',
      outputChannel,
      errorHandler: policy,
    };
    const created = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
    disposeClientSubscriptions();
    clientSubscriptions.push(created.onDidChangeState(() => status.schedule(0)));
    return created;
  }

  // Shared so a restart requested while the first start is still in flight cannot create a second client.
  let starting: Promise<void> | undefined;
  function startClient(): Promise<void> {
    starting ??= (async () => {
      try {
        client ??= await createClient();
        await client.start();
      } catch (error) {
        // A failed start() has already been shown and logged by the client itself; anything earlier has not.
        if (!client) void vscode.window.showErrorMessage(`PHP INI Lint: could not start the language server: ${String(error)}`);
      } finally {
        starting = undefined;
        status.schedule(0);
      }
    })();
    return starting;
  }

  async function restartServer(): Promise<void> {
    policy.reset();
    if (starting) await starting;
    const current = client;
    try {
      if (current?.state === State.Running) {
        await current.restart();
        return;
      }
      if (current?.state === State.Starting) return; // already on its way up
      // Stopped, or failed to start: a client whose start failed keeps its rejected start promise,
      // so start over with a fresh one.
      client = undefined;
      await current?.dispose().catch(() => undefined);
      await startClient();
    } catch (error) {
      void vscode.window.showErrorMessage(
        `PHP INI Lint: restarting the server failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      status.schedule(0);
    }
  }

  // Not awaited: activation should not wait for the server's initialize round trip.
  void startClient();
}

export async function deactivate(): Promise<void> {
  disposeClientSubscriptions();
  const current = client;
  client = undefined;
  // dispose() stops a running server and tolerates one that never came up (after catching).
  await current?.dispose().catch(() => undefined);
}

function disposeClientSubscriptions(): void {
  for (const disposable of clientSubscriptions) disposable.dispose();
  clientSubscriptions = [];
}

/**
 * The bundle (dist/extension.js) is also the server: it runs it with a flag. Unbundled (tsc output, as
 * when debugging), the server is out/server/src/server.js.
 */
async function findServerModule(context: vscode.ExtensionContext): Promise<{ module: string; args: string[] }> {
  const bundled = context.asAbsolutePath('dist/extension.js');
  try {
    await fs.promises.access(bundled);
    return { module: bundled, args: ['--php-ini-lint-server'] };
  } catch {
    return { module: context.asAbsolutePath('out/server/src/server.js'), args: [] };
  }
}
