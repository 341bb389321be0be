// Next-edit suggestions in VS Code: after a text change in the active editor ask glm-lsp
// (`glm/nextEdit`) for the edit that follows from the last ones, cancelling the previous request.
// An edit at the cursor is offered as an inline completion replacing its range (VS Code's own
// ghost text, Tab accepts); any other edit is previewed with decorations (the replaced text
// struck through on a red background, the new text after it, a gutter icon, a hover with the
// diff) and the context key `glm.nextEditVisible` binds Tab (jump to it, then accept) and Escape
// (dismiss). A suggestion is shown and applied only for the document version it was made for;
// any change drops it. The server waits for the typing pause itself, so the client only
// coalesces the events of one change.

import * as fs from "node:fs";
import * as vscode from "vscode";
import type { GlmClient } from "./client";
import {
  acceptedArgument,
  afterText,
  diffPreview,
  editedLines,
  endAfterAccept,
  keepsPreview,
  pickEdit,
  placement,
  tabAction,
  type NextEdit,
  type Placement,
} from "./nextEditModel";

export const METHOD = "glm/nextEdit";
export const CONTEXT_KEY = "glm.nextEditVisible";
export const JUMP_OR_ACCEPT_COMMAND = "glm.cmd.nextEdit.jumpOrAccept";
export const DISMISS_COMMAND = "glm.cmd.nextEdit.dismiss";
const INLINE_ACCEPTED_COMMAND = "glm.cmd.nextEdit.inlineAccepted";
const COALESCE_MS = 20;
const METHOD_NOT_FOUND = -32601;

type Shown = { edit: NextEdit; kind: Placement; uri: string; origin: number };

