import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { buildServerSettings, needsRestart, serverEnvironment, SERVER_KEYS, userValue, type Inspected } from "../src/settings";

const inspector = (values: Record<string, Inspected>) => (key: string) => values[key];

test("only values the user set are sent, nested by their dots", () => {
  // Ensures contributed defaults never reach the server (they would hide config.toml and env).
  const out = buildServerSettings(
    inspector({
      provider: { defaultValue: "zai", globalValue: "custom" },
      model: { defaultValue: "glm-4.6" },
      "inline.enabled": { defaultValue: true, workspaceValue: false },
      "inline.debounceMs": { defaultValue: null as unknown as undefined, globalValue: 75 },
      "context.gitDiff": { defaultValue: true },
      exclude: { defaultValue: [], globalValue: ["*.secret"] },
    }),
  );
  assert.deepEqual(out, { provider: "custom", inline: { enabled: false, debounceMs: 75 }, exclude: ["*.secret"] });
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
  const out = buildServerSettings(inspector({ baseUrl: { globalValue: "  " }, "inline.model": { globalValue: "" }, "inline.maxTokens": { globalValue: null as unknown as undefined } }));
  assert.deepEqual(out, {});
});

test("the key never travels in settings; it goes to the server's environment", () => {
  // Ensures a glm.apiKey found in settings files is ignored, the settings sent over LSP (which a
  // trace would show) never hold a key, and the stored secret becomes GLM_API_KEY for the process.
  assert.deepEqual(buildServerSettings(inspector({ apiKey: { globalValue: "from-settings-file" } })), {});
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

test("package.json contributes every server key with a description and a default", () => {
  // Ensures the settings UI documents the whole protocol §2 table (apiKey excepted: secret storage).
  const pkg = JSON.parse(readFileSync("package.json", "utf8"));
  const props = pkg.contributes.configuration.properties as Record<string, { default?: unknown; description?: string; markdownDescription?: string }>;
  for (const key of SERVER_KEYS) {
    const prop = props[`glm.${key}`];
    assert.ok(prop, `glm.${key} is contributed`);
    assert.ok("default" in prop, `glm.${key} has a default`);
    assert.ok((prop.description ?? prop.markdownDescription ?? "").length > 10, `glm.${key} has a description`);
  }
  assert.equal(props["glm.apiKey"], undefined);
});
