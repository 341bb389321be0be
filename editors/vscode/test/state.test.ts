import { test } from "node:test";
import assert from "node:assert/strict";
import { activeTurns, anyRunning, historyToTurns, initialState, parseTool, reduce, runningTurn, titleFrom, NEW_CHAT, type ChatAction, type ChatState } from "../src/chat/state";

const run = (actions: ChatAction[], from: ChatState = initialState()) => actions.reduce(reduce, from);

test("a new chat's first turn moves to its real chat id when the server answers", () => {
  // Ensures send → started on a new chat selects the new chat, lists it and keeps the user message.
  const s = run([
    { type: "sent", key: "local-1", chatId: NEW_CHAT, message: "What does f do?" },
    { type: "started", key: "local-1", chatId: "c1", turnId: "t1" },
  ]);
  assert.equal(s.activeChatId, "c1");
  assert.deepEqual(s.threads[NEW_CHAT], []);
  assert.equal(activeTurns(s)[0].user, "What does f do?");
  assert.equal(activeTurns(s)[0].status, "streaming");
  assert.deepEqual(s.chats.map((c) => [c.chatId, c.title]), [["c1", "What does f do?"]]);
});

test("deltas append content and reasoning separately; done finishes the turn", () => {
  // Ensures the concatenated deltas are the answer and reasoning is kept apart.
  const s = run([
    { type: "sent", key: "k", chatId: NEW_CHAT, message: "hi" },
    { type: "started", key: "k", chatId: "c1", turnId: "t1" },
    { type: "delta", chatId: "c1", turnId: "t1", reasoning: "Let me " },
    { type: "delta", chatId: "c1", turnId: "t1", reasoning: "think." },
    { type: "delta", chatId: "c1", turnId: "t1", content: "Hello" },
    { type: "delta", chatId: "c1", turnId: "t1", content: ", world" },
    { type: "done", chatId: "c1", turnId: "t1", finishReason: "stop", usage: { promptTokens: 10, completionTokens: 3 } },
  ]);
  const turn = activeTurns(s)[0];
  assert.equal(turn.content, "Hello, world");
  assert.equal(turn.reasoning, "Let me think.");
  assert.equal(turn.status, "done");
  assert.deepEqual(turn.usage, { promptTokens: 10, completionTokens: 3 });
  assert.equal(runningTurn(s), undefined);
});

test("deltas that arrive before the turn is known create it (explain from a code action)", () => {
  // Ensures no streamed text is dropped when notifications beat the command result.
  const s = run([
    { type: "delta", chatId: "c9", turnId: "t1", content: "This function " },
    { type: "started", chatId: "c9", turnId: "t1", user: "Explain app.py:3" },
    { type: "select", chatId: "c9" },
    { type: "delta", chatId: "c9", turnId: "t1", content: "adds." },
  ]);
  const turns = activeTurns(s);
  assert.equal(turns.length, 1);
  assert.equal(turns[0].content, "This function adds.");
  assert.equal(turns[0].user, "Explain app.py:3");
  assert.deepEqual(runningTurn(s), { chatId: "c9", turnId: "t1" });
});

test("cancel and errors end the turn with their own status", () => {
  // Ensures the panel can say 'Stopped' or show the server's error.
  const base = run([{ type: "started", chatId: "c", turnId: "t", user: "q" }, { type: "select", chatId: "c" }]);
  assert.equal(activeTurns(reduce(base, { type: "done", chatId: "c", turnId: "t", finishReason: "cancelled" }))[0].status, "cancelled");
  const failed = reduce(base, { type: "done", chatId: "c", turnId: "t", finishReason: "error", error: "429 rate limited" });
  assert.equal(activeTurns(failed)[0].status, "error");
  assert.equal(activeTurns(failed)[0].error, "429 rate limited");
  const sendFailed = run([{ type: "sent", key: "k", chatId: "c", message: "x" }, { type: "failed", key: "k", error: "server down" }], base);
  assert.equal(activeTurns(sendFailed)[1].status, "error");
});

test("several chats stream independently", () => {
  // Ensures a delta for a background chat does not leak into the visible one.
  const s = run([
    { type: "started", chatId: "a", turnId: "t1", user: "A" },
    { type: "started", chatId: "b", turnId: "t1", user: "B" },
    { type: "select", chatId: "a" },
    { type: "delta", chatId: "b", turnId: "t1", content: "for b" },
    { type: "delta", chatId: "a", turnId: "t1", content: "for a" },
  ]);
  assert.equal(activeTurns(s)[0].content, "for a");
  assert.equal(s.threads.b[0].content, "for b");
  assert.ok(anyRunning(s));
});

