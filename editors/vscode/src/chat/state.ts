// The chat panel's state and its reducer. Pure and immutable: the extension host keeps the
// authoritative copy and the webview applies the same actions to its own copy, so a hidden or
// reloaded panel is restored from one snapshot. Driven by protocol §4 results and §5 notifications.

import { carryCards, updateCard, type ProposalCard, type ProposalUpdate } from "./proposals";

export interface ToolStep {
  id?: string;
  name: string;
  detail?: string;
  result?: string;
}

export interface Usage {
  promptTokens?: number;
  completionTokens?: number;
  cachedTokens?: number;
  costUsd?: number;
}

export type TurnStatus = "pending" | "streaming" | "done" | "error" | "cancelled" | "interrupted";

/** A piece of context the server attached to the message (delta `context`). */
export interface ContextItem {
  source: string;
  path?: string;
  tokens?: number;
  note?: string;
}

export interface Turn {
  /** Stable key for rendering; the turnId when the server gave one. */
  key: string;
  turnId?: string;
  user?: string;
  content: string;
  reasoning: string;
  tools: ToolStep[];
  /** Server notes shown with the turn (delta `notice`), e.g. trimmed history or tool limit. */
  notices: string[];
  context: ContextItem[];
  status: TurnStatus;
  finishReason?: string;
  error?: string;
  usage?: Usage;
  /** The turn's proposal (`glm/chat/proposal`) as its review card. */
  proposal?: ProposalCard;
  /** The last `glm/chat/progress` line ("step 2/8 · 3.1k/200k tokens · editing src/a.py"). */
  progress?: string;
}

export interface ChatSummary {
  chatId: string;
  title: string;
  updatedAt?: string | number;
}

/** Threads are keyed by chatId; `""` is the new chat that has no id yet. */
export interface ChatState {
  chats: ChatSummary[];
  activeChatId: string;
  threads: Record<string, Turn[]>;
  notice?: string;
}

export type HistoryMessage = {
  role: string;
  content?: string | null;
  reasoning?: string | null;
  name?: string;
  toolCallId?: string;
  toolCalls?: { id?: string; name?: string; arguments?: string }[];
  state?: string;
  finishReason?: string;
  interrupted?: boolean;
  turnId?: string;
};

export type ChatAction =
  | { type: "snapshot"; state: ChatState }
  | { type: "chats"; chats: ChatSummary[] }
  | { type: "history"; chatId: string; messages: HistoryMessage[] }
  | { type: "select"; chatId: string }
  | { type: "sent"; key: string; chatId: string; message: string }
  | { type: "started"; key?: string; chatId: string; turnId: string; user?: string }
  | {
      type: "delta";
      chatId: string;
      turnId: string;
      content?: string;
      reasoning?: string;
      tool?: unknown;
      notice?: string;
      context?: unknown;
    }
  | {
      type: "done";
      chatId: string;
      turnId: string;
      finishReason?: string;
      usage?: Usage;
      error?: string;
    }
  | { type: "failed"; key: string; error: string }
  | { type: "proposal"; chatId: string; turnId: string; card: ProposalCard }
  | { type: "proposalUpdate"; proposalId: string; update: ProposalUpdate }
  | { type: "progress"; chatId: string; turnId: string; line: string }
  | { type: "deleted"; chatId: string }
  | { type: "notice"; text?: string };

export const NEW_CHAT = "";

export function initialState(): ChatState {
  return { chats: [], activeChatId: NEW_CHAT, threads: {} };
}

function emptyTurn(key: string, turnId?: string): Turn {
  return { key, turnId, content: "", reasoning: "", tools: [], notices: [], context: [], status: "streaming" };
}

/** Accepts the delta's `context` list: `[{source, path?, tokens?, note?}]`. */
export function parseContext(raw: unknown): ContextItem[] {
  if (!Array.isArray(raw)) {
    return [];
  }
  const out: ContextItem[] = [];
  for (const item of raw) {
    if (typeof item !== "object" || item === null || typeof (item as { source?: unknown }).source !== "string") {
      continue;
    }
    const r = item as Record<string, unknown>;
    out.push({
      source: r.source as string,
      path: typeof r.path === "string" ? r.path : undefined,
      tokens: typeof r.tokens === "number" ? r.tokens : undefined,
      note: typeof r.note === "string" ? r.note : undefined,
    });
  }
  return out;
}

function replaceTurn(turns: Turn[], index: number, turn: Turn): Turn[] {
  const copy = turns.slice();
  copy[index] = turn;
  return copy;
}

/** The state with the turn `turnId` of `chatId` replaced by `fn(turn)` (created when unknown). */
function updateTurn(state: ChatState, chatId: string, turnId: string, fn: (turn: Turn) => Turn): ChatState {
  const turns = state.threads[chatId] ?? [];
  const at = turns.findIndex((t) => t.turnId === turnId);
  if (at < 0) return withThread(state, chatId, [...turns, fn({ ...emptyTurn(turnId, turnId), status: "done" })]);
  return withThread(state, chatId, replaceTurn(turns, at, fn(turns[at])));
}

