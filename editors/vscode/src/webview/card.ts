// A proposal's review card in the chat panel: one row per file (path, kind, +added −removed,
// Diff / Accept / Reject) and Accept all / Reject all, or Undo once something was applied.
// Buttons carry data-proposal-op; main.ts posts them to the host.

import { canUndo, hasOpenFiles, type CardFile, type ProposalCard } from "../chat/proposals";

type El = <K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string) => HTMLElementTagNameMap[K];

const STATE_LABEL: Record<CardFile["state"], string> = {
  pending: "",
  applied: "applied",
  refused: "refused",
  rejected: "rejected",
  restored: "restored",
  kept: "not restored",
};

function button(el: El, op: string, label: string, title: string, disabled: boolean, uri?: string): HTMLButtonElement {
  const b = el("button", `proposal-button proposal-${op}`, label);
  b.type = "button";
  b.title = title;
  b.dataset.proposalOp = op;
  if (uri !== undefined) b.dataset.uri = uri;
  b.disabled = disabled;
  return b;
}

function fileRow(el: El, card: ProposalCard, f: CardFile): HTMLElement {
  const row = el("li", `proposal-file proposal-file-${f.state}`);
  row.dataset.uri = f.uri;
  row.dataset.state = f.state;
  const name = f.change === "rename" && f.newPath ? `${f.path} → ${f.newPath}` : f.path;
  row.append(el("span", "proposal-path", name));
  row.append(el("span", `proposal-kind proposal-kind-${f.change}`, f.change));
  const counts = el("span", "proposal-counts");
  counts.append(el("span", "proposal-added", `+${f.added}`), el("span", "proposal-removed", `−${f.removed}`));
  row.append(counts);
  if (STATE_LABEL[f.state]) row.append(el("span", "proposal-state", STATE_LABEL[f.state]));
  const open = f.state === "pending" || f.state === "refused";
  const actions = el("span", "proposal-actions");
  actions.append(button(el, "diff", "Diff", "Open the change in a diff editor", false, f.uri));
  if (open && card.state === "open") {
    actions.append(button(el, "accept", "Accept", "Write this file's change", card.busy, f.uri));
    actions.append(button(el, "reject", "Reject", "Leave this file as it is", card.busy, f.uri));
  }
  row.append(actions);
  if (f.reason) row.append(el("div", "proposal-reason", f.reason));
  return row;
}

export function renderCard(el: El, card: ProposalCard): HTMLElement {
  const box = el("div", `proposal proposal-${card.state}`);
  box.dataset.proposalId = card.proposalId;
  box.dataset.state = card.state;
  if (card.busy) box.dataset.busy = "true";
  const shown = card.files.filter((f) => f.state !== "rejected" || card.state === "discarded");
  box.append(el("div", "proposal-title", `Proposed changes (${card.files.length} file${card.files.length === 1 ? "" : "s"})`));
  const list = el("ul", "proposal-files");
  for (const f of shown) list.append(fileRow(el, card, f));
  box.append(list);
  const bar = el("div", "proposal-bar");
  if (card.state === "open" && hasOpenFiles(card)) {
    bar.append(button(el, "accept", "Accept all", "Write every file not rejected", card.busy));
    bar.append(button(el, "reject", "Reject all", "Drop the proposal; nothing is written", card.busy));
  }
  if (canUndo(card)) bar.append(button(el, "undo", "Undo", "Restore the files this turn changed", card.busy));
  if (bar.childElementCount) box.append(bar);
  if (card.message) box.append(el("div", "proposal-message", card.message));
  return box;
}