test("history becomes turns, and a live turn survives a history reload", () => {
  // Ensures glm.chat.history is shown as user/answer pairs with reasoning and tool steps.
  const turns = historyToTurns("c", [
    { role: "user", content: "q1" },
    { role: "assistant", content: "", reasoning: "r1" },
    { role: "tool", name: "read_file", content: "3 lines" },
    { role: "assistant", content: "a1" },
    { role: "user", content: "q2" },
    { role: "assistant", content: "a2", reasoning: null },
  ]);
  assert.deepEqual(turns.map((t) => [t.user, t.content, t.reasoning, t.tools.map((x) => x.name)]), [
    ["q1", "a1", "r1", ["read_file"]],
    ["q2", "a2", "", []],
  ]);
  const s = run([
    { type: "started", chatId: "c", turnId: "t3", user: "q3" },
    { type: "history", chatId: "c", messages: [{ role: "user", content: "q1" }, { role: "assistant", content: "a1" }] },
  ]);
  assert.deepEqual(s.threads.c.map((t) => t.user), ["q1", "q3"]);
});

test("tool steps from deltas are parsed and merged by id", () => {
  // Ensures a tool call and its later result show as one step.
  assert.equal(parseTool("nope"), undefined);
  assert.deepEqual(parseTool({ function: { name: "search_text", arguments: '{"q":"x"}' } }), { id: undefined, name: "search_text", detail: '{"q":"x"}', result: undefined });
  const s = run([
    { type: "started", chatId: "c", turnId: "t", user: "q" },
    { type: "delta", chatId: "c", turnId: "t", tool: { id: "1", name: "read_file", arguments: { path: "a.py" } } },
    { type: "delta", chatId: "c", turnId: "t", tool: { id: "1", name: "read_file", result: "12 lines" } },
  ]);
  assert.deepEqual(s.threads.c[0].tools, [{ id: "1", name: "read_file", detail: '{"path":"a.py"}', result: "12 lines" }]);
});

test("deleting the active chat returns to a new chat", () => {
  // Ensures the panel never shows a deleted chat.
  const s = run([{ type: "chats", chats: [{ chatId: "c", title: "t" }] }, { type: "select", chatId: "c" }, { type: "deleted", chatId: "c" }]);
  assert.equal(s.activeChatId, NEW_CHAT);
  assert.deepEqual(s.chats, []);
});

test("titles are one short line", () => {
  // Ensures long first messages do not flood the chat list.
  assert.equal(titleFrom("  first line\nsecond"), "first line");
  assert.equal(titleFrom(""), "New chat");
  assert.equal(titleFrom("x".repeat(100)).length, 60);
});

test("the reducer never mutates its input", () => {
  // Ensures host and webview copies cannot share mutated objects.
  const s = run([{ type: "started", chatId: "c", turnId: "t", user: "q" }]);
  const frozen = JSON.stringify(s);
  reduce(s, { type: "delta", chatId: "c", turnId: "t", content: "x", reasoning: "y" });
  reduce(s, { type: "done", chatId: "c", turnId: "t", finishReason: "stop" });
  assert.equal(JSON.stringify(s), frozen);
});

test("history from the server keeps tool calls, their results and interrupted turns", () => {
  // Ensures the glm.chat.history shape (toolCalls, toolCallId, state) maps onto tool steps and status.
  const turns = historyToTurns("c", [
    { role: "user", content: "where is add?" },
    { role: "assistant", content: "", toolCalls: [{ id: "call_1", name: "search_text", arguments: '{"pattern":"def add"}' }] },
    { role: "tool", name: "search_text", content: "1 match", toolCallId: "call_1" },
    { role: "assistant", content: "In app.py.", state: "done", finishReason: "stop" },
    { role: "user", content: "and total?" },
    { role: "assistant", content: "It is", state: "interrupted", interrupted: true },
  ]);
  assert.deepEqual(turns[0].tools, [{ id: "call_1", name: "search_text", detail: '{"pattern":"def add"}', result: "1 match" }]);
  assert.equal(turns[0].content, "In app.py.");
  assert.equal(turns[0].status, "done");
  assert.equal(turns[1].status, "interrupted");
});

test("context lists and notices from deltas are kept with their turn", () => {
  // Ensures the panel can show what was attached and the server's notes (trimmed history, tool limit).
  const s = run([
    { type: "started", chatId: "c", turnId: "t", user: "q" },
    { type: "delta", chatId: "c", turnId: "t", context: [{ source: "file", path: "app.py", tokens: 120 }, { bogus: 1 }] },
    { type: "delta", chatId: "c", turnId: "t", notice: "the 2 oldest turn(s) were left out" },
  ]);
  assert.deepEqual(s.threads.c[0].context, [{ source: "file", path: "app.py", tokens: 120, note: undefined }]);
  assert.deepEqual(s.threads.c[0].notices, ["the 2 oldest turn(s) were left out"]);
});
