// A chat turn's proposal (`glm/chat/proposal`) as the review card shows it, and the turn's
// progress line (`glm/chat/progress`). Pure: no `vscode` import, so it is unit-tested in node and
// bundled into the webview too. The host owns the proposed texts (for the diff editor); the card
// state here carries only what the panel draws.

export type ChangeKind = "edit" | "create" | "delete" | "rename";

/** One file of `glm/chat/proposal` as the server sends it (protocol: `files[]`). */
export interface ProposedFile {
  uri: string;
  path: string;
  change: ChangeKind;
  newUri?: string;
  newPath?: string;
  diff: string;
  text?: string;
  version?: number | null;
}

export interface Proposal {
  chatId: string;
  turnId: string;
  proposalId: string;
  files: ProposedFile[];
}

/** pending: not decided; applied / refused: the server's answer to an apply; rejected: hidden by
 * the user (never applied); restored / kept: the answer to an undo (kept = refused by undo). */
export type FileState = "pending" | "applied" | "refused" | "rejected" | "restored" | "kept";

export interface CardFile {
  uri: string;
  path: string;
  change: ChangeKind;
  newPath?: string;
  added: number;
  removed: number;
  state: FileState;
  reason?: string;
}

/** The card as a whole: open (some file still to decide), closed (applied or rejected, nothing
 * pending), discarded (Reject all), undone (Undo ran). */
export type CardState = "open" | "closed" | "discarded" | "undone";

export interface ProposalCard {
  proposalId: string;
  files: CardFile[];
  state: CardState;
  /** A request is in flight: the buttons are disabled. */
  busy: boolean;
  /** The last outcome in words ("2 applied, 1 refused"). */
  message?: string;
}

export type ProposalUpdate =
  | { kind: "busy" }
  | { kind: "error"; message: string }
  | { kind: "applied"; applied: string[]; refused: { uri: string; reason: string }[]; auto?: boolean }
  | { kind: "rejected"; uris: string[] }
  | { kind: "discarded" }
  | { kind: "undone"; restored: string[]; refused: { uri: string; reason: string }[] };

const KINDS: readonly string[] = ["edit", "create", "delete", "rename"];

/** Validates a `glm/chat/proposal` payload (untrusted); undefined when it is not one. */
export function parseProposal(raw: unknown): Proposal | undefined {
  if (typeof raw !== "object" || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  if (typeof r.chatId !== "string" || typeof r.turnId !== "string" || typeof r.proposalId !== "string") return undefined;
  if (!Array.isArray(r.files)) return undefined;
  const files: ProposedFile[] = [];
  for (const item of r.files) {
    if (typeof item !== "object" || item === null) continue;
    const f = item as Record<string, unknown>;
    if (typeof f.uri !== "string" || typeof f.change !== "string" || !KINDS.includes(f.change)) continue;
    files.push({
      uri: f.uri,
      path: typeof f.path === "string" ? f.path : f.uri,
      change: f.change as ChangeKind,
      newUri: typeof f.newUri === "string" ? f.newUri : undefined,
      newPath: typeof f.newPath === "string" ? f.newPath : undefined,
      diff: typeof f.diff === "string" ? f.diff : "",
      text: typeof f.text === "string" ? f.text : undefined,
      version: typeof f.version === "number" ? f.version : null,
    });
  }
  return { chatId: r.chatId, turnId: r.turnId, proposalId: r.proposalId, files };
}

/** Lines added and removed by a unified diff (its `---`/`+++` headers not counted). */
export function diffCounts(diff: string): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  let inHunk = false;
  for (const line of diff.split("\n")) {
    if (line.startsWith("@@")) inHunk = true;
    else if (!inHunk) continue;
    else if (line.startsWith("+")) added++;
    else if (line.startsWith("-")) removed++;
  }
  return { added, removed };
}

export function newCard(proposal: Proposal): ProposalCard {
  const files = proposal.files.map((f): CardFile => ({
    uri: f.uri,
    path: f.path,
    change: f.change,
    newPath: f.newPath,
    ...diffCounts(f.diff),
    state: "pending",
  }));
  return { proposalId: proposal.proposalId, files, state: "open", busy: false };
}

/** Files an "Accept all" applies: neither rejected nor already applied. */
export function acceptable(card: ProposalCard): CardFile[] {
  return card.files.filter((f) => f.state === "pending" || f.state === "refused");
}

/** The `files` argument of `glm.chat.apply` for Accept all: undefined (all) when every file is
 * still pending, else the URIs of the files left. */
export function acceptAllFiles(card: ProposalCard): string[] | undefined {
  if (card.files.every((f) => f.state === "pending")) return undefined;
  return acceptable(card).map((f) => f.uri);
}

/** Whether any file is still to decide (pending or refused, so a retry is possible). */
export function hasOpenFiles(card: ProposalCard): boolean {
  return acceptable(card).length > 0;
}

/** Whether an undo has something to restore. */
export function canUndo(card: ProposalCard): boolean {
  return card.state !== "undone" && card.files.some((f) => f.state === "applied");
}

