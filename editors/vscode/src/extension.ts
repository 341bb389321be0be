// Entry point: wires the language client, status bar, chat view and commands together.
// All model logic lives in the glm-lsp server; this file only connects VS Code to it.

import * as vscode from "vscode";
import { GlmClient } from "./client";
import { ChatViewProvider, VIEW_ID } from "./chat/provider";
import { PROPOSAL_SCHEME } from "./chat/review";
import { editRefusal } from "./commandResults";
import { registerCommands, rangeLabel } from "./commands";
import { NextEditController } from "./nextEdit";
import { needsRestart, userValue } from "./settings";
import { StatusBar } from "./status";

let client: GlmClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel("GLM Language Server", { log: true });
  const statusOutput = vscode.window.createOutputChannel("GLM Status");
  const status = new StatusBar();
  status.setModel(userValue(vscode.workspace.getConfiguration("glm").inspect<string>("model")));

  let chat: ChatViewProvider | undefined;
  let nextEdit: NextEditController | undefined;
  const glm = new GlmClient(context, log, {
    onStatus: (p) => {
      status.onNotification(p);
      chat?.setServerState(status.state, status.message);
    },
    onChatDelta: (p) => chat?.onDelta(p),
    onChatDone: (p) => chat?.onDone(p),
    onChatProposal: (p) => chat?.onProposal(p),
    onChatProgress: (p) => chat?.onProgress(p),
    onStateChange: (running, message) => {
      if (running) {
        if (status.state === "starting" || status.state === "stopped") status.set("ready");
        void refreshModel(glm, status);
      } else {
        status.set("stopped", message);
      }
    },
    inlineFallback: (document, position) => nextEdit?.inlineItem(document, position),
    onCommandResult: (command, args, result) => {
      const arg = (args?.[0] ?? {}) as { uri?: string; range?: Parameters<typeof rangeLabel>[1] };
      const r = result as { chatId?: unknown; turnId?: unknown } | null;
      const refusal = editRefusal(result);
      if (command === "glm.explain" && r && typeof r.chatId === "string" && typeof r.turnId === "string") {
        const label = arg.uri && arg.range ? `Explain ${rangeLabel(vscode.Uri.parse(arg.uri), arg.range)}` : "Explain";
        void chat?.showTurn(r.chatId, r.turnId, label);
      } else if (refusal !== undefined) {
        void vscode.window.showInformationMessage(`GLM: ${refusal}`);
      }
    },
  });
  client = glm;
  chat = new ChatViewProvider(context.extensionUri, glm);
  nextEdit = new NextEditController(glm, context.extensionUri);

  context.subscriptions.push(
    log,
    statusOutput,
    status,
    glm,
    chat,
    nextEdit,
    vscode.window.registerWebviewViewProvider(VIEW_ID, chat, { webviewOptions: { retainContextWhenHidden: false } }),
    vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, chat.review),
    ...registerCommands({ context, client: glm, chat, status, statusOutput }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (!event.affectsConfiguration("glm")) return;
      status.setModel(userValue(vscode.workspace.getConfiguration("glm").inspect<string>("model")));
      if (needsRestart((s) => event.affectsConfiguration(s))) {
        await glm.restart();
      } else {
        await glm.settingsChanged();
        void refreshModel(glm, status);
      }
    }),
    context.secrets.onDidChange(async (event) => {
      if (event.key === "glm.apiKey") await glm.keyChanged();
    }),
  );

  // Not awaited: VS Code holds every command of an extension until activate() returns, and the
  // first start may install the server for a while ("GLM: Set API Key" must work meanwhile).
  void glm.start();
}

/** The status bar shows the model the server actually resolved. */
async function refreshModel(glm: GlmClient, status: StatusBar): Promise<void> {
  try {
    const result = await glm.executeCommand<{ model?: string } | null>("glm.status", {});
    if (result?.model) status.setModel(result.model);
  } catch {
    // An older server without glm.status: keep the configured model name.
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
