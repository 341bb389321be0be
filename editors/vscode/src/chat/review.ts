// Reviewing a chat turn's proposal (host side): keeps the proposed texts, serves them read-only
// under the `glm-proposal:` scheme for VS Code's diff editor, and runs Accept / Reject / Undo as
// `glm.chat.apply` / `glm.chat.discard` / `glm.chat.undo`, feeding the outcome into the card.

import * as vscode from "vscode";
import type { ChatAction, ChatState } from "./state";
import {
  acceptAllFiles,
  canUndo,
  cardUri,
  hasOpenFiles,
  listedCard,
  newCard,
  parseProposal,
  type Proposal,
  type ProposalCard,
  type ProposalUpdate,
} from "./proposals";

export const PROPOSAL_SCHEME = "glm-proposal";
/** Proposals kept for review; older ones can still be applied by id through the server. */
const KEEP = 50;

export interface ReviewServer {
  executeCommand<T>(command: string, arg: object): Promise<T>;
}

type Refused = { uri: string; reason: string }[];

export class ProposalReview implements vscode.TextDocumentContentProvider {
  private readonly proposals = new Map<string, Proposal>();

  constructor(
    private readonly server: ReviewServer,
    private readonly dispatch: (action: ChatAction) => void,
    private readonly state: () => ChatState,
  ) {}

  /** `glm/chat/proposal`: keep it and show its card under the turn. */
  onProposal(raw: unknown): void {
    const proposal = parseProposal(raw);
    if (!proposal) return;
    this.remember(proposal);
    this.dispatch({ type: "proposal", chatId: proposal.chatId, turnId: proposal.turnId, card: newCard(proposal) });
    if (vscode.workspace.getConfiguration("glm").get<boolean>("chat.autoApply")) {
      // The server applies it before its done (chat.autoApply); onDone reads the real states.
      const applied = proposal.files.map((f) => f.uri);
      this.update(proposal.proposalId, { kind: "applied", applied, refused: [], auto: true });
    }
  }

  /** `glm/chat/done` with a proposalId: under chat.autoApply, the files' states as applied. */
  onDone(chatId: string, proposalId: string | undefined): void {
    if (proposalId && vscode.workspace.getConfiguration("glm").get<boolean>("chat.autoApply")) void this.sync(chatId, proposalId);
  }

  /** Cards from the server's `glm.chat.proposals` for the chat's turns shown: after a reload
   * (texts for Diff come back too), and for an automatic apply (`force`: the files' real states). */
  async sync(chatId: string, force?: string): Promise<void> {
    let listed: unknown[] | null;
    try {
      listed = await this.server.executeCommand<unknown[] | null>("glm.chat.proposals", { chatId });
    } catch {
      return; // an older server without glm.chat.proposals: cards stay as they are
    }
    const turns = this.state().threads[chatId] ?? [];
    for (const raw of Array.isArray(listed) ? listed : []) {
      const got = listedCard(raw);
      if (!got || (this.proposals.has(got.proposal.proposalId) && got.proposal.proposalId !== force)) continue;
      if (!turns.some((t) => t.turnId === got.proposal.turnId)) continue;
      this.remember(got.proposal);
      const applied = got.card.files.filter((f) => f.state === "applied").length;
      const card = force === got.proposal.proposalId ? { ...got.card, message: `${applied} of ${got.card.files.length} applied automatically` } : got.card;
      this.dispatch({ type: "proposal", chatId, turnId: got.proposal.turnId, card });
    }
  }

  private remember(proposal: Proposal): void {
    this.proposals.set(proposal.proposalId, proposal);
    while (this.proposals.size > KEEP) this.proposals.delete(this.proposals.keys().next().value!);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const query = new URLSearchParams(uri.query);
    if (query.get("side") === "empty") return "";
    const file = this.proposals.get(query.get("proposal") ?? "")?.files[Number(query.get("file"))];
    return file?.text ?? "";
  }

  /** VS Code's diff editor: the current text (open document or disk) against the proposed one. */
  async diff(proposalId: string, uri: string): Promise<void> {
    const proposal = this.proposals.get(proposalId);
    const index = proposal?.files.findIndex((f) => f.uri === uri) ?? -1;
    if (!proposal || index < 0) {
      void vscode.window.showWarningMessage("GLM: this proposal is no longer known to the editor (reloaded?).");
      return;
    }
    const file = proposal.files[index];
    const side = (s: "new" | "empty") =>
      vscode.Uri.from({
        scheme: PROPOSAL_SCHEME,
        path: `/${file.newPath ?? file.path}`,
        query: new URLSearchParams({ proposal: proposalId, file: String(index), side: s }).toString(),
      });
    const current = vscode.Uri.parse(file.uri);
    const left = file.change === "create" ? side("empty") : current;
    const right = file.change === "delete" ? side("empty") : side("new");
    const what = { edit: "proposed edit", create: "proposed new file", delete: "proposed deletion", rename: `proposed rename to ${file.newPath}` }[file.change];
    await vscode.commands.executeCommand("vscode.diff", left, right, `${file.path} ↔ ${what} (GLM)`, { preview: true });
  }

