import { test } from "node:test";
import assert from "node:assert/strict";
import { describe, resolveServerCommand, whichOn } from "../src/serverCommand";

const which = (found: Record<string, string>) => (name: string) => found[name];

test("the glm.serverPath setting wins over everything", () => {
  // Ensures an explicit setting is used even when the env override and PATH have a server.
  const cmd = resolveServerCommand({ serverPath: "/opt/glm-lsp", serverArgs: ["-v"], env: { GLM_LSP_PATH: "/env/glm-lsp" }, which: which({ "glm-lsp": "/usr/bin/glm-lsp" }) });
  assert.deepEqual(cmd, { command: "/opt/glm-lsp", args: ["-v"], source: "setting" });
});

test("GLM_LSP_PATH overrides the automatic choice", () => {
  // Ensures tests can point the extension at a venv's server through the environment.
  const cmd = resolveServerCommand({ serverPath: "", env: { GLM_LSP_PATH: "/venv/bin/glm-lsp" }, which: which({ "glm-lsp": "/usr/bin/glm-lsp" }) });
  assert.deepEqual(cmd, { command: "/venv/bin/glm-lsp", args: [], source: "env" });
});

test("glm-lsp on PATH, then the private venv, then nothing (install)", () => {
  // Ensures the documented discovery order: a glm-lsp on PATH beats the extension's own venv,
  // the venv's server is used when it is current, and a Python on PATH alone is not a server
  // (undefined means the bundled wheel gets installed).
  const venv = "/storage/server-venv/bin/glm-lsp";
  assert.equal(resolveServerCommand({ env: {}, privateServer: venv, which: which({ "glm-lsp": "/usr/bin/glm-lsp" }) })?.source, "path");
  assert.deepEqual(resolveServerCommand({ env: {}, serverArgs: ["-v"], privateServer: venv, which: which({ python3: "/usr/bin/python3" }) }), {
    command: venv,
    args: ["-v"],
    source: "venv",
  });
  assert.equal(resolveServerCommand({ env: {}, which: which({ python3: "/usr/bin/python3", python: "/usr/bin/python" }) }), undefined);
});

test("the setting and GLM_LSP_PATH win over the private venv", () => {
  // Ensures a user's explicit choice is never replaced by the installed copy.
  const venv = "/storage/server-venv/bin/glm-lsp";
  assert.equal(resolveServerCommand({ serverPath: "/opt/glm-lsp", env: {}, privateServer: venv, which: which({}) })?.source, "setting");
  assert.equal(resolveServerCommand({ env: { GLM_LSP_PATH: "/e/glm-lsp" }, privateServer: venv, which: which({}) })?.source, "env");
});

test("whichOn searches PATH entries in order", () => {
  // Ensures the first executable match wins and explicit paths are checked as given.
  const exe = new Set(["/b/glm-lsp", "/c/glm-lsp", "/x/y"]);
  assert.equal(whichOn("glm-lsp", "/a:/b:/c", (f) => exe.has(f), "linux"), "/b/glm-lsp");
  assert.equal(whichOn("glm-lsp", "/a", (f) => exe.has(f), "linux"), undefined);
  assert.equal(whichOn("/x/y", "", (f) => exe.has(f), "linux"), "/x/y");
});

test("describe quotes arguments with spaces", () => {
  // Ensures the status output shows a command the user can paste.
  assert.equal(describe({ command: "/my dir/glm-lsp", args: ["-v"], source: "venv" }), '"/my dir/glm-lsp" -v');
});
