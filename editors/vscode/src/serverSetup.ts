// First run: installs the server wheel bundled in the .vsix into a private venv in the
// extension's global storage, with a cancellable progress notification and the pip log in the
// GLM output channel. The decisions (paths, versions, candidates) are in serverInstall.ts.

import * as cp from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as vscode from "vscode";
import {
  MIN_PYTHON,
  PYTHON_PROBE,
  isSupported,
  lastLines,
  needsInstall,
  parseMarker,
  parseProbe,
  pickBundledWheel,
  pipProgress,
  pythonCandidates,
  venvLayout,
  wheelVersion,
  type InstallMarker,
  type VenvLayout,
} from "./serverInstall";

const PYTHON_DOWNLOADS = "https://www.python.org/downloads/";
const MIN = `${MIN_PYTHON[0]}.${MIN_PYTHON[1]}`;
const LOCK_STALE_MS = 10 * 60 * 1000;

interface RunResult {
  code: number | null;
  output: string;
  cancelled: boolean;
}

interface FoundPython {
  executable: string;
  version: string;
}

export class ServerSetup {
  private readonly layout: VenvLayout;
  private readonly wheelDir: string;

  constructor(
    context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
    private readonly which: (name: string) => string | undefined,
    private readonly retry: () => void,
  ) {
    this.layout = venvLayout(context.globalStorageUri.fsPath);
    this.wheelDir = path.join(context.extensionPath, "server");
  }

  /** The bundled wheel's full path, when this build of the extension carries one. */
  bundledWheel(): string | undefined {
    const names = fs.existsSync(this.wheelDir) ? fs.readdirSync(this.wheelDir) : [];
    const wheel = pickBundledWheel(names);
    return wheel ? path.join(this.wheelDir, wheel) : undefined;
  }

  /** The private venv's `glm-lsp` when it holds the bundled version, else undefined. */
  currentServer(): string | undefined {
    const wheel = this.bundledWheel();
    const marker = parseMarker(readText(this.layout.marker));
    const exists = fs.existsSync(this.layout.server);
    if (wheel === undefined) {
      return exists && marker ? this.layout.server : undefined;
    }
    return needsInstall(marker, wheelVersion(wheel)!, exists) ? undefined : this.layout.server;
  }

