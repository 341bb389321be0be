// The chat side-bar view (host side): owns the chat state, talks to the server through
// `glm.chat.*` commands and feeds `glm/chat/delta` / `glm/chat/done` into the reducer.

import { randomBytes } from "node:crypto";
import * as vscode from "vscode";
import { anyRunning, initialState, reduce, runningTurn, NEW_CHAT, type ChatAction, type ChatState, type ChatSummary, type HistoryMessage } from "./state";
import type { ContextChip, HostMessage, WebviewMessage } from "./messages";
import { lineSpan } from "../labels";
import { progressLine } from "./proposals";
import { ProposalReview } from "./review";

/** The server calls the panel needs; implemented by the language client wrapper. */
export interface ChatServer {
  executeCommand<T>(command: string, arg: object): Promise<T>;
  toProtocolRange(range: vscode.Range): object;
  toProtocolUri(uri: vscode.Uri): string;
}

export const VIEW_ID = "glm.chatView";

export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view?: vscode.WebviewView;
  private state: ChatState = initialState();
  private lastEditor?: vscode.TextEditor;
  private nextKey = 0;
  private readonly disposables: vscode.Disposable[] = [];
  /** Proposals under review: diff editor, Accept / Reject / Undo. */
  readonly review: ProposalReview;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly server: ChatServer,
  ) {
    this.review = new ProposalReview(server, (action) => this.dispatch(action), () => this.state);
    this.lastEditor = vscode.window.activeTextEditor;
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (editor) this.lastEditor = editor;
        this.postChips();
      }),
      vscode.window.onDidChangeTextEditorSelection((event) => {
        this.lastEditor = event.textEditor;
        this.postChips();
      }),
    );
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const media = vscode.Uri.joinPath(this.extensionUri, "media");
    const out = vscode.Uri.joinPath(this.extensionUri, "out");
    view.webview.options = { enableScripts: true, localResourceRoots: [media, out] };
    view.webview.html = this.html(view.webview);
    view.webview.onDidReceiveMessage((msg: WebviewMessage) => this.onMessage(msg), undefined, this.disposables);
    view.onDidDispose(() => {
      if (this.view === view) this.view = undefined;
    });
  }

  /** Applies an action to the host state and mirrors it into the webview. */
  dispatch(action: ChatAction): void {
    this.state = reduce(this.state, action);
    this.post({ type: "action", action });
    void vscode.commands.executeCommand("setContext", "glm.chatRunning", anyRunning(this.state) !== undefined);
  }

  onDelta(params: unknown): void {
    const p = params as {
      chatId?: unknown;
      turnId?: unknown;
      content?: unknown;
      reasoning?: unknown;
      tool?: unknown;
      notice?: unknown;
      context?: unknown;
    };
    if (typeof p?.chatId !== "string" || typeof p.turnId !== "string") return;
    this.dispatch({
      type: "delta",
      chatId: p.chatId,
      turnId: p.turnId,
      content: typeof p.content === "string" ? p.content : undefined,
      reasoning: typeof p.reasoning === "string" ? p.reasoning : undefined,
      tool: p.tool,
      notice: typeof p.notice === "string" ? p.notice : undefined,
      context: p.context,
    });
  }

  onDone(params: unknown): void {
    const p = params as { chatId?: unknown; turnId?: unknown; finishReason?: unknown; usage?: unknown; error?: unknown; proposalId?: unknown };
    if (typeof p?.chatId !== "string" || typeof p.turnId !== "string") return;
    const error = typeof p.error === "string" ? p.error : p.error ? JSON.stringify(p.error) : undefined;
    this.dispatch({
      type: "done",
      chatId: p.chatId,
      turnId: p.turnId,
      finishReason: typeof p.finishReason === "string" ? p.finishReason : undefined,
      usage: typeof p.usage === "object" && p.usage !== null ? (p.usage as object) : undefined,
      error,
    });
    this.review.onDone(p.chatId, typeof p.proposalId === "string" ? p.proposalId : undefined);
  }

  onProposal(params: unknown): void {
    this.review.onProposal(params);
  }

  /** `glm/chat/progress`: the running turn's step, tokens and activity. */
  onProgress(params: unknown): void {
    const p = params as { chatId?: unknown; turnId?: unknown };
    const line = progressLine(params);
    if (typeof p?.chatId !== "string" || typeof p.turnId !== "string" || line === undefined) return;
    this.dispatch({ type: "progress", chatId: p.chatId, turnId: p.turnId, line });
  }

  /** A turn the server started for us elsewhere (Explain): show it in the panel. */
  async showTurn(chatId: string, turnId: string, label: string): Promise<void> {
    this.dispatch({ type: "started", chatId, turnId, user: label });
    this.dispatch({ type: "select", chatId });
    await this.reveal();
  }

  async reveal(focusInput = false): Promise<void> {
    await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
    if (focusInput) this.post({ type: "focusInput" });
  }

  async newChat(): Promise<void> {
    this.dispatch({ type: "select", chatId: NEW_CHAT });
    await this.reveal(true);
  }

  /** Stops the active chat's running turn; returns false when nothing was running. */
  async cancel(): Promise<boolean> {
    const running = runningTurn(this.state) ?? anyRunning(this.state);
    if (!running) return false;
    await this.server.executeCommand("glm.chat.cancel", { chatId: running.chatId });
    return true;
  }

  async send(message: string, useFile: boolean, useSelection: boolean): Promise<void> {
    const key = `local-${++this.nextKey}`;
    const chatId = this.state.activeChatId;
    this.dispatch({ type: "sent", key, chatId, message });
    const arg: Record<string, unknown> = { message };
    if (chatId !== NEW_CHAT) arg.chatId = chatId;
    const editor = this.lastEditor;
    if (editor && (useFile || useSelection)) {
      arg.uri = this.server.toProtocolUri(editor.document.uri);
      if (useSelection && !editor.selection.isEmpty) arg.range = this.server.toProtocolRange(editor.selection);
    }
    try {
      const result = await this.server.executeCommand<{ chatId: string; turnId: string }>("glm.chat.send", arg);
      this.dispatch({ type: "started", key, chatId: result.chatId, turnId: result.turnId, user: message });
    } catch (error) {
      this.dispatch({ type: "failed", key, error: errorText(error) });
    }
  }

  async refreshChats(): Promise<void> {
    try {
      const chats = await this.server.executeCommand<ChatSummary[] | null>("glm.chat.list", {});
      if (Array.isArray(chats)) this.dispatch({ type: "chats", chats });
    } catch (error) {
      this.dispatch({ type: "notice", text: `Could not list chats: ${errorText(error)}` });
    }
  }

  async selectChat(chatId: string): Promise<void> {
    this.dispatch({ type: "select", chatId });
    if (chatId === NEW_CHAT) return;
    try {
      const messages = await this.server.executeCommand<HistoryMessage[] | null>("glm.chat.history", { chatId });
      if (Array.isArray(messages)) this.dispatch({ type: "history", chatId, messages });
      await this.review.sync(chatId);
    } catch (error) {
      this.dispatch({ type: "notice", text: `Could not load the chat: ${errorText(error)}` });
    }
  }

  private async deleteChat(chatId: string): Promise<void> {
    const ok = await vscode.window.showWarningMessage("Delete this chat?", { modal: true }, "Delete");
    if (ok !== "Delete") return;
    try {
      await this.server.executeCommand("glm.chat.delete", { chatId });
      this.dispatch({ type: "deleted", chatId });
    } catch (error) {
      this.dispatch({ type: "notice", text: `Could not delete the chat: ${errorText(error)}` });
    }
  }

  setServerState(state: string, message?: string): void {
    this.post({ type: "serverState", state, message });
  }

  private async onMessage(msg: WebviewMessage): Promise<void> {
    switch (msg.type) {
      case "ready":
        this.post({ type: "action", action: { type: "snapshot", state: this.state } });
        this.postChips();
        await this.refreshChats();
        break;
      case "send":
        await this.send(msg.message, msg.useFile, msg.useSelection);
        break;
      case "cancel":
        await this.cancel().catch((e) => this.dispatch({ type: "notice", text: errorText(e) }));
        break;
      case "newChat":
        await this.newChat();
        break;
      case "selectChat":
        await this.selectChat(msg.chatId);
        break;
      case "deleteChat":
        await this.deleteChat(msg.chatId);
        break;
      case "refreshChats":
        await this.refreshChats();
        break;
      case "copy":
        await vscode.env.clipboard.writeText(msg.text);
        break;
      case "insert":
        await this.insert(msg.text);
        break;
      case "proposal":
        if (msg.op === "diff" && msg.uri !== undefined) await this.review.diff(msg.proposalId, msg.uri);
        else if (msg.op === "accept") await this.review.accept(msg.proposalId, msg.uri);
        else if (msg.op === "reject") await this.review.reject(msg.proposalId, msg.uri);
        else if (msg.op === "undo") await this.review.undo(msg.proposalId);
        break;
      case "openLink":
        if (/^https?:\/\//i.test(msg.href)) await vscode.env.openExternal(vscode.Uri.parse(msg.href));
        break;
    }
  }

  private async insert(text: string): Promise<void> {
    const editor = this.lastEditor;
    if (!editor || editor.document.isClosed) {
      void vscode.window.showInformationMessage("GLM: open an editor to insert the code into.");
      return;
    }
    const shown = await vscode.window.showTextDocument(editor.document, editor.viewColumn);
    await shown.edit((b) => shown.selections.forEach((s) => b.replace(s, text)));
  }

  private postChips(): void {
    const editor = this.lastEditor;
    const chips: ContextChip[] = [];
    if (editor && !editor.document.isClosed && editor.document.uri.scheme !== "output") {
      const name = vscode.workspace.asRelativePath(editor.document.uri, false);
      chips.push({ kind: "file", label: name.split("/").pop() ?? name, detail: name });
      const sel = editor.selection;
      if (!sel.isEmpty) {
        const lines = lineSpan(sel);
        chips.push({ kind: "selection", label: `${name.split("/").pop()}:${lines}`, detail: `${name}:${lines}` });
      }
    }
    this.post({ type: "chips", chips });
  }

  private post(message: HostMessage): void {
    void this.view?.webview.postMessage(message);
  }

  private html(webview: vscode.Webview): string {
    const nonce = randomBytes(16).toString("base64");
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, "out", "webview.js"));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, "media", "chat.css"));
    const csp = [
      "default-src 'none'",
      `style-src ${webview.cspSource}`,
      `img-src ${webview.cspSource} https: data:`,
      `font-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
    ].join("; ");
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>GLM Chat</title>
</head>
<body>
<header class="toolbar">
  <select id="chat-select" title="Chats" aria-label="Chats"></select>
  <button id="new-chat" type="button" title="New chat">New</button>
  <button id="delete-chat" type="button" title="Delete this chat">Delete</button>
</header>
<div id="notice" class="notice" hidden></div>
<main id="turns" aria-live="polite"></main>
<div id="empty" class="empty">Ask about your code. The current file and selection are attached as context; reference more with <code>#file:path</code>, <code>#selection</code>, <code>#diff</code>, <code>#diagnostics</code>.</div>
<footer class="composer">
  <div id="chips" class="chips"></div>
  <textarea id="input" rows="3" placeholder="Ask GLM… (Enter to send, Shift+Enter for a new line)" aria-label="Message"></textarea>
  <div class="composer-buttons">
    <button id="stop" type="button" class="secondary" title="Stop the answer" disabled>Stop</button>
    <button id="send" type="button" title="Send">Send</button>
  </div>
</footer>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
  }
}

export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "object" && error !== null && "message" in error) return String((error as { message: unknown }).message);
  return String(error);
}
