// The pure half of the first-run install: where the private venv lives, which bundled wheel to
// install, whether the installed one is current, which Python to try and how to read its answer.
// The process spawning and the UI live in serverSetup.ts.

import * as path from "node:path";

/** Python versions older than this cannot run glm-lsp. */
export const MIN_PYTHON: readonly [number, number] = [3, 10];

/** What the install step leaves next to the venv; a different bundled version means reinstall. */
export interface InstallMarker {
  version: string;
  wheel: string;
  python: string;
}

export interface VenvLayout {
  /** The venv folder inside the extension's global storage. */
  dir: string;
  python: string;
  server: string;
  marker: string;
}

export function venvLayout(storageDir: string, platform: NodeJS.Platform = process.platform): VenvLayout {
  const p = platform === "win32" ? path.win32 : path.posix;
  const dir = p.join(storageDir, "server-venv");
  const bin = platform === "win32" ? p.join(dir, "Scripts") : p.join(dir, "bin");
  const exe = platform === "win32" ? ".exe" : "";
  return {
    dir,
    python: p.join(bin, `python${exe}`),
    server: p.join(bin, `glm-lsp${exe}`),
    marker: p.join(storageDir, "server-install.json"),
  };
}

/** The version in a wheel's file name (`glm_lsp-0.2.0-py3-none-any.whl` -> `0.2.0`). */
export function wheelVersion(fileName: string): string | undefined {
  const match = /^glm_lsp-([^-]+)-.+\.whl$/.exec(path.basename(fileName));
  return match?.[1];
}

/** The newest glm-lsp wheel among a folder's file names, or undefined. */
export function pickBundledWheel(fileNames: readonly string[]): string | undefined {
  const wheels = fileNames.filter((f) => wheelVersion(f) !== undefined);
  wheels.sort((a, b) => compareVersions(wheelVersion(b)!, wheelVersion(a)!));
  return wheels[0];
}

/**
 * Orders two version strings by their release numbers (`0.10.0` > `0.9.1`, `1.0` == `1.0.0`); a
 * pre-release or local suffix (`1.0.0rc1`, `0.1.0+g123`) sorts before the plain release and
 * otherwise by its text. Negative, zero or positive like a sort comparator.
 */
export function compareVersions(a: string, b: string): number {
  const [relA, restA] = splitRelease(a);
  const [relB, restB] = splitRelease(b);
  for (let i = 0; i < Math.max(relA.length, relB.length); i++) {
    const diff = (relA[i] ?? 0) - (relB[i] ?? 0);
    if (diff !== 0) {
      return diff;
    }
  }
  if (restA === restB) {
    return 0;
  }
  if (restA === "") {
    return 1;
  }
  if (restB === "") {
    return -1;
  }
  return restA < restB ? -1 : 1;
}

function splitRelease(version: string): [number[], string] {
  const match = /^v?(\d+(?:\.\d+)*)(.*)$/.exec(version.trim());
  if (!match) {
    return [[], version.trim()];
  }
  return [match[1].split(".").map(Number), match[2]];
}

/** True when the private venv must be (re)installed from the bundled wheel. */
export function needsInstall(
  marker: InstallMarker | undefined,
  bundledVersion: string,
  serverExists: boolean,
): boolean {
  return !serverExists || marker === undefined || compareVersions(marker.version, bundledVersion) !== 0;
}

/** Narrows the marker file's untrusted JSON. */
export function parseMarker(text: string | undefined): InstallMarker | undefined {
  if (!text) {
    return undefined;
  }
  try {
    const value = JSON.parse(text) as Partial<InstallMarker> | null;
    if (value && typeof value.version === "string" && typeof value.wheel === "string" && typeof value.python === "string") {
      return { version: value.version, wheel: value.wheel, python: value.python };
    }
  } catch {
    // A broken marker is as good as none: reinstall.
  }
  return undefined;
}

export interface PythonSources {
  /** The interpreter the Python extension (ms-python.python) has selected, when it is installed. */
  pythonExtension?: string;
  /** The `python.defaultInterpreterPath` setting. */
  defaultInterpreterPath?: string;
  /** Returns the full path of an executable found on PATH, or undefined. */
  which: (name: string) => string | undefined;
}

/** Interpreters to try, best first, without duplicates. */
export function pythonCandidates(sources: PythonSources): string[] {
  const found: string[] = [];
  const add = (candidate: string | undefined) => {
    const value = candidate?.trim();
    if (value && !found.includes(value)) {
      found.push(value);
    }
  };
  add(sources.pythonExtension);
  const configured = sources.defaultInterpreterPath?.trim();
  // "python" is the setting's default: it means "whatever is on PATH", looked up below.
  if (configured && configured !== "python") {
    add(configured.includes("/") || configured.includes("\\") ? configured : sources.which(configured));
  }
  for (const name of ["python3", "python"]) {
    add(sources.which(name));
  }
  return found;
}

/** The probe each candidate runs; it prints `<major>.<minor>.<micro> <venv usable 0|1>`. */
export const PYTHON_PROBE =
  "import sys\ntry:\n import venv, ensurepip\n ok = 1\nexcept ImportError:\n ok = 0\nprint('%d.%d.%d %d' % (sys.version_info[:3] + (ok,)))";

export interface PythonProbe {
  version: [number, number, number];
  canCreateVenv: boolean;
}

export function parseProbe(output: string): PythonProbe | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+) ([01])\s*$/m.exec(output);
  if (!match) {
    return undefined;
  }
  return {
    version: [Number(match[1]), Number(match[2]), Number(match[3])],
    canCreateVenv: match[4] === "1",
  };
}

export function isSupported(version: readonly number[]): boolean {
  const [major, minor] = version;
  return major > MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor >= MIN_PYTHON[1]);
}

/** The last `count` non-empty lines of a process log, for an error message. */
export function lastLines(log: string, count: number): string {
  return log
    .split(/\r?\n/)
    .filter((line) => line.trim() !== "")
    .slice(-count)
    .join("\n");
}

/** A short progress line for pip's output line, or undefined for lines not worth showing. */
export function pipProgress(line: string): string | undefined {
  const match = /^\s*(Collecting|Downloading|Installing collected packages|Successfully installed|Processing)\b\s*(.*)$/.exec(line);
  if (!match) {
    return undefined;
  }
  const detail = match[2].replace(/\s*\(.*\)\s*$/, "").trim();
  const short = detail.length > 60 ? `${detail.slice(0, 57)}…` : detail;
  return short ? `${match[1]}${short.startsWith(":") ? "" : " "}${short}` : match[1];
}