  /**
   * Installs the bundled wheel into the private venv and returns its `glm-lsp`, or undefined
   * after telling the user what went wrong and what to do.
   */
  async install(): Promise<string | undefined> {
    const wheel = this.bundledWheel();
    if (!wheel) {
      this.fail(
        "GLM: this build of the extension carries no server wheel and no glm-lsp was found. " +
          "Install the server from a clone (pip install -e .) or a wheel and set glm.serverPath.",
      );
      return undefined;
    }
    const python = await this.findPython();
    if (!python) {
      return undefined;
    }
    fs.mkdirSync(path.dirname(this.layout.marker), { recursive: true });
    const release = await this.lock();
    try {
      if (this.currentServer()) {
        return this.layout.server; // another window finished the same install meanwhile
      }
      return await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: "GLM: installing the language server", cancellable: true },
        (progress, token) => this.installWith(python, wheel, progress, token),
      );
    } finally {
      release();
    }
  }

  private async installWith(
    python: FoundPython,
    wheel: string,
    progress: vscode.Progress<{ message?: string }>,
    token: vscode.CancellationToken,
  ): Promise<string | undefined> {
    const started = Date.now();
    this.log.info(`Installing ${path.basename(wheel)} into ${this.layout.dir} with Python ${python.version} (${python.executable})`);
    fs.rmSync(this.layout.marker, { force: true });
    if (!(await this.venvWorks())) {
      progress.report({ message: `creating a Python ${python.version} environment…` });
      fs.rmSync(this.layout.dir, { recursive: true, force: true });
      const venv = await this.run(python.executable, ["-m", "venv", this.layout.dir], token);
      if (venv.cancelled) return this.cancelled();
      if (venv.code !== 0) return this.installFailed("creating the venv", venv);
    }
    progress.report({ message: "installing glm-lsp and its dependencies (pip)…" });
    const pip = await this.run(
      this.layout.python,
      ["-m", "pip", "install", "--disable-pip-version-check", "--no-input", wheel],
      token,
      (line) => {
        const message = pipProgress(line);
        if (message) progress.report({ message });
      },
    );
    if (pip.cancelled) return this.cancelled();
    if (pip.code !== 0 || !fs.existsSync(this.layout.server)) return this.installFailed("pip install", pip);
    const marker: InstallMarker = { version: wheelVersion(wheel)!, wheel: path.basename(wheel), python: python.executable };
    fs.writeFileSync(this.layout.marker, JSON.stringify(marker, null, 1));
    this.log.info(`Installed glm-lsp ${marker.version} in ${((Date.now() - started) / 1000).toFixed(1)} s: ${this.layout.server}`);
    return this.layout.server;
  }

  /** The first candidate that is Python ≥ 3.10 with venv; otherwise one clear error message. */
  private async findPython(): Promise<FoundPython | undefined> {
    const config = vscode.workspace.getConfiguration("python");
    const candidates = pythonCandidates({
      pythonExtension: await pythonFromExtension(),
      defaultInterpreterPath: config.get<string>("defaultInterpreterPath"),
      which: this.which,
    });
    const tried: string[] = [];
    let noVenv: string | undefined;
    for (const executable of candidates) {
      const probe = parseProbe((await this.run(executable, ["-c", PYTHON_PROBE], undefined, undefined, 20000)).output);
      if (!probe) {
        tried.push(`${executable} (does not run)`);
        continue;
      }
      const version = probe.version.join(".");
      if (!isSupported(probe.version)) {
        tried.push(`${executable} (${version}, too old)`);
      } else if (!probe.canCreateVenv) {
        tried.push(`${executable} (${version}, no venv module)`);
        noVenv ??= executable;
      } else {
        return { executable, version };
      }
    }
    const found = tried.length ? `Tried: ${tried.join(", ")}.` : "None was found on PATH.";
    const remedy = noVenv
      ? `Install the venv module for ${noVenv} (e.g. "sudo apt install python3-venv")`
      : `Install Python ${MIN} or newer from python.org or your package manager (e.g. "sudo apt install python3 python3-venv")`;
    this.log.error(`No usable Python ${MIN}+ for the server. ${found}`);
    const message =
      `GLM needs Python ${MIN} or newer to install its language server. ${found} ` +
      `${remedy}, then run "GLM: Restart Language Server"; or set glm.serverPath to a glm-lsp you installed.`;
    void vscode.window.showErrorMessage(message, "Get Python", "Open Settings").then((pick) => {
      if (pick === "Get Python") void vscode.env.openExternal(vscode.Uri.parse(PYTHON_DOWNLOADS));
      if (pick === "Open Settings") void vscode.commands.executeCommand("workbench.action.openSettings", "glm.serverPath");
    });
    return undefined;
  }

  private async venvWorks(): Promise<boolean> {
    if (!fs.existsSync(this.layout.python)) return false;
    return parseProbe((await this.run(this.layout.python, ["-c", PYTHON_PROBE], undefined, undefined, 20000)).output) !== undefined;
  }

  private installFailed(what: string, result: RunResult): undefined {
    const tail = lastLines(result.output, 4);
    this.log.error(`${what} failed (exit ${result.code})`);
    this.fail(
      `GLM: installing the language server failed at ${what} (exit ${result.code}):\n${tail}\n` +
        "pip needs to reach PyPI (or your configured index) for the server's dependencies: check the network or proxy and retry, " +
        "or install glm-lsp yourself and set glm.serverPath.",
      true,
    );
    return undefined;
  }

  private cancelled(): undefined {
    this.log.warn("The server install was cancelled.");
    void vscode.window
      .showWarningMessage("GLM: the language server install was cancelled; GLM stays off until it is installed.", "Install Now")
      .then((pick) => pick && this.retry());
    return undefined;
  }

  private fail(message: string, canRetry = false): void {
    const buttons = canRetry ? ["Retry", "Show Log", "Open Settings"] : ["Show Log", "Open Settings"];
    void vscode.window.showErrorMessage(message, ...buttons).then((pick) => {
      if (pick === "Retry") this.retry();
      if (pick === "Show Log") this.log.show(true);
      if (pick === "Open Settings") void vscode.commands.executeCommand("workbench.action.openSettings", "glm.serverPath");
    });
  }

  /** Runs a process, its output going line by line to the log (and `onLine`); killed on cancel. */
  private run(
    command: string,
    args: string[],
    token?: vscode.CancellationToken,
    onLine?: (line: string) => void,
    timeoutMs = 15 * 60 * 1000,
  ): Promise<RunResult> {
    return new Promise((resolve) => {
      let output = "";
      let pending = "";
      let cancelled = false;
      const child = cp.spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, PYTHONUNBUFFERED: "1" } });
      const timer = setTimeout(() => child.kill(), timeoutMs);
      const cancel = token?.onCancellationRequested(() => {
        cancelled = true;
        child.kill();
      });
      const take = (chunk: Buffer) => {
        const text = chunk.toString();
        output += text;
        const lines = (pending + text).split(/\r?\n/);
        pending = lines.pop() ?? "";
        for (const line of lines) {
          this.log.info(`  ${line}`);
          onLine?.(line);
        }
      };
      child.stdout.on("data", take);
      child.stderr.on("data", take);
      const finish = (code: number | null, error?: Error) => {
        clearTimeout(timer);
        cancel?.dispose();
        if (error) output += `\n${error.message}`;
        if (pending) this.log.info(`  ${pending}`);
        resolve({ code, output, cancelled });
      };
      child.on("error", (error) => finish(null, error));
      child.on("close", (code) => finish(code));
    });
  }

  /** One install at a time across windows: a lock folder next to the venv. */
  private async lock(): Promise<() => void> {
    const lock = `${this.layout.dir}.lock`;
    for (;;) {
      try {
        fs.mkdirSync(lock);
        return () => fs.rmSync(lock, { recursive: true, force: true });
      } catch {
        const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? 0);
        if (age > LOCK_STALE_MS) {
          fs.rmSync(lock, { recursive: true, force: true });
        } else {
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
    }
  }
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

interface PythonExtensionApi {
  environments?: {
    getActiveEnvironmentPath?(resource?: vscode.Uri): { path?: string } | undefined;
    resolveEnvironment?(env: unknown): Promise<{ executable?: { uri?: vscode.Uri } } | undefined>;
  };
  settings?: { getExecutionDetails?(resource?: vscode.Uri): { execCommand?: string[] } | undefined };
}

/** The interpreter selected in the Python extension, when it is installed; never throws. */
async function pythonFromExtension(): Promise<string | undefined> {
  const extension = vscode.extensions.getExtension<PythonExtensionApi>("ms-python.python");
  if (!extension) {
    return undefined;
  }
  try {
    const activating = extension.isActive ? Promise.resolve(extension.exports) : extension.activate();
    const api = await Promise.race([activating, new Promise<undefined>((r) => setTimeout(() => r(undefined), 15000))]);
    const resource = vscode.workspace.workspaceFolders?.[0]?.uri;
    const active = api?.environments?.getActiveEnvironmentPath?.(resource);
    if (active) {
      const resolved = await api?.environments?.resolveEnvironment?.(active);
      const executable = resolved?.executable?.uri?.fsPath;
      if (executable) return executable;
    }
    return api?.settings?.getExecutionDetails?.(resource)?.execCommand?.[0];
  } catch {
    return undefined;
  }
}