export class NextEditController implements vscode.Disposable {
  private timer?: ReturnType<typeof setTimeout>;
  private source?: vscode.CancellationTokenSource;
  private shown?: Shown;
  private unsupported = false;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly deleted = vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor("diffEditor.removedTextBackground"),
    textDecoration: "line-through",
  });
  private readonly added: vscode.TextEditorDecorationType;
  private readonly gutter: vscode.TextEditorDecorationType;

  constructor(
    private readonly glm: GlmClient,
    extensionUri: vscode.Uri,
    /** Test hook: the file the state is written to on every change (GLM_E2E_NEXT_EDIT_STATE). */
    private readonly stateFile = process.env.GLM_E2E_NEXT_EDIT_STATE,
  ) {
    this.added = vscode.window.createTextEditorDecorationType({
      after: {
        color: new vscode.ThemeColor("editor.foreground"),
        backgroundColor: new vscode.ThemeColor("diffEditor.insertedTextBackground"),
        margin: "0 0 0 2px",
      },
    });
    this.gutter = vscode.window.createTextEditorDecorationType({
      gutterIconPath: vscode.Uri.joinPath(extensionUri, "media", "next-edit.svg"),
      gutterIconSize: "contain",
      overviewRulerColor: new vscode.ThemeColor("editorGutter.addedBackground"),
      overviewRulerLane: vscode.OverviewRulerLane.Right,
    });
    this.disposables.push(
      this.deleted,
      this.added,
      this.gutter,
      vscode.workspace.onDidChangeTextDocument((e) => this.onChange(e)),
      vscode.window.onDidChangeTextEditorSelection((e) => this.onSelection(e)),
      vscode.window.onDidChangeActiveTextEditor(() => this.clear()),
      vscode.commands.registerCommand(JUMP_OR_ACCEPT_COMMAND, () => this.jumpOrAccept()),
      vscode.commands.registerCommand(DISMISS_COMMAND, () => this.dismiss()),
      vscode.commands.registerCommand(INLINE_ACCEPTED_COMMAND, (edit: NextEdit) => this.sendAccepted(edit)),
    );
    this.writeState();
  }

  private enabled(document: vscode.TextDocument): boolean {
    const config = vscode.workspace.getConfiguration("glm", document.uri);
    return !this.unsupported && config.get<boolean>("nextEdit.enabled", true) && ["file", "untitled"].includes(document.uri.scheme);
  }

  private onChange(e: vscode.TextDocumentChangeEvent): void {
    const editor = vscode.window.activeTextEditor;
    if (e.contentChanges.length === 0 || !editor || editor.document !== e.document) return;
    this.clear();
    this.schedule();
  }

  private onSelection(e: vscode.TextEditorSelectionChangeEvent): void {
    const shown = this.shown;
    if (!shown || e.textEditor.document.uri.toString() !== shown.uri || shown.kind !== "decoration") return;
    if (e.textEditor.document.version !== shown.edit.textDocument.version) return; // a change: onChange decides
    if (!keepsPreview(shown.edit, shown.origin, e.selections[0].active.line)) this.clear();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.request();
    }, COALESCE_MS);
  }

  private cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.source?.cancel();
    this.source?.dispose();
    this.source = undefined;
  }

  /** Ask for the next edit at the active editor's cursor now. */
  async request(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    const client = this.glm.languageClient;
    if (!editor || !client || !this.glm.running || !this.enabled(editor.document)) return;
    this.cancel();
    const source = new vscode.CancellationTokenSource();
    this.source = source;
    const document = editor.document;
    const version = document.version;
    const uri = document.uri.toString();
    const cursor = editor.selection.active;
    const params = {
      textDocument: { uri, version },
      position: { line: cursor.line, character: cursor.character },
    };
    let result: unknown;
    try {
      result = await client.sendRequest(METHOD, params, source.token);
    } catch (error) {
      if ((error as { code?: number })?.code === METHOD_NOT_FOUND) this.unsupported = true;
      return;
    } finally {
      if (this.source === source) this.source = undefined;
      source.dispose();
    }
    if (source.token.isCancellationRequested || vscode.window.activeTextEditor !== editor) return;
    if (document.version !== version) return;
    const edit = pickEdit(result, uri, version);
    if (edit) this.show(editor, edit);
  }

  private show(editor: vscode.TextEditor, edit: NextEdit): void {
    const cursor = editor.selection.active;
    const kind = placement(edit, cursor, editor.document.lineAt(cursor.line).text);
    this.shown = { edit, kind, uri: edit.textDocument.uri, origin: cursor.line };
    if (kind === "inline") {
      void vscode.commands.executeCommand("editor.action.inlineSuggest.trigger");
    } else {
      this.decorate(editor, edit);
      void vscode.commands.executeCommand("setContext", CONTEXT_KEY, true);
    }
    this.writeState();
  }

  private decorate(editor: vscode.TextEditor, edit: NextEdit): void {
    const range = toRange(edit);
    const document = editor.document;
    const oldLines: string[] = [];
    for (let line = range.start.line; line <= Math.min(range.end.line, document.lineCount - 1); line++) {
      oldLines.push(document.lineAt(line).text);
    }
    const hover = new vscode.MarkdownString();
    hover.appendMarkdown("**GLM next edit** — Tab: go to it, Tab again: accept, Esc: dismiss\n\n");
    hover.appendCodeblock(diffPreview(oldLines, editedLines(oldLines, edit)), "diff");
    this.clearDecorations(editor);
    editor.setDecorations(this.deleted, range.isEmpty ? [] : [{ range, hoverMessage: hover }]);
    const end = new vscode.Range(range.end, range.end);
    const after = edit.text === "" ? [] : [{ range: end, hoverMessage: hover, renderOptions: { after: { contentText: afterText(edit.text) } } }];
    editor.setDecorations(this.added, after);
    editor.setDecorations(this.gutter, [{ range: new vscode.Range(range.start, range.start), hoverMessage: hover }]);
  }

  private clearDecorations(editor?: vscode.TextEditor): void {
    for (const e of editor ? [editor] : vscode.window.visibleTextEditors) {
      e.setDecorations(this.deleted, []);
      e.setDecorations(this.added, []);
      e.setDecorations(this.gutter, []);
    }
  }

  /** Hide the suggestion and stop a pending request. */
  clear(): void {
    this.cancel();
    const had = this.shown !== undefined;
    this.shown = undefined;
    this.clearDecorations();
    void vscode.commands.executeCommand("setContext", CONTEXT_KEY, false);
    if (had) this.writeState();
  }

  /** The shown suggestion for the active editor, if it still fits its text. */
  private current(): { editor: vscode.TextEditor; shown: Shown } | undefined {
    const editor = vscode.window.activeTextEditor;
    const shown = this.shown;
    if (!editor || !shown) return undefined;
    if (editor.document.uri.toString() !== shown.uri || editor.document.version !== shown.edit.textDocument.version) {
      this.clear();
      return undefined;
    }
    return { editor, shown };
  }

  /**
   * Tab: jump to the suggestion when the cursor is away from it, else accept it. A Tab that
   * arrives after a change (before the context key caught up) is the editor's own Tab.
   */
  async jumpOrAccept(): Promise<boolean> {
    const now = this.current();
    if (!now) {
      await vscode.commands.executeCommand("tab");
      return false;
    }
    const { editor, shown } = now;
    if (tabAction(shown.edit, editor.selection.active) === "accept") return this.accept();
    const start = toRange(shown.edit).start;
    shown.origin = start.line;
    editor.selection = new vscode.Selection(start, start);
    editor.revealRange(new vscode.Range(start, start), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    this.writeState();
    return true;
  }

  /** Apply the suggestion (only to the version it was made for) and tell the server. */
  async accept(): Promise<boolean> {
    const now = this.current();
    if (!now) return false;
    const { editor, shown } = now;
    this.clear();
    const edit = new vscode.WorkspaceEdit();
    edit.replace(editor.document.uri, toRange(shown.edit), shown.edit.text);
    if (editor.document.version !== shown.edit.textDocument.version) return false;
    const applied = await vscode.workspace.applyEdit(edit);
    if (!applied) return false;
    const end = endAfterAccept(shown.edit);
    const at = new vscode.Position(end.line, end.character);
    editor.selection = new vscode.Selection(at, at);
    await this.sendAccepted(shown.edit);
    return true;
  }

  private async sendAccepted(edit: NextEdit): Promise<void> {
    const arg = acceptedArgument(edit);
    if (!arg) return;
    try {
      await this.glm.executeCommand("glm.nextEdit.accepted", arg);
    } catch {
      // the server went away: nothing to count
    }
  }

  /** Escape: hide the suggestion. */
  dismiss(): boolean {
    const shown = this.shown !== undefined;
    this.clear();
    return shown;
  }

  /**
   * The inline completion for the shown edit when it is at `position` (called from the
   * language client's inline completion middleware when the server offers no ghost text).
   */
  inlineItem(document: vscode.TextDocument, position: vscode.Position): vscode.InlineCompletionItem | undefined {
    const shown = this.shown;
    if (!shown || shown.kind !== "inline" || shown.uri !== document.uri.toString()) return undefined;
    if (document.version !== shown.edit.textDocument.version) return undefined;
    if (placement(shown.edit, position, document.lineAt(position.line).text) !== "inline") return undefined;
    const item = new vscode.InlineCompletionItem(shown.edit.text, toRange(shown.edit));
    item.command = { title: "GLM next edit accepted", command: INLINE_ACCEPTED_COMMAND, arguments: [shown.edit] };
    return item;
  }

  private writeState(): void {
    if (!this.stateFile) return;
    const editor = vscode.window.activeTextEditor;
    const cursor = editor?.selection.active;
    const state = {
      visible: this.shown !== undefined,
      kind: this.shown?.kind,
      edit: this.shown?.edit,
      cursor: cursor ? { line: cursor.line, character: cursor.character } : undefined,
      documentVersion: editor?.document.version,
    };
    try {
      fs.writeFileSync(this.stateFile, JSON.stringify(state));
    } catch {
      // a test hook only
    }
  }

  dispose(): void {
    this.cancel();
    for (const d of this.disposables) d.dispose();
  }
}

function toRange(edit: NextEdit): vscode.Range {
  const { start, end } = edit.range;
  return new vscode.Range(start.line, start.character, end.line, end.character);
}
