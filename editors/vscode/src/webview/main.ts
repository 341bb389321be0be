// The chat panel's script (runs inside the webview, bundled by esbuild). It keeps a copy of the
// host's chat state, applies the same reducer, and re-renders only the turns that changed.

import createDOMPurify from "dompurify";
import { createMarkdown, renderMarkdown } from "./markdown";
import { activeTurns, initialState, reduce, NEW_CHAT, type ChatState, type Turn } from "../chat/state";
import type { ContextChip, HostMessage, ProposalOp, WebviewMessage } from "../chat/messages";
import { renderCard } from "./card";

declare function acquireVsCodeApi(): { postMessage(message: WebviewMessage): void };

const vscode = acquireVsCodeApi();
const purify = createDOMPurify(window);
const md = createMarkdown();

let state: ChatState = initialState();
let chips: ContextChip[] = [];
const dismissed = new Set<string>();
const openReasoning = new Set<string>();
const rendered = new Map<string, { turn: Turn; el: HTMLElement }>();
let renderedChat: string | undefined;

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const turnsEl = $<HTMLDivElement>("turns");
const chatSelect = $<HTMLSelectElement>("chat-select");
const input = $<HTMLTextAreaElement>("input");
const sendButton = $<HTMLButtonElement>("send");
const stopButton = $<HTMLButtonElement>("stop");
const chipsEl = $<HTMLDivElement>("chips");
const noticeEl = $<HTMLDivElement>("notice");
const emptyEl = $<HTMLDivElement>("empty");

