// Messages between the extension host and the chat webview (both directions).

import type { ChatAction } from "./state";

export interface ContextChip {
  kind: "file" | "selection";
  label: string;
  /** Full path or range text for the tooltip. */
  detail: string;
}

export type HostMessage =
  | { type: "action"; action: ChatAction }
  | { type: "chips"; chips: ContextChip[] }
  | { type: "focusInput" }
  | { type: "serverState"; state: string; message?: string };

export type WebviewMessage =
  | { type: "ready" }
  | { type: "send"; message: string; useFile: boolean; useSelection: boolean }
  | { type: "cancel" }
  | { type: "newChat" }
  | { type: "selectChat"; chatId: string }
  | { type: "deleteChat"; chatId: string }
  | { type: "refreshChats" }
  | { type: "copy"; text: string }
  | { type: "insert"; text: string }
  | { type: "openLink"; href: string }
  | { type: "proposal"; op: ProposalOp; proposalId: string; uri?: string };

/** A button of a proposal card: per file (with `uri`) or for all. */
export type ProposalOp = "diff" | "accept" | "reject" | "undo";
