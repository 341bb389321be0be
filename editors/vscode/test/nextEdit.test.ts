import { test } from "node:test";
import assert from "node:assert/strict";
import {
  acceptedArgument,
  afterText,
  editedLines,
  endAfterAccept,
  keepsPreview,
  pickEdit,
  placement,
  tabAction,
  type NextEdit,
} from "../src/nextEditModel";
import { formatStatus } from "../src/statusReport";

const URI = "file:///ws/scale.py";

function edit(sl: number, sc: number, el: number, ec: number, text: string, version = 3): NextEdit {
  return {
    range: { start: { line: sl, character: sc }, end: { line: el, character: ec } },
    text,
    textDocument: { uri: URI, version },
    command: { title: "accepted", command: "glm.nextEdit.accepted", arguments: [{ id: "n1" }] },
  };
}

test("only an edit for this document at this version is picked", () => {
  // Ensures an answer computed for an older text (the user typed meanwhile) or another document is never shown.
  const fresh = edit(2, 13, 2, 17, "length", 3);
  assert.deepEqual(pickEdit({ edits: [edit(2, 13, 2, 17, "length", 2), fresh] }, URI, 3), fresh);
  assert.equal(pickEdit({ edits: [{ ...fresh, textDocument: { uri: "file:///other.py", version: 3 } }] }, URI, 3), undefined);
  assert.equal(pickEdit({ edits: [] }, URI, 3), undefined);
  assert.equal(pickEdit(null, URI, 3), undefined);
  assert.equal(pickEdit({ edits: [edit(2, 17, 2, 13, "x")] }, URI, 3), undefined, "a range ending before its start");
  assert.equal(pickEdit({ edits: [{ range: fresh.range }] }, URI, 3), undefined, "no text");
});

test("an edit at the cursor that keeps what is typed is inline; others are decorations", () => {
  // Ensures VS Code's ghost text is used only where it can draw the edit (it extends the text left of the cursor).
  const line = "    result = size * factor";
  assert.equal(placement(edit(0, 13, 0, 17, "size_in"), { line: 0, character: 17 }, line), "inline");
  assert.equal(placement(edit(0, 13, 0, 17, "length"), { line: 0, character: 17 }, line), "decoration", "replaces typed text");
  assert.equal(placement(edit(0, 13, 0, 17, "length"), { line: 0, character: 13 }, line), "inline", "cursor at its start");
  assert.equal(placement(edit(2, 13, 2, 17, "length"), { line: 0, character: 15 }, line), "decoration", "another line");
  assert.equal(placement(edit(0, 13, 0, 17, "a\nb"), { line: 0, character: 13 }, line), "decoration", "new lines");
  assert.equal(placement(edit(0, 13, 0, 17, "size"), { line: 0, character: 13 }, line), "decoration", "no change");
});

test("Tab accepts on the edited lines and jumps from elsewhere", () => {
  // Ensures the Copilot-like two-step Tab: first to the edit, then apply it.
  assert.equal(tabAction(edit(2, 13, 2, 17, "length"), { line: 0, character: 15 }), "jump");
  assert.equal(tabAction(edit(2, 13, 2, 17, "length"), { line: 2, character: 0 }), "accept");
  assert.equal(tabAction(edit(2, 0, 4, 0, "x\n"), { line: 3, character: 1 }), "accept");
});

test("the preview stays between where it was shown and the edit", () => {
  // Ensures moving toward the suggestion keeps it and moving beyond drops it, as in the Neovim client.
  const e = edit(2, 13, 2, 17, "length");
  assert.equal(keepsPreview(e, 0, 1), true);
  assert.equal(keepsPreview(e, 0, 2), true);
  assert.equal(keepsPreview(e, 0, 3), false);
  assert.equal(keepsPreview(e, 2, 0), false);
});

test("previews and the cursor after accepting follow the edit's text", () => {
  // Ensures the after-text is one line, the hover shows the lines as edited, and the cursor lands at the inserted text's end.
  assert.equal(afterText("a\nb"), "a ⏎ b");
  assert.equal(afterText("x".repeat(100), 10), `${"x".repeat(9)}…`);
  assert.deepEqual(editedLines(["    result = size * factor"], edit(2, 13, 2, 17, "length")), ["    result = length * factor"]);
  assert.deepEqual(editedLines(["ab", "cd"], edit(0, 1, 1, 1, "X\nY")), ["aX", "Yd"]);
  assert.deepEqual(endAfterAccept(edit(2, 13, 2, 17, "length")), { line: 2, character: 19 });
  assert.deepEqual(endAfterAccept(edit(2, 13, 2, 17, "a\nbc")), { line: 3, character: 2 });
});

test("the accepted command's argument is the item's {id}", () => {
  // Ensures glm.nextEdit.accepted reaches the server with the id it handed out, and nothing is sent for other commands.
  assert.deepEqual(acceptedArgument(edit(0, 0, 0, 0, "x")), { id: "n1" });
  assert.equal(acceptedArgument({ ...edit(0, 0, 0, 0, "x"), command: undefined }), undefined);
  assert.equal(acceptedArgument({ ...edit(0, 0, 0, 0, "x"), command: { command: "other", arguments: [{ id: "n" }] } }), undefined);
});

test("the status report counts shown and accepted next edits when the server reports them", () => {
  // Ensures "GLM: Show Status" shows glm.status's nextEdit counters (and no line from a server without them).
  const facts = { state: "ready", keyInSecretStorage: true, extensionVersion: "0.1.0", editorVersion: "1.100.3" };
  assert.match(formatStatus(facts, { provider: "custom", nextEdit: { shown: 3, accepted: 1 } }), /next edit\s+3 shown, 1 accepted/);
  assert.doesNotMatch(formatStatus(facts, { provider: "custom" }), /next edit/);
});