function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? "" : "s"}`;
}

function settle(card: ProposalCard, files: CardFile[], message: string): ProposalCard {
  const next: ProposalCard = { ...card, files, busy: false, message };
  const open = hasOpenFiles(next);
  return { ...next, state: open ? "open" : card.state === "open" ? "closed" : card.state };
}

/** The card after a request about it (see ProposalUpdate). */
export function updateCard(card: ProposalCard, update: ProposalUpdate): ProposalCard {
  switch (update.kind) {
    case "busy":
      return { ...card, busy: true };
    case "error":
      return { ...card, busy: false, message: update.message };
    case "applied": {
      const applied = new Set(update.applied);
      const reasons = new Map(update.refused.map((r) => [r.uri, r.reason]));
      const files = card.files.map((f): CardFile => {
        if (applied.has(f.uri)) return { ...f, state: "applied", reason: undefined };
        const reason = reasons.get(f.uri);
        return reason !== undefined ? { ...f, state: "refused", reason } : f;
      });
      const parts = [`${plural(update.applied.length, "file")} applied${update.auto ? " automatically" : ""}`];
      if (update.refused.length) parts.push(`${update.refused.length} refused`);
      return settle(card, files, parts.join(", "));
    }
    case "rejected": {
      const uris = new Set(update.uris);
      const files = card.files.map((f): CardFile => (uris.has(f.uri) && f.state !== "applied" ? { ...f, state: "rejected", reason: undefined } : f));
      return settle(card, files, card.message ?? "");
    }
    case "discarded": {
      const files = card.files.map((f): CardFile => (f.state === "pending" || f.state === "refused" ? { ...f, state: "rejected", reason: undefined } : f));
      const anyApplied = files.some((f) => f.state === "applied");
      return { ...card, files, busy: false, state: anyApplied ? "closed" : "discarded", message: anyApplied ? card.message : "Rejected: nothing was changed" };
    }
    case "undone": {
      const restored = new Set(update.restored);
      const reasons = new Map(update.refused.map((r) => [r.uri, r.reason]));
      const files = card.files.map((f): CardFile => {
        if (restored.has(f.uri)) return { ...f, state: "restored", reason: undefined };
        const reason = reasons.get(f.uri);
        return reason !== undefined && f.state === "applied" ? { ...f, state: "kept", reason } : f;
      });
      const parts = [`Undone: ${plural(update.restored.length, "file")} restored`];
      if (update.refused.length) parts.push(`${update.refused.length} kept (changed since)`);
      return { ...card, files, busy: false, state: "undone", message: parts.join(", ") };
    }
  }
}

/** The server names a renamed file by either URI: map its new name's URI to the card's (old) one. */
export function cardUri(proposal: Proposal, uri: string): string {
  return proposal.files.find((f) => f.newUri === uri)?.uri ?? uri;
}

/** `1234` -> "1.2k", `200000` -> "200k", `1500000` -> "1.5M". */
export function tokens(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${trim(n / 1000)}k`;
  return `${trim(n / 1_000_000)}M`;
}

function trim(x: number): string {
  return x >= 100 ? String(Math.round(x)) : x.toFixed(1).replace(/\.0$/, "");
}

/** The running turn's line from `glm/chat/progress`: "step 2/8 · 3.1k/200k tokens · editing src/a.py". */
export function progressLine(raw: unknown): string | undefined {
  if (typeof raw !== "object" || raw === null) return undefined;
  const p = raw as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof p.step === "number") parts.push(typeof p.maxSteps === "number" ? `step ${p.step}/${p.maxSteps}` : `step ${p.step}`);
  if (typeof p.tokens === "number") {
    parts.push(typeof p.tokenBudget === "number" ? `${tokens(p.tokens)}/${tokens(p.tokenBudget)} tokens` : `${tokens(p.tokens)} tokens`);
  }
  if (typeof p.activity === "string" && p.activity.trim()) parts.push(p.activity.trim().slice(0, 120));
  return parts.length ? parts.join(" · ") : undefined;
}

/** After a chat's history is reloaded (its turns rebuilt from `glm.chat.history`, which has no
 * turn ids), the cards of the turns shown before go back to the turns with the same message,
 * matched from the end. */
export function carryCards<T extends { user?: string; proposal?: ProposalCard }>(before: T[], fresh: T[]): T[] {
  const out = fresh.slice();
  let from = out.length;
  for (let i = before.length - 1; i >= 0; i--) {
    const old = before[i];
    if (!old.proposal) continue;
    let at = from - 1;
    while (at >= 0 && out[at].user !== old.user) at--;
    if (at < 0) continue;
    out[at] = { ...out[at], proposal: old.proposal };
    from = at;
  }
  return out;
}

const LISTED_FILE: Record<string, FileState> = { pending: "pending", applied: "applied", discarded: "rejected", undone: "restored" };
const LISTED_CARD: Record<string, CardState> = { pending: "open", applied: "closed", discarded: "discarded", undone: "undone" };

/** A `glm.chat.proposals` entry (the proposal plus its and its files' `state`) as a card, e.g.
 * after a window reload or an automatic apply; undefined when it is not one. */
export function listedCard(raw: unknown): { proposal: Proposal; card: ProposalCard } | undefined {
  const proposal = parseProposal(raw);
  if (!proposal) return undefined;
  const r = raw as { state?: unknown; files: { uri?: unknown; state?: unknown }[] };
  const states = new Map(r.files.map((f) => [f?.uri, typeof f?.state === "string" ? LISTED_FILE[f.state] : undefined]));
  const base = newCard(proposal);
  const files = base.files.map((f): CardFile => ({ ...f, state: states.get(f.uri) ?? "pending" }));
  let state: CardState = (typeof r.state === "string" && LISTED_CARD[r.state]) || "open";
  if (state === "open" && !files.some((f) => f.state === "pending")) state = "closed";
  return { proposal, card: { ...base, files, state } };
}
