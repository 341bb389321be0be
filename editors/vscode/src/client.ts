// Starts and restarts the `glm-lsp` process through vscode-languageclient, answers its
// `workspace/configuration` pulls with the user's settings plus the key from SecretStorage, and
// routes the server's custom notifications.

import * as fs from "node:fs";
import * as vscode from "vscode";
import {
  CancellationToken,
  CloseAction,
  ErrorAction,
  ExecuteCommandRequest,
  LanguageClient,
  ResponseError,
  State,
  TransportKind,
  type StaticFeature,
  type LanguageClientOptions,
  type ServerOptions,
} from "vscode-languageclient/node";
import { buildServerSettings, serverEnvironment, type Inspected, type JsonObject } from "./settings";
import { describe, resolveServerCommand, whichOn, type ServerCommand } from "./serverCommand";
import { ServerSetup } from "./serverSetup";

export const SECRET_KEY = "glm.apiKey";
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 3 * 60 * 1000;

export interface ClientEvents {
  onStatus(params: unknown): void;
  onChatDelta(params: unknown): void;
  onChatDone(params: unknown): void;
  onChatProposal(params: unknown): void;
  onChatProgress(params: unknown): void;
  onStateChange(running: boolean, message?: string): void;
  /** A server command finished that the client ran for a code action (e.g. `glm.explain`). */
  onCommandResult(command: string, args: unknown[], result: unknown): void;
  /** An inline completion to offer when the server has no ghost text here (a next edit). */
  inlineFallback?(document: vscode.TextDocument, position: vscode.Position): vscode.InlineCompletionItem | undefined;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The `glm` settings for a scope, as the server should see them (never the key). */
export function serverSettings(scope?: vscode.Uri): JsonObject {
  const config = vscode.workspace.getConfiguration("glm", scope ?? null);
  return buildServerSettings(config, (key) => config.inspect(key) as Inspected | undefined);
}

/** An LSP range; VS Code and the client both count UTF-16 code units. */
export function toLspRange(range: vscode.Range): object {
  return {
    start: { line: range.start.line, character: range.start.character },
    end: { line: range.end.line, character: range.end.character },
  };
}

/** Tells the server (initialize) that it may ask for the editor's diagnostics (`glm/diagnostics`). */
const diagnosticsFeature: StaticFeature = {
  fillClientCapabilities(capabilities) {
    capabilities.experimental = { ...(capabilities.experimental as object | undefined), glmDiagnostics: true };
  },
  initialize() {},
  getState: () => ({ kind: "static" }),
  clear() {},
};

/** `glm/diagnostics {uris}`: what VS Code shows for each file, from every language server and
 * linter, as LSP Diagnostics (the language client's own converter; 0-based). */
function editorDiagnostics(client: LanguageClient, params: unknown): { items: { uri: string; diagnostics: unknown[] }[] } {
  const uris = (params as { uris?: unknown } | null)?.uris;
  if (!Array.isArray(uris)) return { items: [] };
  const items = uris
    .filter((u): u is string => typeof u === "string")
    .slice(0, 200)
    .map((uri) => {
      const diagnostics = vscode.languages.getDiagnostics(vscode.Uri.parse(uri));
      return { uri, diagnostics: client.code2ProtocolConverter.asDiagnosticsSync(diagnostics) };
    });
  return { items };
}

export class GlmClient implements vscode.Disposable {
  private client?: LanguageClient;
  private apiKey?: string;
  private crashes: number[] = [];
  private starting?: Promise<void>;
  command?: ServerCommand;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
    private readonly events: ClientEvents,
  ) {}

  get running(): boolean {
    return this.client?.state === State.Running;
  }

  get languageClient(): LanguageClient | undefined {
    return this.client;
  }

  async loadKey(): Promise<void> {
    this.apiKey = (await this.context.secrets.get(SECRET_KEY)) || undefined;
  }

  get hasStoredKey(): boolean {
    return this.apiKey !== undefined;
  }

  async start(): Promise<void> {
    if (!this.starting) {
      this.starting = this.doStart().finally(() => (this.starting = undefined));
    }
    return this.starting;
  }