  /** Accept one file, or (no uri) every file not rejected or applied yet. */
  async accept(proposalId: string, uri?: string): Promise<void> {
    const card = this.card(proposalId);
    const files = uri !== undefined ? [uri] : card ? acceptAllFiles(card) : undefined;
    const rejected = card?.files.some((f) => f.state === "rejected");
    this.update(proposalId, { kind: "busy" });
    try {
      const result = await this.server.executeCommand<{ applied?: string[]; refused?: Refused }>("glm.chat.apply", {
        proposalId,
        ...(files ? { files } : {}),
      });
      const proposal = this.proposals.get(proposalId);
      const map = (u: string) => (proposal ? cardUri(proposal, u) : u);
      const applied = (result?.applied ?? []).map(map);
      const refused = (result?.refused ?? []).map((r) => ({ uri: map(r.uri), reason: r.reason }));
      this.update(proposalId, { kind: "applied", applied, refused });
      if (refused.length) {
        const names = refused.map((r) => `${this.pathOf(proposalId, r.uri)}: ${r.reason}`).join("; ");
        void vscode.window.showWarningMessage(`GLM: not applied: ${names}`);
      }
      // Files rejected one by one stay pending on the server until the proposal is discarded.
      const after = this.card(proposalId);
      if (rejected && after && !hasOpenFiles(after)) await this.server.executeCommand("glm.chat.discard", { proposalId });
    } catch (error) {
      this.fail(proposalId, "apply", error);
    }
  }

  /** Reject one file (hidden, left out of Accept all), or (no uri) discard the whole proposal. */
  async reject(proposalId: string, uri?: string): Promise<void> {
    if (uri !== undefined) {
      this.update(proposalId, { kind: "rejected", uris: [uri] });
      const card = this.card(proposalId);
      if (!card || hasOpenFiles(card)) return;
    }
    this.update(proposalId, { kind: "busy" });
    try {
      await this.server.executeCommand("glm.chat.discard", { proposalId });
      this.update(proposalId, { kind: "discarded" });
    } catch (error) {
      this.fail(proposalId, "discard", error);
    }
  }

  /** Restore every file the proposal's turn changed (`glm.chat.undo {chatId, turnId}`). */
  async undo(proposalId: string): Promise<void> {
    const proposal = this.proposals.get(proposalId);
    if (!proposal) return;
    this.update(proposalId, { kind: "busy" });
    try {
      const result = await this.server.executeCommand<{ restored?: string[]; refused?: Refused }>("glm.chat.undo", {
        chatId: proposal.chatId,
        turnId: proposal.turnId,
      });
      const restored = (result?.restored ?? []).map((u) => cardUri(proposal, u));
      const refused = (result?.refused ?? []).map((r) => ({ uri: cardUri(proposal, r.uri), reason: r.reason }));
      this.update(proposalId, { kind: "undone", restored, refused });
      if (refused.length) {
        const names = refused.map((r) => `${this.pathOf(proposalId, r.uri)}: ${r.reason}`).join("; ");
        void vscode.window.showWarningMessage(`GLM: not restored: ${names}`);
      }
    } catch (error) {
      this.fail(proposalId, "undo", error);
    }
  }

  /** The newest proposal (in the active chat first) whose card passes `test`. */
  latest(test: (card: ProposalCard) => boolean): string | undefined {
    const state = this.state();
    const chats = [state.activeChatId, ...Object.keys(state.threads).filter((c) => c !== state.activeChatId)];
    for (const chatId of chats) {
      const turns = state.threads[chatId] ?? [];
      for (let i = turns.length - 1; i >= 0; i--) {
        const card = turns[i].proposal;
        if (card && !card.busy && test(card)) return card.proposalId;
      }
    }
    return undefined;
  }

  /** Palette: "GLM: Accept Proposal", "GLM: Reject Proposal", "GLM: Undo Last Chat Change". */
  async command(what: "accept" | "reject" | "undo"): Promise<void> {
    const id = this.latest(what === "undo" ? canUndo : hasOpenFiles);
    if (id === undefined) {
      const none = what === "undo" ? "no applied chat change to undo" : "no chat proposal is waiting for review";
      void vscode.window.showInformationMessage(`GLM: ${none}.`);
      return;
    }
    if (what === "accept") await this.accept(id);
    else if (what === "reject") await this.reject(id);
    else await this.undo(id);
  }

  private card(proposalId: string): ProposalCard | undefined {
    for (const turns of Object.values(this.state().threads)) {
      const card = turns.find((t) => t.proposal?.proposalId === proposalId)?.proposal;
      if (card) return card;
    }
    return undefined;
  }

  private pathOf(proposalId: string, uri: string): string {
    return this.proposals.get(proposalId)?.files.find((f) => f.uri === uri)?.path ?? uri;
  }

  private update(proposalId: string, update: ProposalUpdate): void {
    this.dispatch({ type: "proposalUpdate", proposalId, update });
  }

  private fail(proposalId: string, what: string, error: unknown): void {
    const message = error instanceof Error ? error.message : String((error as { message?: unknown })?.message ?? error);
    this.update(proposalId, { kind: "error", message: `Could not ${what}: ${message}` });
    void vscode.window.showErrorMessage(`GLM: could not ${what} the proposal: ${message}`);
  }
}
