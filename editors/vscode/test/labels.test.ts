import { test } from "node:test";
import assert from "node:assert/strict";
import { lineSpan } from "../src/labels";

test("line spans are 1-based and a range ending at column 0 stops on the line before", () => {
  // Ensures labels like "Explain app.py:1-2" match what the user selected (whole-line selections end at column 0 of the next line).
  assert.equal(lineSpan({ start: { line: 0, character: 0 }, end: { line: 1, character: 12 } }), "1-2");
  assert.equal(lineSpan({ start: { line: 0, character: 0 }, end: { line: 2, character: 0 } }), "1-2");
  assert.equal(lineSpan({ start: { line: 4, character: 2 }, end: { line: 4, character: 9 } }), "5");
  assert.equal(lineSpan({ start: { line: 4, character: 0 }, end: { line: 4, character: 0 } }), "5");
});
