import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { buildServerSettings, needsRestart, sectionKeys, serverEnvironment, userValue, type Inspected, type JsonObject } from "../src/settings";

const inspector = (values: Record<string, Inspected>) => (key: string) => values[key];

/** The `glm` section as VS Code merges it (most specific value, else the default), nested by
 * the keys' dots, with the methods a WorkspaceConfiguration carries. */
function sectionOf(values: Record<string, Inspected>): JsonObject {
  const section: JsonObject = { get: () => undefined, inspect: () => undefined, has: () => false, update: async () => {} };
  for (const [key, inspected] of Object.entries(values)) {
    const parts = key.split(".");
    let node = section;
    for (const part of parts.slice(0, -1)) {
      node = (node[part] ??= {}) as JsonObject;
    }
    node[parts[parts.length - 1]] = userValue(inspected) ?? inspected.defaultValue ?? null;
  }
  return section;
}

const build = (values: Record<string, Inspected>) => buildServerSettings(sectionOf(values), inspector(values));

test("only values the user set are sent, nested by their dots", () => {
  // Ensures contributed defaults never reach the server (they would hide config.toml and env).
  const out = build({
    provider: { defaultValue: "zai", globalValue: "custom" },
    model: { defaultValue: "glm-4.6" },
    "inline.enabled": { defaultValue: true, workspaceValue: false },
    "inline.debounceMs": { defaultValue: null as unknown as undefined, globalValue: 75 },
    "context.gitDiff": { defaultValue: true },
    exclude: { defaultValue: [], globalValue: ["*.secret"] },
  });
  assert.deepEqual(out, { provider: "custom", inline: { enabled: false, debounceMs: 75 }, exclude: ["*.secret"] });
});

test("the whole glm section is forwarded, minus what only the extension reads", () => {
  // Ensures a server setting the extension does not know by name still reaches the server, while
  // serverPath, serverArgs, trace.server and apiKey never do.
  const out = build({
    "chat.newServerOption": { globalValue: 3 },
    "inline.model": { globalValue: "glm-4.5-air" },
    serverPath: { globalValue: "/opt/glm-lsp" },
    serverArgs: { globalValue: ["--verbose"] },
    "trace.server": { defaultValue: "off", globalValue: "verbose" },
    apiKey: { globalValue: "from-settings-file" },
  });
  assert.deepEqual(out, { chat: { newServerOption: 3 }, inline: { model: "glm-4.5-air" } });
  assert.deepEqual(sectionKeys({ a: { b: 1, c: [1, 2] }, d: null, get: () => 1, trace: { server: "off" } }), ["a.b", "a.c", "d"]);
});

test("the most specific scope wins", () => {
  // Ensures folder settings override workspace settings, which override user settings.
  assert.equal(userValue({ globalValue: "a", workspaceValue: "b", workspaceFolderValue: "c" }), "c");
  assert.equal(userValue({ globalValue: "a", workspaceValue: "b" }), "b");
  assert.equal(userValue({ globalValue: "a" }), "a");
  assert.equal(userValue({ defaultValue: "d" }), undefined);
});

test("empty strings and nulls mean: let the server decide", () => {
  // Ensures an emptied text box does not send "" as a base URL or model.
  const out = build({ baseUrl: { globalValue: "  " }, "inline.model": { globalValue: "" }, "inline.maxTokens": { globalValue: null as unknown as undefined } });
  assert.deepEqual(out, {});
});

test("the key never travels in settings; it goes to the server's environment", () => {
  // Ensures a glm.apiKey found in settings files is ignored, the settings sent over LSP (which a
  // trace would show) never hold a key, and the stored secret becomes GLM_API_KEY for the process.
  assert.deepEqual(build({ apiKey: { globalValue: "from-settings-file" } }), {});
  const env = serverEnvironment({ PATH: "/bin", GLM_API_KEY: "from-shell" }, "sk-secret");
  assert.deepEqual(env, { PATH: "/bin", GLM_API_KEY: "sk-secret" });
  assert.deepEqual(serverEnvironment({ PATH: "/bin" }, undefined), { PATH: "/bin" });
});

test("only client keys need a new server process", () => {
  // Ensures a model change is pushed live while a serverPath change restarts the server.
  assert.equal(needsRestart((s) => s === "glm.serverPath"), true);
  assert.equal(needsRestart((s) => s === "glm.serverArgs"), true);
  assert.equal(needsRestart((s) => s === "glm.model" || s === "glm"), false);
});

test("package.json contributes every setting with a description and a default", () => {
  // Ensures the settings UI documents every key (apiKey excepted: secret storage). That the keys
  // are exactly the server's is checked against the server in tests/unit/test_editor_manifests.py.
  const pkg = JSON.parse(readFileSync("package.json", "utf8"));
  const props = pkg.contributes.configuration.properties as Record<string, { default?: unknown; description?: string; markdownDescription?: string }>;
  assert.ok(Object.keys(props).length > 10);
  for (const name of Object.keys(props)) {
    const key = name.replace(/^glm\./, "");
    const prop = props[name];
    assert.ok(name.startsWith("glm."), `${name} is under glm.`);
    assert.ok("default" in prop, `glm.${key} has a default`);
    assert.ok((prop.description ?? prop.markdownDescription ?? "").length > 10, `glm.${key} has a description`);
  }
  assert.equal(props["glm.apiKey"], undefined);
});