function post(message: WebviewMessage): void {
  vscode.postMessage(message);
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (cls) {
    node.className = cls;
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

function statusLine(turn: Turn): string {
  switch (turn.status) {
    case "pending":
      return "Sending…";
    case "streaming":
      return turn.content || turn.reasoning ? "" : "Waiting for the model…";
    case "cancelled":
      return "Stopped.";
    case "interrupted":
      return "Interrupted (the server stopped during this answer).";
    case "error":
      return `Error: ${turn.error ?? "the request failed"}`;
    case "done": {
      const u = turn.usage;
      if (!u) {
        return "";
      }
      const parts = [];
      if (u.promptTokens !== undefined) parts.push(`${u.promptTokens} in`);
      if (u.completionTokens !== undefined) parts.push(`${u.completionTokens} out`);
      if (u.cachedTokens) parts.push(`${u.cachedTokens} cached`);
      if (u.costUsd !== undefined) parts.push(`$${u.costUsd.toFixed(4)}`);
      return parts.join(" · ");
    }
  }
}

function renderTurn(turn: Turn): HTMLElement {
  const section = el("section", `turn turn-${turn.status}`);
  section.dataset.key = turn.key;
  if (turn.user) {
    section.append(el("div", "user-message", turn.user));
  }
  if (turn.context.length) {
    const names = turn.context.map((c) => {
      const what = c.path ? `${c.source}: ${c.path}` : c.source;
      return c.note ? `${what} (${c.note})` : what;
    });
    const line = el("div", "turn-context", `Context: ${names.join(", ")}`);
    line.title = turn.context.map((c) => `${c.source} ${c.path ?? ""} ${c.tokens ?? "?"} tokens`).join("\n");
    section.append(line);
  }
  if (turn.reasoning) {
    const details = el("details", "reasoning");
    details.open = openReasoning.has(turn.key);
    const thinking = turn.status === "streaming" && !turn.content;
    details.append(el("summary", "", thinking ? "Thinking…" : "Reasoning"));
    const body = el("div", "reasoning-body markdown");
    body.innerHTML = renderMarkdown(md, purify, turn.reasoning);
    details.append(body);
    details.addEventListener("toggle", () => {
      if (details.open) openReasoning.add(turn.key);
      else openReasoning.delete(turn.key);
    });
    section.append(details);
  }
  if (turn.tools.length) {
    const list = el("ul", "tool-steps");
    for (const step of turn.tools) {
      const item = el("li", "tool-step");
      item.append(el("span", "tool-name", step.name));
      if (step.detail) item.append(el("code", "tool-detail", step.detail.slice(0, 200)));
      if (step.result) item.append(el("span", "tool-result", `→ ${step.result.slice(0, 200)}`));
      list.append(item);
    }
    section.append(list);
  }
  for (const notice of turn.notices) {
    section.append(el("div", "turn-notice", notice));
  }
  const answer = el("div", "answer markdown");
  answer.innerHTML = renderMarkdown(md, purify, turn.content);
  section.append(answer);
  if (turn.progress && (turn.status === "streaming" || turn.status === "pending")) {
    section.append(el("div", "turn-progress", turn.progress));
  }
  if (turn.proposal) {
    section.append(renderCard(el, turn.proposal));
  }
  const line = statusLine(turn);
  if (line) {
    section.append(el("div", "turn-status", line));
  }
  return section;
}

function renderChatList(): void {
  const wanted = [NEW_CHAT, ...state.chats.map((c) => c.chatId)];
  const current = Array.from(chatSelect.options).map((o) => o.value);
  if (wanted.join("\u0000") !== current.join("\u0000") || chatSelect.options.length === 0) {
    chatSelect.replaceChildren();
    const fresh = el("option", "", "New chat");
    fresh.value = NEW_CHAT;
    chatSelect.append(fresh);
    for (const chat of state.chats) {
      const option = el("option", "", chat.title || chat.chatId);
      option.value = chat.chatId;
      chatSelect.append(option);
    }
  } else {
    state.chats.forEach((chat, i) => {
      const option = chatSelect.options[i + 1];
      if (option.textContent !== chat.title) option.textContent = chat.title;
    });
  }
  chatSelect.value = state.activeChatId;
}

function render(): void {
  renderChatList();
  if (renderedChat !== state.activeChatId) {
    turnsEl.replaceChildren();
    rendered.clear();
    renderedChat = state.activeChatId;
  }
  const nearBottom = turnsEl.scrollHeight - turnsEl.scrollTop - turnsEl.clientHeight < 40;
  const turns = activeTurns(state);
  const keep = new Set(turns.map((t) => t.key));
  for (const [key, entry] of rendered) {
    if (!keep.has(key)) {
      entry.el.remove();
      rendered.delete(key);
    }
  }
  let previous: HTMLElement | undefined;
  for (const turn of turns) {
    const entry = rendered.get(turn.key);
    let node: HTMLElement;
    if (!entry || entry.turn !== turn) {
      node = renderTurn(turn);
      entry?.el.replaceWith(node);
      rendered.set(turn.key, { turn, el: node });
    } else {
      node = entry.el;
    }
    if (node.parentElement !== turnsEl || node.previousElementSibling !== (previous ?? null)) {
      if (previous) previous.after(node);
      else turnsEl.prepend(node);
    }
    previous = node;
  }
  emptyEl.hidden = turns.length > 0;
  const running = turns.some((t) => t.status === "streaming" || t.status === "pending");
  stopButton.disabled = !running;
  noticeEl.textContent = state.notice ?? "";
  noticeEl.hidden = !state.notice;
  if (nearBottom) {
    turnsEl.scrollTop = turnsEl.scrollHeight;
  }
}

function renderChips(): void {
  chipsEl.replaceChildren();
  for (const chip of chips) {
    const id = `${chip.kind}:${chip.detail}`;
    if (dismissed.has(id)) continue;
    const node = el("span", `chip chip-${chip.kind}`);
    node.title = chip.detail;
    node.append(el("span", "chip-label", `${chip.kind === "selection" ? "Selection" : "File"}: ${chip.label}`));
    const close = el("button", "chip-close", "×");
    close.type = "button";
    close.title = "Leave out of the next message";
    close.addEventListener("click", () => {
      dismissed.add(id);
      renderChips();
    });
    node.append(close);
    chipsEl.append(node);
  }
}

function chipEnabled(kind: ContextChip["kind"]): boolean {
  return chips.some((c) => c.kind === kind && !dismissed.has(`${c.kind}:${c.detail}`));
}

function send(): void {
  const message = input.value.trim();
  if (!message) return;
  post({ type: "send", message, useFile: chipEnabled("file"), useSelection: chipEnabled("selection") });
  input.value = "";
}

window.addEventListener("message", (event: MessageEvent<HostMessage>) => {
  const msg = event.data;
  switch (msg.type) {
    case "action":
      state = reduce(state, msg.action);
      render();
      break;
    case "chips":
      chips = msg.chips;
      renderChips();
      break;
    case "focusInput":
      input.focus();
      break;
    case "serverState":
      document.body.dataset.serverState = msg.state;
      break;
  }
});

turnsEl.addEventListener("click", (event) => {
  const target = event.target as HTMLElement;
  const op = target.closest<HTMLButtonElement>("button[data-proposal-op]");
  const card = op?.closest<HTMLElement>(".proposal");
  if (op && card?.dataset.proposalId) {
    post({ type: "proposal", op: op.dataset.proposalOp as ProposalOp, proposalId: card.dataset.proposalId, uri: op.dataset.uri });
    return;
  }
  const button = target.closest<HTMLButtonElement>("button[data-action]");
  if (button) {
    const code = button.closest(".code-block")?.querySelector("code")?.textContent ?? "";
    if (button.dataset.action === "copy") {
      post({ type: "copy", text: code });
      button.textContent = "Copied";
      setTimeout(() => (button.textContent = "Copy"), 1200);
    } else if (button.dataset.action === "insert") {
      post({ type: "insert", text: code });
    }
    return;
  }
  const link = target.closest<HTMLAnchorElement>("a[href]");
  if (link) {
    event.preventDefault();
    post({ type: "openLink", href: link.getAttribute("href") ?? "" });
  }
});

sendButton.addEventListener("click", send);
stopButton.addEventListener("click", () => post({ type: "cancel" }));
$("new-chat").addEventListener("click", () => post({ type: "newChat" }));
$("delete-chat").addEventListener("click", () => {
  if (state.activeChatId !== NEW_CHAT) post({ type: "deleteChat", chatId: state.activeChatId });
});
chatSelect.addEventListener("change", () => post({ type: "selectChat", chatId: chatSelect.value }));
chatSelect.addEventListener("focus", () => post({ type: "refreshChats" }));
input.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    send();
  }
});

render();
post({ type: "ready" });
