import { test } from "node:test";
import assert from "node:assert/strict";
import { editRefusal } from "../src/commandResults";

test("an edit command's refusal is read from the answer's shape", () => {
  // Ensures the reason of `{applied: false, reason}` is shown for every edit command without a
  // list of their names, and that no other answer is taken for a refusal.
  assert.equal(editRefusal({ applied: false, reason: "the file is excluded" }), "the file is excluded");
  assert.equal(editRefusal({ applied: true }), undefined);
  assert.equal(editRefusal({ applied: false }), undefined);
  assert.equal(editRefusal({ applied: [], refused: [{ uri: "file:///a", reason: "changed" }] }), undefined);
  assert.equal(editRefusal({ uri: null, reason: "no test file" }), undefined);
  assert.equal(editRefusal({ chatId: "c", turnId: "t" }), undefined);
  assert.equal(editRefusal(null), undefined);
  assert.equal(editRefusal("applied"), undefined);
});