function withThread(state: ChatState, chatId: string, turns: Turn[]): ChatState {
  return { ...state, threads: { ...state.threads, [chatId]: turns } };
}

function touchChat(chats: ChatSummary[], chatId: string, title?: string): ChatSummary[] {
  if (chats.some((c) => c.chatId === chatId)) {
    return chats;
  }
  return [{ chatId, title: titleFrom(title), updatedAt: Date.now() }, ...chats];
}

/** A chat title from its first message: one line, at most 60 characters. */
export function titleFrom(message: string | undefined): string {
  const line = (message ?? "").trim().split("\n")[0] ?? "";
  if (!line) {
    return "New chat";
  }
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}

/** Accepts the tool-step shapes a delta may carry: `{name, arguments?, result?, id?}`. */
export function parseTool(raw: unknown): ToolStep | undefined {
  if (typeof raw !== "object" || raw === null) {
    return undefined;
  }
  const r = raw as Record<string, unknown>;
  const fn = typeof r.function === "object" && r.function !== null ? (r.function as Record<string, unknown>) : {};
  const name = r.name ?? r.tool ?? fn.name;
  if (typeof name !== "string" || name === "") {
    return undefined;
  }
  const args = r.arguments ?? r.args ?? r.input ?? fn.arguments;
  const result = r.result ?? r.output;
  return {
    id: typeof r.id === "string" ? r.id : undefined,
    name,
    detail: args === undefined ? undefined : typeof args === "string" ? args : JSON.stringify(args),
    result: result === undefined ? undefined : typeof result === "string" ? result : JSON.stringify(result),
  };
}

function mergeTool(tools: ToolStep[], step: ToolStep): ToolStep[] {
  const at = step.id === undefined ? -1 : tools.findIndex((t) => t.id === step.id);
  if (at < 0) {
    return [...tools, step];
  }
  const old = tools[at];
  const merged: ToolStep = {
    ...old,
    detail: step.detail ?? old.detail,
    result: step.result ?? old.result,
  };
  return tools.map((t, i) => (i === at ? merged : t));
}

/** Converts `glm.chat.history` messages to turns: each user message opens a turn. */
export function historyToTurns(chatId: string, messages: HistoryMessage[]): Turn[] {
  const turns: Turn[] = [];
  let current: Turn | undefined;
  const open = (): Turn => {
    if (!current) {
      current = { ...emptyTurn(`${chatId}#${turns.length}`), status: "done" };
      turns.push(current);
    }
    return current;
  };
  for (const m of messages) {
    const text = m.content ?? "";
    if (m.role === "user") {
      current = { ...emptyTurn(`${chatId}#${turns.length}`, m.turnId || undefined), user: text, status: "done" };
      turns.push(current);
    } else if (m.role === "assistant") {
      const t = open();
      t.content += text;
      t.reasoning += m.reasoning ?? "";
      for (const call of m.toolCalls ?? []) {
        t.tools = mergeTool(t.tools, { id: call.id || undefined, name: call.name || "tool", detail: call.arguments || undefined });
      }
      if (m.interrupted || m.state === "interrupted") {
        t.status = "interrupted";
      } else if (m.state === "cancelled" || m.state === "error") {
        t.status = m.state;
      }
      if (m.finishReason) {
        t.finishReason = m.finishReason;
      }
    } else if (m.role === "tool") {
      const t = open();
      const known = m.toolCallId ? t.tools.find((x) => x.id === m.toolCallId) : undefined;
      t.tools = mergeTool(t.tools, { id: m.toolCallId || undefined, name: known?.name ?? m.name ?? "tool", result: text });
    }
  }
  return turns;
}