  private async doStart(): Promise<void> {
    const command = await this.serverCommand();
    this.command = command;
    if (!command) {
      this.events.onStateChange(false, "GLM: no language server to start (see the notification).");
      return;
    }
    // Read after a possible first-run install, so a key set meanwhile is not missed.
    await this.loadKey();
    this.log.appendLine(`Starting ${describe(command)} (from ${command.source})`);
    const executable = {
      command: command.command,
      args: command.args,
      transport: TransportKind.stdio,
      options: { env: serverEnvironment(process.env, this.apiKey) },
    };
    const serverOptions: ServerOptions = { run: executable, debug: executable };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [{ scheme: "file" }, { scheme: "untitled" }],
      outputChannel: this.log,
      initializationOptions: () => ({ glm: serverSettings() }),
      errorHandler: {
        error: (_error, _message, count) => ({ action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown }),
        closed: () => this.onClosed(),
      },
      middleware: {
        workspace: {
          configuration: async (params, token, next) => {
            const fallback = await next(params, token);
            if (fallback instanceof ResponseError) {
              return fallback;
            }
            return params.items.map((item, i) => {
              if (item.section === "glm") {
                const scope = item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined;
                return serverSettings(scope);
              }
              return Array.isArray(fallback) ? fallback[i] : null;
            });
          },
        },
        provideInlineCompletionItems: async (document, position, context, token, next) => {
          const result = await next(document, position, context, token);
          const items = Array.isArray(result) ? result : (result?.items ?? []);
          const fallback = items.length === 0 ? this.events.inlineFallback?.(document, position) : undefined;
          return fallback ? [fallback] : result;
        },
        executeCommand: async (command, args, next) => {
          const result = await next(command, args);
          this.events.onCommandResult(command, args, result);
          return result;
        },
      },
    };
    const client = new LanguageClient("glm", "GLM Language Server", serverOptions, clientOptions);
    client.registerProposedFeatures();
    client.onNotification("glm/status", (p: unknown) => this.events.onStatus(p));
    client.onNotification("glm/chat/delta", (p: unknown) => this.events.onChatDelta(p));
    client.onNotification("glm/chat/done", (p: unknown) => this.events.onChatDone(p));
    client.onNotification("glm/chat/proposal", (p: unknown) => this.events.onChatProposal(p));
    client.onNotification("glm/chat/progress", (p: unknown) => this.events.onChatProgress(p));
    client.registerFeature(diagnosticsFeature);
    client.onRequest("glm/diagnostics", (p: unknown) => editorDiagnostics(client, p));
    client.onDidChangeState((e) => {
      if (e.newState === State.Running) this.events.onStateChange(true);
      else if (e.newState === State.Stopped) this.events.onStateChange(false);
    });
    this.client = client;
    try {
      await client.start();
    } catch (error) {
      const message = `GLM: the language server failed to start (${describe(command)}): ${String(error)}`;
      this.log.appendLine(message);
      this.events.onStateChange(false, message);
      void vscode.window.showErrorMessage(message, "Show Log", "Open Settings").then((pick) => {
        if (pick === "Show Log") this.log.show(true);
        if (pick === "Open Settings") void vscode.commands.executeCommand("workbench.action.openSettings", "glm.serverPath");
      });
    }
  }

  /** The configured or found server; on first run installs the bundled one (undefined: told why). */
  private async serverCommand(): Promise<ServerCommand | undefined> {
    const config = vscode.workspace.getConfiguration("glm");
    const which = (name: string) => whichOn(name, process.env.PATH, isExecutable);
    const setup = new ServerSetup(this.context, this.log, which, () => void this.restart());
    const input = {
      serverPath: config.get<string>("serverPath"),
      serverArgs: config.get<string[]>("serverArgs"),
      env: process.env,
      which,
    };
    const found = resolveServerCommand({ ...input, privateServer: setup.currentServer() });
    if (found) {
      return found;
    }
    const installed = await setup.install();
    return installed ? resolveServerCommand({ ...input, privateServer: installed }) : undefined;
  }

  private onClosed(): { action: CloseAction; handled: boolean } {
    const now = Date.now();
    this.crashes = [...this.crashes.filter((t) => now - t < RESTART_WINDOW_MS), now];
    if (this.crashes.length <= MAX_RESTARTS) {
      const message = `GLM language server stopped unexpectedly; restarting (${this.crashes.length}/${MAX_RESTARTS}).`;
      this.log.appendLine(message);
      this.events.onStateChange(false, message);
      void vscode.window.showWarningMessage(message, "Show Log").then((pick) => pick && this.log.show(true));
      return { action: CloseAction.Restart, handled: true };
    }
    const message = `GLM language server crashed ${this.crashes.length} times in 3 minutes; it will not be restarted.`;
    this.log.appendLine(message);
    this.events.onStateChange(false, message);
    void vscode.window.showErrorMessage(message, "Show Log", "Restart").then((pick) => {
      if (pick === "Show Log") this.log.show(true);
      if (pick === "Restart") void this.restart();
    });
    return { action: CloseAction.DoNotRestart, handled: true };
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client && client.state !== State.Stopped) {
      await client.stop(5000).catch((e) => this.log.appendLine(`Stopping failed: ${String(e)}`));
    }
  }

  /** The stored key changed: it reaches the server only through its environment, so restart it. */
  async keyChanged(): Promise<void> {
    await this.restart();
  }

  async restart(): Promise<void> {
    this.crashes = [];
    // A start in flight (maybe a first-run install) finishes first; else the new key or settings
    // would be dropped by joining that start.
    await this.starting?.catch(() => undefined);
    await this.stop();
    await this.start();
  }

  /** Tells the server to pull `glm` again (after a settings change). */
  async settingsChanged(): Promise<void> {
    if (this.running) {
      await this.client!.sendNotification("workspace/didChangeConfiguration", { settings: null });
    }
  }

  /** `workspace/executeCommand` with one object argument (protocol §4). */
  async executeCommand<T>(command: string, arg: object, token?: vscode.CancellationToken): Promise<T> {
    if (this.starting) await this.starting;
    const client = this.client;
    if (!client || !this.running) {
      throw new Error("the GLM language server is not running (see the GLM Language Server output)");
    }
    // The typed request: with a plain method string and no token, vscode-jsonrpc would send the
    // params as a positional array.
    const params = { command, arguments: [arg] };
    return (await client.sendRequest(ExecuteCommandRequest.type, params, token ?? CancellationToken.None)) as T;
  }

  toProtocolRange(range: vscode.Range): object {
    return toLspRange(range);
  }

  toProtocolUri(uri: vscode.Uri): string {
    return uri.toString();
  }

  dispose(): void {
    void this.stop();
  }
}
