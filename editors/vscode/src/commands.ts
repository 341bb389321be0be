// The extension's own commands (palette, context menu, keybindings). Their ids live under
// `glm.cmd.*` because vscode-languageclient registers the server's `glm.*` commands itself.

import { execFile } from "node:child_process";
import * as vscode from "vscode";
import { SECRET_KEY, toLspRange, type GlmClient } from "./client";
import type { ChatViewProvider } from "./chat/provider";
import { errorText } from "./chat/provider";
import { lineSpan, type LineRange } from "./labels";
import { describe } from "./serverCommand";
import type { StatusBar } from "./status";
import { SHOW_STATUS_COMMAND } from "./status";
import { formatStatus, type StatusResult } from "./statusReport";

export interface Parts {
  context: vscode.ExtensionContext;
  client: GlmClient;
  chat: ChatViewProvider;
  status: StatusBar;
  statusOutput: vscode.OutputChannel;
}

/** The selection, or the cursor's whole line when nothing is selected. */
export function targetRange(editor: vscode.TextEditor): vscode.Range {
  const sel = editor.selection;
  return sel.isEmpty ? editor.document.lineAt(sel.active.line).range : new vscode.Range(sel.start, sel.end);
}

/** "app.py:3-7" for messages and chat labels. */
export function rangeLabel(uri: vscode.Uri, range: LineRange): string {
  return `${vscode.workspace.asRelativePath(uri, false)}:${lineSpan(range)}`;
}

let editSource: vscode.CancellationTokenSource | undefined;

async function editSelection(p: Parts): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage("GLM: open a file and select the code to edit.");
    return;
  }
  const instruction = await vscode.window.showInputBox({
    title: "GLM: Edit Selection",
    prompt: "How should the selected code change?",
    placeHolder: "e.g. add type hints and handle the empty list",
    ignoreFocusOut: true,
  });
  if (!instruction?.trim()) return;
  const range = targetRange(editor);
  const arg = { uri: editor.document.uri.toString(), range: toLspRange(range), instruction: instruction.trim() };
  editSource?.cancel();
  const source = new vscode.CancellationTokenSource();
  editSource = source;
  await vscode.commands.executeCommand("setContext", "glm.editRunning", true);
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: "GLM: editing…", cancellable: true },
      (_progress, token) => {
        token.onCancellationRequested(() => source.cancel());
        return p.client.executeCommand<{ applied?: boolean; reason?: string } | null>("glm.edit", arg, source.token);
      },
    );
    if (result && result.applied === false && !source.token.isCancellationRequested) {
      void vscode.window.showInformationMessage(`GLM: the edit was not applied${result.reason ? `: ${result.reason}` : "."}`);
    }
  } catch (error) {
    if (!source.token.isCancellationRequested) {
      void vscode.window.showErrorMessage(`GLM: edit failed: ${errorText(error)}`);
    }
  } finally {
    if (editSource === source) editSource = undefined;
    source.dispose();
    await vscode.commands.executeCommand("setContext", "glm.editRunning", false);
  }
}

async function explain(p: Parts): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage("GLM: open a file and select the code to explain.");
    return;
  }
  const range = targetRange(editor);
  try {
    const result = await p.client.executeCommand<{ chatId: string; turnId: string }>("glm.explain", {
      uri: editor.document.uri.toString(),
      range: toLspRange(range),
    });
    await p.chat.showTurn(result.chatId, result.turnId, `Explain ${rangeLabel(editor.document.uri, range)}`);
  } catch (error) {
    void vscode.window.showErrorMessage(`GLM: explain failed: ${errorText(error)}`);
  }
}

async function cancel(p: Parts): Promise<void> {
  let stopped = false;
  if (editSource) {
    editSource.cancel();
    stopped = true;
  }
  try {
    stopped = (await p.chat.cancel()) || stopped;
  } catch (error) {
    void vscode.window.showErrorMessage(`GLM: cancel failed: ${errorText(error)}`);
    return;
  }
  if (!stopped) void vscode.window.setStatusBarMessage("GLM: nothing to cancel", 2000);
}

