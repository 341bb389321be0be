"""Runs real VS Code (code-server 4.100.3) with the built extension, for the vscode suite.

Each session gets a fresh profile (HOME, XDG_* and TMPDIR inside the test's temp dir), installs
the .vsix offline, starts code-server on a loopback port in its own process group (so the
extension host and glm-lsp die with it), and runs the Playwright driver
``editors/vscode/e2e/drive.mjs`` over one or more scenarios. Screenshots and logs go to
``ci-artifacts/vscode/<session>/``. Everything comes from ``editors/vscode/e2e/install.sh``;
when something is missing the test fails and says to run it.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
EXT = ROOT / "editors" / "vscode"
E2E = EXT / "e2e"
VSIX = EXT / "out" / "glm-lsp-vscode.vsix"
CODE_SERVER = E2E / "node_modules" / ".bin" / "code-server"
DRIVER = E2E / "drive.mjs"
CHROMIUM = Path(os.environ.get("GLM_E2E_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = ROOT / "ci-artifacts" / "vscode"
SERVER = Path(sys.executable).with_name("glm-lsp")

# Variables through which a key could reach glm-lsp; scrubbed so "no key" is really no key.
KEY_VARIABLES = (
    "GLM_API_KEY",
    "ZAI_API_KEY",
    "BIGMODEL_API_KEY",
    "DEEPINFRA_TOKEN",
    "TOGETHER_API_KEY",
    "OPENROUTER_API_KEY",
)

BASE_SETTINGS: dict[str, Any] = {
    "workbench.startupEditor": "none",
    "workbench.tips.enabled": False,
    "workbench.enableExperiments": False,
    "telemetry.telemetryLevel": "off",
    "update.mode": "none",
    "extensions.autoCheckUpdates": False,
    "extensions.autoUpdate": False,
    "extensions.ignoreRecommendations": True,
    "security.workspace.trust.enabled": False,
    "git.enabled": False,
    "editor.minimap.enabled": False,
    "editor.inlineSuggest.enabled": True,
    "editor.quickSuggestions": {"other": False, "comments": False, "strings": False},
    "editor.suggestOnTriggerCharacters": False,
    "editor.lightbulb.enabled": "on",
}


def missing_prerequisites() -> list[str]:
    """What install.sh should have provided but did not."""
    missing = [str(p) for p in (CODE_SERVER, VSIX, DRIVER, CHROMIUM, SERVER) if not p.exists()]
    if not (E2E / "node_modules" / "playwright-core").is_dir():
        missing.append("playwright-core")
    return missing


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class VsCodeSession:
    """One code-server with a fresh profile and the extension installed; stop() kills it all."""

    def __init__(
        self,
        root: Path,
        name: str,
        *,
        endpoint_url: str,
        api_key: str | None,
        files: dict[str, str],
        settings: dict[str, Any] | None = None,
        server_path: Path | None = SERVER,
        path: str | None = None,
        extra_env: dict[str, str] | None = None,
    ) -> None:
        """``server_path=None`` leaves ``glm.serverPath`` unset (the extension finds or installs
        the server itself); ``path`` replaces PATH for code-server and everything it starts
        (the extension host still adds what the user's login shell sets, unless ``extra_env``
        has ``VSCODE_CLI=1``, as when VS Code is started from a terminal)."""
        self.root = root
        self.name = name
        self.workspace = root / "ws"
        self.artifacts = ARTIFACTS / name
        self.server_log = self.artifacts / "glm-lsp.log"
        self.port = _free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        self.timeline: list[tuple[float, str]] = []
        self._t0 = time.monotonic()
        self.env = self._environment(api_key, path) | (extra_env or {})
        self._prepare(endpoint_url, files, settings or {}, server_path)

    def lap(self, what: str) -> None:
        self.timeline.append((round(time.monotonic() - self._t0, 2), what))

    def _environment(self, api_key: str | None, path: str | None) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in KEY_VARIABLES}
        for name in ("home", "config", "data", "cache", "state", "run", "tmp"):
            (self.root / name).mkdir(parents=True, exist_ok=True)
        (self.root / "run").chmod(0o700)
        env.update(
            HOME=str(self.root / "home"),
            XDG_CONFIG_HOME=str(self.root / "config"),
            XDG_DATA_HOME=str(self.root / "data"),
            XDG_CACHE_HOME=str(self.root / "cache"),
            XDG_STATE_HOME=str(self.root / "state"),
            XDG_RUNTIME_DIR=str(self.root / "run"),
            TMPDIR=str(self.root / "tmp"),
        )
        env.pop("GLM_LSP_PATH", None)
        if path is not None:
            env["PATH"] = path
            for name in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "PIP_FIND_LINKS"):
                env.pop(name, None)
        if api_key is not None:
            env["GLM_API_KEY"] = api_key
        return env

    def _prepare(
        self,
        endpoint_url: str,
        files: dict[str, str],
        extra: dict[str, Any],
        server_path: Path | None,
    ) -> None:
        if self.artifacts.exists():
            shutil.rmtree(self.artifacts)
        self.artifacts.mkdir(parents=True)
        self.workspace.mkdir()
        for name, text in files.items():
            path = self.workspace / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        user = self.root / "user-data" / "User"
        user.mkdir(parents=True)
        settings = {
            **BASE_SETTINGS,
            **({"glm.serverPath": str(server_path)} if server_path else {}),
            "glm.serverArgs": ["-v", "--log-file", str(self.server_log)],
            "glm.provider": "custom",
            "glm.baseUrl": endpoint_url,
            **extra,
        }
        (user / "settings.json").write_text(json.dumps(settings, indent=1), encoding="utf-8")

    def _code_server(self, *args: str) -> list[str]:
        return [
            str(CODE_SERVER),
            "--user-data-dir",
            str(self.root / "user-data"),
            "--extensions-dir",
            str(self.root / "extensions"),
            *args,
        ]

    def start(self) -> None:
        """Install the .vsix offline, then start code-server and wait until it answers."""
        install = subprocess.run(
            self._code_server("--install-extension", str(VSIX)),
            env=self.env,
            capture_output=True,
            timeout=60,
            check=False,
        )
        if install.returncode != 0 or b"successfully installed" not in install.stdout:
            out = (install.stdout + install.stderr).decode(errors="replace")
            raise RuntimeError(f"installing the vsix failed:\n{out}")
        self.lap("vsix installed")
        log = open(self.artifacts / "code-server.log", "wb")  # noqa: SIM115 - closed in stop()
        self._log = log
        self.proc = subprocess.Popen(
            self._code_server(
                "--bind-addr",
                f"127.0.0.1:{self.port}",
                "--auth",
                "none",
                "--disable-telemetry",
                "--disable-update-check",
                "--disable-workspace-trust",
                "--disable-getting-started-override",
                str(self.workspace),
            ),
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"code-server exited with {self.proc.returncode}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=1):
                    self.lap("code-server listening")
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("code-server did not answer /healthz within 30 s")

    def drive(self, scenarios: list[dict[str, Any]], timeout: float = 200) -> dict[str, Any]:
        """Run the Playwright driver over ``scenarios`` ({name, ...}) in one workbench.

        Returns the driver's JSON: ``{ok, error?, scenarios: {name: {ok, steps, error?}}}``.
        """
        result_path = self.artifacts / "result.json"
        params = {
            "url": f"http://127.0.0.1:{self.port}/?folder={self.workspace}",
            "out": str(self.artifacts),
            "result": str(result_path),
            "chromium": str(CHROMIUM),
            "scenarios": scenarios,
        }
        params_path = self.root / "params.json"
        params_path.write_text(json.dumps(params), encoding="utf-8")
        self.lap("driver started")
        run = subprocess.run(
            ["node", str(DRIVER), str(params_path)],
            env=self.env,
            cwd=E2E,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
        (self.artifacts / "driver.log").write_bytes(run.stdout + run.stderr)
        self.lap(f"driver finished rc={run.returncode}")
        if not result_path.exists():
            out = (run.stdout + run.stderr).decode(errors="replace")[-4000:]
            raise RuntimeError(f"the driver wrote no result (rc={run.returncode}):\n{out}")
        result: dict[str, Any] = json.loads(result_path.read_text(encoding="utf-8"))
        result["rc"] = run.returncode
        return result

    def stop(self) -> None:
        """Terminate the whole process group (code-server, extension host, glm-lsp)."""
        proc = self.proc
        if proc is not None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                try:
                    os.killpg(proc.pid, 0)
                except ProcessLookupError:
                    break
                proc.poll()
                time.sleep(0.05)
            else:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            proc.wait(timeout=5)
            self._log.close()
            self.proc = None
        self.lap("stopped")
        timeline = "\n".join(f"[{t:6.2f}s] {what}" for t, what in self.timeline)
        (self.artifacts / "timeline.txt").write_text(timeline + "\n", encoding="utf-8")


def scenario_result(session: VsCodeSession, result: dict[str, Any], name: str) -> dict[str, Any]:
    """The named scenario's result; fails the test with its steps and artifacts when it failed."""
    got: dict[str, Any] | None = result.get("scenarios", {}).get(name)
    if got is None or not got.get("ok"):
        got = got or {}
        steps = "\n".join(
            f"  {'ok ' if s.get('ok') else 'BAD'} [{s.get('t', 0):6.2f}s] {s.get('name')}: "
            f"{json.dumps(s.get('detail'))[:300]}"
            for s in got.get("steps", [])
        )
        error = got.get("error") or result.get("error") or "did not run"
        raise AssertionError(
            f"scenario {name} failed: {error}\n{steps}\nartifacts: {session.artifacts}"
        )
    return got
