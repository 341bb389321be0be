import { test } from "node:test";
import assert from "node:assert/strict";
import {
  acceptAllFiles,
  canUndo,
  cardUri,
  carryCards,
  diffCounts,
  hasOpenFiles,
  listedCard,
  newCard,
  parseProposal,
  progressLine,
  tokens,
  updateCard,
  type Proposal,
} from "../src/chat/proposals";
import { activeTurns, initialState, reduce, type ChatAction, type ChatState } from "../src/chat/state";

const A = "file:///ws/src/a.py";
const B = "file:///ws/src/b.py";
const N = "file:///ws/src/new.py";

const PROPOSAL = {
  chatId: "c1",
  turnId: "t1",
  proposalId: "p1",
  files: [
    { uri: A, path: "src/a.py", change: "edit", diff: "--- a/src/a.py\n+++ b/src/a.py\n@@ -1,2 +1,2 @@\n x = 1\n-y = 2\n+y = 3\n", text: "x = 1\ny = 3\n", version: 4 },
    { uri: B, path: "src/b.py", change: "edit", diff: "--- a/src/b.py\n+++ b/src/b.py\n@@ -1 +1,2 @@\n-old\n+new\n+more\n", text: "new\nmore\n", version: null },
    { uri: N, path: "src/new.py", change: "create", diff: "--- /dev/null\n+++ b/src/new.py\n@@ -0,0 +1 @@\n+NEW = 1\n", text: "NEW = 1\n" },
  ],
};

const proposal = (): Proposal => parseProposal(PROPOSAL)!;

test("a proposal is parsed and its card counts added and removed lines per file", () => {
  // Ensures the card shows each file with kind and +/− counts from the unified diff (headers not counted).
  const card = newCard(proposal());
  assert.deepEqual(
    card.files.map((f) => [f.path, f.change, f.added, f.removed, f.state]),
    [
      ["src/a.py", "edit", 1, 1, "pending"],
      ["src/b.py", "edit", 2, 1, "pending"],
      ["src/new.py", "create", 1, 0, "pending"],
    ],
  );
  assert.equal(card.state, "open");
  assert.deepEqual(diffCounts("--- a/x\n+++ b/x\n"), { added: 0, removed: 0 });
});

test("malformed proposals and files are dropped, not trusted", () => {
  // Ensures a payload without ids is ignored and a file with an unknown change kind is skipped.
  assert.equal(parseProposal({ files: [] }), undefined);
  assert.equal(parseProposal(null), undefined);
  const p = parseProposal({ ...PROPOSAL, files: [{ uri: A, change: "format" }, { uri: B, change: "delete" }, 7] })!;
  assert.deepEqual(p.files.map((f) => [f.uri, f.change, f.path]), [[B, "delete", B]]);
});

test("Accept on one file marks it applied; Accept all then names only the files left", () => {
  // Ensures a per-file accept leaves the others pending, and Accept all sends the rest by URI
  // (no `files` at all while every file is pending).
  let card = newCard(proposal());
  assert.equal(acceptAllFiles(card), undefined);
  card = updateCard(card, { kind: "applied", applied: [A], refused: [] });
  assert.deepEqual(card.files.map((f) => f.state), ["applied", "pending", "pending"]);
  assert.equal(card.state, "open");
  assert.deepEqual(acceptAllFiles(card), [B, N]);
  assert.ok(canUndo(card));
});

test("a refused file keeps the server's reason and stays open for another try", () => {
  // Ensures the card shows why a file was refused (e.g. changed since the proposal) and the
  // applied ones are marked; the card remains open while a refused file is left.
  let card = newCard(proposal());
  card = updateCard(card, { kind: "applied", applied: [A, N], refused: [{ uri: B, reason: "src/b.py changed since the proposal" }] });
  const b = card.files[1];
  assert.equal(b.state, "refused");
  assert.equal(b.reason, "src/b.py changed since the proposal");
  assert.equal(card.message, "2 files applied, 1 refused");
  assert.ok(hasOpenFiles(card));
  assert.deepEqual(acceptAllFiles(card), [B]);
});

test("a per-file reject is left out of Accept all; rejecting every file closes the card", () => {
  // Ensures Reject on a file hides it from Accept all and that nothing applied means "discarded".
  let card = newCard(proposal());
  card = updateCard(card, { kind: "rejected", uris: [B] });
  assert.deepEqual(acceptAllFiles(card), [A, N]);
  card = updateCard(card, { kind: "rejected", uris: [A, N] });
  assert.equal(hasOpenFiles(card), false);
  card = updateCard(card, { kind: "discarded" });
  assert.equal(card.state, "discarded");
  assert.equal(canUndo(card), false);
});

test("undo marks restored files and keeps the ones it could not restore with the reason", () => {
  // Ensures Undo's answer lands in the card: restored files, and a file changed since the apply kept.
  let card = updateCard(newCard(proposal()), { kind: "applied", applied: [A, B, N], refused: [] });
  assert.equal(card.state, "closed");
  card = updateCard(card, { kind: "undone", restored: [A, N], refused: [{ uri: B, reason: "changed since the apply" }] });
  assert.deepEqual(card.files.map((f) => f.state), ["restored", "kept", "restored"]);
  assert.equal(card.state, "undone");
  assert.equal(canUndo(card), false);
  assert.match(card.message ?? "", /2 files restored, 1 kept/);
});

