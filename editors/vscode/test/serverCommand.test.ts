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

test("glm-lsp on PATH, then python -m glm_lsp, then nothing", () => {
  // Ensures the documented fallback order and a clear 'nothing found' result.
  assert.equal(resolveServerCommand({ env: {}, which: which({ "glm-lsp": "/usr/bin/glm-lsp", python3: "/usr/bin/python3" }) })?.source, "path");
  assert.deepEqual(resolveServerCommand({ env: {}, serverArgs: ["-v"], which: which({ python: "/usr/bin/python" }) }), {
    command: "/usr/bin/python",
    args: ["-m", "glm_lsp", "-v"],
    source: "python",
  });
  assert.equal(resolveServerCommand({ env: {}, which: which({}) }), undefined);
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
  assert.equal(describe({ command: "/my dir/python", args: ["-m", "glm_lsp"], source: "python" }), '"/my dir/python" -m glm_lsp');
});