async function setApiKey(p: Parts): Promise<void> {
  const key = await vscode.window.showInputBox({
    title: "GLM: Set API Key",
    prompt: "Your GLM API key. It is kept in VS Code's secret storage, never in settings files.",
    password: true,
    ignoreFocusOut: true,
  });
  if (key === undefined) return;
  if (!key.trim()) {
    void vscode.window.showWarningMessage("GLM: empty key ignored. Use \"GLM: Clear API Key\" to remove the stored key.");
    return;
  }
  await p.context.secrets.store(SECRET_KEY, key.trim());
  await p.client.settingsChanged();
  void vscode.window.showInformationMessage("GLM: API key stored.");
}

async function clearApiKey(p: Parts): Promise<void> {
  await p.context.secrets.delete(SECRET_KEY);
  await p.client.settingsChanged();
  void vscode.window.showInformationMessage("GLM: API key removed from secret storage.");
}

async function showStatus(p: Parts): Promise<void> {
  let result: StatusResult | undefined;
  let error: string | undefined;
  try {
    result = await p.client.executeCommand<StatusResult>("glm.status", {});
    if (result?.model) p.status.setModel(result.model);
  } catch (e) {
    error = errorText(e);
  }
  const facts = {
    serverCommand: p.client.command ? describe(p.client.command) : undefined,
    serverSource: p.client.command?.source,
    state: p.status.state,
    stateMessage: p.status.message,
    keyInSecretStorage: p.client.hasStoredKey,
    extensionVersion: String(p.context.extension.packageJSON.version),
    editorVersion: vscode.version,
  };
  p.statusOutput.appendLine(formatStatus(facts, result, error));
  p.statusOutput.appendLine("");
  p.statusOutput.show(true);
}

async function doctor(p: Parts): Promise<void> {
  const cmd = p.client.command;
  if (!cmd) {
    void vscode.window.showErrorMessage("GLM: no glm-lsp executable found; set glm.serverPath.");
    return;
  }
  const key = await p.context.secrets.get(SECRET_KEY);
  const env = { ...process.env, ...(key ? { GLM_API_KEY: key } : {}) };
  p.statusOutput.appendLine(`$ ${describe(cmd)} doctor`);
  p.statusOutput.show(true);
  await new Promise<void>((resolve) => {
    execFile(cmd.command, [...cmd.args, "doctor"], { env, timeout: 60_000 }, (err, stdout, stderr) => {
      if (stdout) p.statusOutput.append(stdout);
      if (stderr) p.statusOutput.append(stderr);
      const code = err && typeof (err as { code?: unknown }).code === "number" ? (err as { code: number }).code : 0;
      p.statusOutput.appendLine(err && !code ? `doctor failed: ${err.message}` : `(exit ${code})`);
      p.statusOutput.appendLine("");
      resolve();
    });
  });
}

export function registerCommands(p: Parts): vscode.Disposable[] {
  const reg = (id: string, fn: () => Promise<void>) => vscode.commands.registerCommand(id, fn);
  return [
    reg("glm.cmd.editSelection", () => editSelection(p)),
    reg("glm.cmd.explain", () => explain(p)),
    reg("glm.cmd.openChat", () => p.chat.reveal(true)),
    reg("glm.cmd.newChat", () => p.chat.newChat()),
    reg("glm.cmd.cancel", () => cancel(p)),
    reg(SHOW_STATUS_COMMAND, () => showStatus(p)),
    reg("glm.cmd.doctor", () => doctor(p)),
    reg("glm.cmd.setApiKey", () => setApiKey(p)),
    reg("glm.cmd.clearApiKey", () => clearApiKey(p)),
    reg("glm.cmd.restartServer", () => p.client.restart()),
    reg("glm.cmd.acceptProposal", () => p.chat.review.command("accept")),
    reg("glm.cmd.rejectProposal", () => p.chat.review.command("reject")),
    reg("glm.cmd.undoChatChange", () => p.chat.review.command("undo")),
  ];
}
