// The status bar item, driven by `glm/status` (protocol §5) and the client's lifecycle.

import * as vscode from "vscode";
import { parseStatus, statusView, type ServerState } from "./statusView";

export const SHOW_STATUS_COMMAND = "glm.cmd.showStatus";

export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  state: ServerState = "starting";
  message?: string;
  model?: string;

  constructor() {
    this.item = vscode.window.createStatusBarItem("glm.status", vscode.StatusBarAlignment.Right, 100);
    this.item.name = "GLM";
    this.item.command = SHOW_STATUS_COMMAND;
    this.update();
    this.item.show();
  }

  /** Applies a `glm/status` notification; malformed payloads are ignored. */
  onNotification(params: unknown): void {
    const parsed = parseStatus(params);
    if (parsed) this.set(parsed.state, parsed.message);
  }

  set(state: ServerState, message?: string): void {
    this.state = state;
    this.message = message;
    this.update();
  }

  setModel(model: string | undefined): void {
    this.model = model;
    this.update();
  }

  private update(): void {
    const view = statusView({ state: this.state, message: this.message, model: this.model });
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.backgroundColor = view.background ? new vscode.ThemeColor(view.background) : undefined;
    this.item.accessibilityInformation = { label: view.ariaLabel, role: "button" };
    void vscode.commands.executeCommand("setContext", "glm.state", this.state);
  }

  dispose(): void {
    this.item.dispose();
  }
}
