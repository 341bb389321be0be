import { test } from "node:test";
import assert from "node:assert/strict";
import { parseStatus, statusView } from "../src/statusView";
import { formatStatus } from "../src/statusReport";

test("ready shows the model, busy spins", () => {
  // Ensures the status bar text follows glm/status states.
  assert.equal(statusView({ state: "ready", model: "glm-4.6" }).text, "$(sparkle) glm-4.6");
  assert.equal(statusView({ state: "busy", model: "glm-4.6" }).text, "$(loading~spin) glm-4.6");
  assert.equal(statusView({ state: "ready" }).background, undefined);
});

test("unconfigured is a warning with a remedy", () => {
  // Ensures a missing key is visible (warning icon and background) and says how to fix it.
  const view = statusView({ state: "unconfigured", message: "no API key: set GLM_API_KEY", model: "glm-4.6" });
  assert.match(view.text, /^\$\(warning\)/);
  assert.equal(view.background, "statusBarItem.warningBackground");
  assert.match(view.tooltip, /GLM: Set API Key/);
  assert.match(view.tooltip, /no API key: set GLM_API_KEY/);
  assert.match(view.ariaLabel, /warning/);
});

test("errors are red and carry the message", () => {
  // Ensures the error state is distinguishable and explains itself.
  const view = statusView({ state: "error", message: "401 from upstream" });
  assert.equal(view.background, "statusBarItem.errorBackground");
  assert.match(view.tooltip, /401 from upstream/);
});

test("malformed notifications are ignored", () => {
  // Ensures a bad payload cannot put the item into an unknown state.
  assert.equal(parseStatus(null), undefined);
  assert.equal(parseStatus({ state: "sleeping" }), undefined);
  assert.deepEqual(parseStatus({ state: "busy", message: "" }), { state: "busy", message: undefined });
  assert.deepEqual(parseStatus({ state: "unconfigured", message: "no key" }), { state: "unconfigured", message: "no key" });
});

test("the status report shows server facts but never a key", () => {
  // Ensures Show Status prints the glm.status result and a remedy without secrets.
  const text = formatStatus(
    { serverCommand: "glm-lsp", serverSource: "path", state: "unconfigured", keyInSecretStorage: false, extensionVersion: "0.1.0", editorVersion: "1.100.3" },
    { provider: "custom", model: "glm-4.6", baseUrl: "http://127.0.0.1:1/v1", keyPresent: false, usage: { requests: 2, promptTokens: 1200, completionTokens: 30, cachedTokens: 0, costUsd: 0.0012 } },
  );
  assert.match(text, /provider\s+custom/);
  assert.match(text, /tokens\s+1,200 prompt, 30 completion, 0 cached/);
  assert.match(text, /\$0\.0012/);
  assert.match(text, /GLM: Set API Key/);
  assert.doesNotMatch(text, /sk-/);
});