test("a rename named by its new URI maps back to the card's file", () => {
  // Ensures a restored or refused rename (the server may name either URI) finds its row.
  const p = parseProposal({ ...PROPOSAL, files: [{ uri: A, newUri: B, path: "src/a.py", newPath: "src/b.py", change: "rename", diff: "" }] })!;
  assert.equal(cardUri(p, B), A);
  assert.equal(cardUri(p, N), N);
});

test("the reducer puts the card under its turn and updates it by proposal id", () => {
  // Ensures glm/chat/proposal and later updates reach the right turn in host and webview alike,
  // and that a history reload keeps the card on the turn with the same message.
  const actions: ChatAction[] = [
    { type: "started", chatId: "c1", turnId: "t1", user: "bump it" },
    { type: "select", chatId: "c1" },
    { type: "progress", chatId: "c1", turnId: "t1", line: "step 1/8" },
    { type: "proposal", chatId: "c1", turnId: "t1", card: newCard(proposal()) },
    { type: "proposalUpdate", proposalId: "p1", update: { kind: "busy" } },
    { type: "proposalUpdate", proposalId: "p1", update: { kind: "applied", applied: [A], refused: [] } },
  ];
  let s: ChatState = actions.reduce(reduce, initialState());
  const turn = activeTurns(s)[0];
  assert.equal(turn.progress, "step 1/8");
  assert.equal(turn.proposal?.busy, false);
  assert.equal(turn.proposal?.files[0].state, "applied");
  s = reduce(s, { type: "history", chatId: "c1", messages: [{ role: "user", content: "bump it" }, { role: "assistant", content: "Done." }] });
  assert.equal(activeTurns(s)[0].proposal?.files[0].state, "applied");
  assert.equal(reduce(s, { type: "proposalUpdate", proposalId: "other", update: { kind: "busy" } }), s);
});

test("carryCards matches cards to the same messages from the end", () => {
  // Ensures a repeated message gets the card of its own (later) turn, not the earlier one's.
  const card = newCard(proposal());
  const before = [{ user: "fix" }, { user: "fix", proposal: card }];
  const out = carryCards(before, [{ user: "fix" }, { user: "fix" }, { user: "other" }]);
  assert.deepEqual(out.map((t) => t.proposal?.proposalId), [undefined, "p1", undefined]);
});

test("the progress line shows step, tokens against the budget and the activity", () => {
  // Ensures glm/chat/progress renders as "step 2/8 · 3.1k/200k tokens · editing src/a.py".
  assert.equal(
    progressLine({ chatId: "c", turnId: "t", step: 2, maxSteps: 8, tokens: 3100, tokenBudget: 200000, activity: "editing src/a.py" }),
    "step 2/8 · 3.1k/200k tokens · editing src/a.py",
  );
  assert.equal(progressLine({ step: 1, tokens: 950 }), "step 1 · 950 tokens");
  assert.equal(progressLine({}), undefined);
  assert.equal(tokens(1_500_000), "1.5M");
  assert.equal(tokens(12_345), "12.3k");
});

test("a glm.chat.proposals entry becomes a card with the server's states", () => {
  // Ensures a reloaded or automatically applied proposal shows what the server did per file.
  const files = PROPOSAL.files.map((f, i) => ({ ...f, state: ["applied", "pending", "discarded"][i] }));
  const got = listedCard({ ...PROPOSAL, state: "pending", files })!;
  assert.deepEqual(got.card.files.map((f) => f.state), ["applied", "pending", "rejected"]);
  assert.equal(got.card.state, "open");
  assert.deepEqual(acceptAllFiles(got.card), [B]);
  const undone = listedCard({ ...PROPOSAL, state: "undone", files: files.map((f) => ({ ...f, state: "undone" })) })!;
  assert.equal(undone.card.state, "undone");
  assert.equal(canUndo(undone.card), false);
  const applied = listedCard({ ...PROPOSAL, state: "applied", files: files.map((f) => ({ ...f, state: "applied" })) })!;
  assert.equal(applied.card.state, "closed");
  assert.ok(canUndo(applied.card));
  assert.equal(listedCard({ state: "pending" }), undefined);
});

test("history turns carry their turn ids, and a running turn is not shown twice", () => {
  // Ensures a reloaded chat's turns can take their cards by turn id, and that the stored copy
  // of a turn still streaming does not duplicate the live one.
  const start: ChatAction[] = [
    { type: "started", chatId: "c1", turnId: "t2", user: "second" },
    { type: "select", chatId: "c1" },
  ];
  let s: ChatState = start.reduce(reduce, initialState());
  s = reduce(s, {
    type: "history",
    chatId: "c1",
    messages: [
      { role: "user", content: "first", turnId: "t1" },
      { role: "assistant", content: "ok", turnId: "t1" },
      { role: "user", content: "second", turnId: "t2" },
    ],
  });
  assert.deepEqual(activeTurns(s).map((t) => [t.turnId, t.user, t.status]), [["t1", "first", "done"], ["t2", "second", "streaming"]]);
  s = reduce(s, { type: "proposal", chatId: "c1", turnId: "t1", card: newCard(proposal()) });
  assert.equal(activeTurns(s)[0].proposal?.proposalId, "p1");
});