export function reduce(state: ChatState, action: ChatAction): ChatState {
  switch (action.type) {
    case "snapshot":
      return action.state;
    case "chats":
      return { ...state, chats: action.chats };
    case "select":
      return { ...state, activeChatId: action.chatId, notice: undefined };
    case "notice":
      return { ...state, notice: action.text };
    case "history": {
      const existing = state.threads[action.chatId] ?? [];
      const live = existing.filter((t) => t.status === "streaming" || t.status === "pending");
      const running = new Set(live.map((t) => t.turnId));
      const stored = historyToTurns(action.chatId, action.messages).filter((t) => !t.turnId || !running.has(t.turnId));
      const fresh = carryCards(existing, stored);
      return withThread(state, action.chatId, [...fresh, ...live]);
    }
    case "sent": {
      const turns = state.threads[action.chatId] ?? [];
      const turn: Turn = { ...emptyTurn(action.key), user: action.message, status: "pending" };
      return { ...withThread(state, action.chatId, [...turns, turn]), activeChatId: action.chatId, notice: undefined };
    }
    case "started": {
      let next = state;
      let turn: Turn | undefined;
      if (action.key !== undefined) {
        // The pending turn may sit in the new-chat thread: move it to its real chat.
        for (const [chatId, turns] of Object.entries(next.threads)) {
          const at = turns.findIndex((t) => t.key === action.key);
          if (at >= 0) {
            turn = turns[at];
            next = withThread(next, chatId, turns.filter((_, i) => i !== at));
            break;
          }
        }
      }
      const turns = next.threads[action.chatId] ?? [];
      const existing = turns.findIndex((t) => t.turnId === action.turnId);
      const base = existing >= 0 ? turns[existing] : turn ?? emptyTurn(action.turnId);
      const started: Turn = {
        ...base,
        turnId: action.turnId,
        user: base.user ?? action.user,
        status: base.status === "pending" ? "streaming" : base.status,
      };
      const updated = existing >= 0 ? replaceTurn(turns, existing, started) : [...turns, started];
      const wasActive = state.activeChatId === NEW_CHAT && turn !== undefined;
      next = withThread(next, action.chatId, updated);
      return {
        ...next,
        chats: touchChat(next.chats, action.chatId, started.user),
        activeChatId: wasActive ? action.chatId : next.activeChatId,
      };
    }
    case "delta": {
      const turns = state.threads[action.chatId] ?? [];
      let at = turns.findIndex((t) => t.turnId === action.turnId);
      let list = turns;
      if (at < 0) {
        list = [...turns, emptyTurn(action.turnId, action.turnId)];
        at = list.length - 1;
      }
      const old = list[at];
      const step = parseTool(action.tool);
      const turn: Turn = {
        ...old,
        status: old.status === "pending" ? "streaming" : old.status,
        content: old.content + (action.content ?? ""),
        reasoning: old.reasoning + (action.reasoning ?? ""),
        tools: step ? mergeTool(old.tools, step) : old.tools,
        notices: action.notice ? [...old.notices, action.notice] : old.notices,
        context: action.context !== undefined ? [...old.context, ...parseContext(action.context)] : old.context,
      };
      const next = withThread(state, action.chatId, replaceTurn(list, at, turn));
      return { ...next, chats: touchChat(next.chats, action.chatId, turn.user) };
    }
    case "done": {
      const turns = state.threads[action.chatId] ?? [];
      let at = turns.findIndex((t) => t.turnId === action.turnId);
      let list = turns;
      if (at < 0) {
        list = [...turns, emptyTurn(action.turnId, action.turnId)];
        at = list.length - 1;
      }
      const reason = action.finishReason;
      const status: TurnStatus = action.error
        ? "error"
        : reason === "cancelled" || reason === "canceled"
          ? "cancelled"
          : "done";
      const turn: Turn = { ...list[at], status, finishReason: reason, usage: action.usage, error: action.error };
      return withThread(state, action.chatId, replaceTurn(list, at, turn));
    }
    case "failed": {
      for (const [chatId, turns] of Object.entries(state.threads)) {
        const at = turns.findIndex((t) => t.key === action.key);
        if (at >= 0) {
          return withThread(state, chatId, replaceTurn(turns, at, { ...turns[at], status: "error", error: action.error }));
        }
      }
      return state;
    }
    case "proposal":
      return updateTurn(state, action.chatId, action.turnId, (t) => ({ ...t, proposal: action.card }));
    case "progress":
      return updateTurn(state, action.chatId, action.turnId, (t) => ({ ...t, progress: action.line }));
    case "proposalUpdate": {
      for (const [chatId, turns] of Object.entries(state.threads)) {
        const at = turns.findIndex((t) => t.proposal?.proposalId === action.proposalId);
        if (at >= 0) {
          const turn = turns[at];
          return withThread(state, chatId, replaceTurn(turns, at, { ...turn, proposal: updateCard(turn.proposal!, action.update) }));
        }
      }
      return state;
    }
    case "deleted": {
      const threads = { ...state.threads };
      delete threads[action.chatId];
      return {
        ...state,
        threads,
        chats: state.chats.filter((c) => c.chatId !== action.chatId),
        activeChatId: state.activeChatId === action.chatId ? NEW_CHAT : state.activeChatId,
      };
    }
  }
}

/** The active chat's turns. */
export function activeTurns(state: ChatState): Turn[] {
  return state.threads[state.activeChatId] ?? [];
}

/** The turn still streaming in the active chat, which "Cancel" stops. */
export function runningTurn(state: ChatState): { chatId: string; turnId: string } | undefined {
  const turn = activeTurns(state).find((t) => t.status === "streaming" && t.turnId !== undefined);
  return turn && state.activeChatId !== NEW_CHAT ? { chatId: state.activeChatId, turnId: turn.turnId! } : undefined;
}

/** Any streaming turn in any chat (for the `glm.chatRunning` context key). */
export function anyRunning(state: ChatState): { chatId: string; turnId: string } | undefined {
  for (const [chatId, turns] of Object.entries(state.threads)) {
    const turn = turns.find((t) => t.status === "streaming" && t.turnId !== undefined);
    if (turn && chatId !== NEW_CHAT) {
      return { chatId, turnId: turn.turnId! };
    }
  }
  return undefined;
}
