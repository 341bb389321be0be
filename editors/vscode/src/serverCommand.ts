// Decides which process to start as the language server. Pure: the file system lookup is passed in.

import * as path from "node:path";

export interface ServerCommand {
  command: string;
  args: string[];
  /** Where the choice came from, shown in the status output. */
  source: "setting" | "env" | "path" | "venv";
}

export interface ResolveInput {
  /** `glm.serverPath`: an executable path or a name on PATH; empty means automatic. */
  serverPath?: string;
  /** `glm.serverArgs`: extra arguments appended to the command. */
  serverArgs?: readonly string[];
  /** The extension host's environment (`GLM_LSP_PATH` overrides the automatic choice). */
  env: Record<string, string | undefined>;
  /** Returns the full path of an executable found on PATH, or undefined. */
  which: (name: string) => string | undefined;
  /** The private venv's `glm-lsp` when it is installed and current, else undefined. */
  privateServer?: string;
}

export const ENV_OVERRIDE = "GLM_LSP_PATH";

/**
 * Order: `glm.serverPath` setting, then `$GLM_LSP_PATH`, then `glm-lsp` on PATH, then the
 * private venv in the extension's global storage. Undefined means: install the bundled wheel.
 */
export function resolveServerCommand(input: ResolveInput): ServerCommand | undefined {
  const extra = [...(input.serverArgs ?? [])];
  const configured = input.serverPath?.trim();
  if (configured) {
    return { command: configured, args: extra, source: "setting" };
  }
  const fromEnv = input.env[ENV_OVERRIDE]?.trim();
  if (fromEnv) {
    return { command: fromEnv, args: extra, source: "env" };
  }
  const onPath = input.which("glm-lsp");
  if (onPath) {
    return { command: onPath, args: extra, source: "path" };
  }
  if (input.privateServer) {
    return { command: input.privateServer, args: extra, source: "venv" };
  }
  return undefined;
}

/** Looks `name` up on a PATH string; `isExecutable` checks one candidate file. */
export function whichOn(
  name: string,
  pathVar: string | undefined,
  isExecutable: (file: string) => boolean,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  if (name.includes("/") || name.includes("\\")) {
    return isExecutable(name) ? name : undefined;
  }
  const exts = platform === "win32" ? [".exe", ".cmd", ".bat", ""] : [""];
  const sep = platform === "win32" ? ";" : ":";
  for (const dir of (pathVar ?? "").split(sep)) {
    if (!dir) {
      continue;
    }
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      if (isExecutable(candidate)) {
        return candidate;
      }
    }
  }
  return undefined;
}

/** A one-line, shell-like rendering of the command for messages. */
export function describe(cmd: ServerCommand): string {
  return [cmd.command, ...cmd.args].map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(" ");
}
