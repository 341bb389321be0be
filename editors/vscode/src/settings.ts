// Maps VS Code's `glm.*` settings onto the server's `glm` settings object (protocol §2).
// The whole `glm` section is forwarded (no list of server keys here: the server validates and
// reports unknown keys), minus what only the extension reads. Only values the user actually set
// are sent: the contributed defaults are documentation, and sending them would hide the
// server's lower sources (config.toml, environment).
// No `vscode` import, so the mapping is unit-tested in plain node.

/** Keys that only the extension reads and that need a new server process when they change. */
export const CLIENT_KEYS = ["serverPath", "serverArgs"] as const;

/** Keys (and key prefixes) never sent to the server: the extension's own, vscode-languageclient's
 * `trace.server`, and `apiKey` (the key travels in the process environment only). */
export const LOCAL_KEYS = [...CLIENT_KEYS, "trace", "apiKey"] as const;

/** The subset of `WorkspaceConfiguration.inspect()` that we read. */
export interface Inspected<T = unknown> {
  defaultValue?: T;
  globalValue?: T;
  workspaceValue?: T;
  workspaceFolderValue?: T;
}

export type JsonObject = { [key: string]: unknown };

/** The value the user set at the most specific scope, or undefined when only the default applies. */
export function userValue<T>(inspected: Inspected<T> | undefined): T | undefined {
  if (!inspected) {
    return undefined;
  }
  return inspected.workspaceFolderValue ?? inspected.workspaceValue ?? inspected.globalValue;
}

function isUnset(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === "string" && value.trim() === "");
}

function setDotted(target: JsonObject, dotted: string, value: unknown): void {
  const parts = dotted.split(".");
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (typeof next !== "object" || next === null || Array.isArray(next)) {
      node[part] = {};
    }
    node = node[part] as JsonObject;
  }
  node[parts[parts.length - 1]] = value;
}

function isLocal(key: string): boolean {
  return LOCAL_KEYS.some((local) => key === local || key.startsWith(`${local}.`));
}

function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Dotted keys of the leaves of a configuration section (arrays are leaves; methods such as
 * `get` and `inspect` of a `WorkspaceConfiguration` are skipped), minus the local keys. */
export function sectionKeys(section: object, prefix = ""): string[] {
  const keys: string[] = [];
  for (const [name, value] of Object.entries(section)) {
    const key = prefix + name;
    if (typeof value === "function" || isLocal(key)) {
      continue;
    }
    if (isPlainObject(value)) {
      keys.push(...sectionKeys(value, `${key}.`));
    } else {
      keys.push(key);
    }
  }
  return keys;
}

/**
 * Builds the server's `glm` object from the user's explicit settings in the `glm` section.
 *
 * `section` is the section as VS Code merges it (`getConfiguration("glm")`: contributed
 * defaults and user values); `inspect(key)` returns VS Code's inspection for `glm.<key>`, which
 * tells a user value from a default. Empty strings and nulls mean "let the server decide" and
 * are dropped. The key never travels in settings (an LSP trace would show it): any `glm.apiKey`
 * in settings files is ignored and the stored secret goes to the server process's environment
 * instead (`serverEnvironment`).
 */
export function buildServerSettings(section: object, inspect: (key: string) => Inspected | undefined): JsonObject {
  const out: JsonObject = {};
  for (const key of sectionKeys(section)) {
    const value = userValue(inspect(key));
    if (!isUnset(value)) {
      setDotted(out, key, value);
    }
  }
  return out;
}

/** The server process's environment: the stored key, when there is one, as GLM_API_KEY. */
export function serverEnvironment(
  base: Record<string, string | undefined>,
  apiKey: string | undefined,
): Record<string, string | undefined> {
  return apiKey ? { ...base, GLM_API_KEY: apiKey } : { ...base };
}


/** True when a configuration change needs a new server process (not just a settings push). */
export function needsRestart(affects: (section: string) => boolean): boolean {
  return CLIENT_KEYS.some((key) => affects(`glm.${key}`));
}
