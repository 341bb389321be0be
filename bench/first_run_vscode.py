"""VS Code first run, fresh profile to first ghost text: ``.venv/bin/python
bench/first_run_vscode.py [--rounds N]``.

Real VS Code (code-server 4.100.3 from ``editors/vscode/e2e/install.sh``) in chromium, through
the README's steps: install the .vsix, run "GLM: Set API Key", open a file, type. Each round
starts from nothing: empty user-data and extensions folders, empty HOME/XDG folders (so no pip
cache and no venv), PATH with system folders only and no ``glm-lsp`` anywhere. The extension
then creates its venv with the system Python and pip-installs the wheel it carries from the real
package index. The loopback GLM endpoint answers at once, so the figures are install and editor
time, not a model's.

Baseline, same run: the same steps with a server already installed (``glm.serverPath`` set to
this checkout's ``glm-lsp``): what the first run costs on top is the venv + pip install.

Prints per round: the total from "install the .vsix" to the ghost text on screen, and its parts
(.vsix install, code-server up, workbench loaded, install notification shown, server ready,
ghost text). The .vsix is the one ``install.sh`` built; its build time is a developer step and
not counted.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.glm_endpoint import GlmEndpoint  # noqa: E402
from tests.vscode.harness import (  # noqa: E402
    SERVER,
    VSIX,
    VsCodeSession,
    missing_prerequisites,
    scenario_result,
)
from tests.vscode.test_vscode_e2e import GHOST, GREET, _model  # noqa: E402

SYSTEM_PATH = "/usr/bin:/bin"
KEY = "bench-key-first-run"
STEPS = {
    "install": "a notification shows the server install in progress",
    "ready": "the installed server runs and the status bar is ready",
    "ghost": "ghost text shown while typing",
}


def _scenario(expect_install: bool) -> dict[str, Any]:
    return {
        "name": "first_run",
        "key": KEY,
        "file": "greet.py",
        "line": 2,
        "column": 5,
        "type": "return ",
        "expectGhost": GHOST,
        "expectDocument": f"def greet(name):\n    return {GHOST}",
        "expectInstall": expect_install,
        "installTimeoutMs": 600000,
    }


def one_round(first_run: bool) -> dict[str, float]:
    """Seconds from 'install the .vsix' to each milestone, for one fresh profile."""
    with GlmEndpoint() as endpoint:
        endpoint.handler = _model
        root = Path(tempfile.mkdtemp(prefix="glmvs-bench-"))
        session = VsCodeSession(
            root / "s",
            "bench_first_run" if first_run else "bench_installed",
            endpoint_url=endpoint.url,
            api_key=None,
            files={"greet.py": GREET},
            settings={"glm.provider": "zai"},
            server_path=None if first_run else SERVER,
            path=SYSTEM_PATH,
        )
        try:
            t0 = time.time()
            session.start()
            started = time.time()
            result = session.drive([_scenario(first_run)], timeout=900)
            got = scenario_result(session, result, "first_run")
        finally:
            session.stop()
            shutil.rmtree(root, ignore_errors=True)
    at = {step["name"]: float(step["at"]) for step in got["steps"]}
    figures = {
        "vsix installed": next(t for t, what in session.timeline if what == "vsix installed"),
        "code-server up": started - t0,
    }
    for label, name in STEPS.items():
        if name in at:
            figures[label] = at[name] - t0
    figures["total"] = figures["ghost"]
    return figures


def _report(label: str, rounds: list[dict[str, float]]) -> None:
    print(f"\n{label} ({len(rounds)} round{'s' if len(rounds) > 1 else ''}), seconds from install:")
    for key in rounds[0]:
        values = [r[key] for r in rounds if key in r]
        spread = f"  (min {min(values):.1f}, max {max(values):.1f})" if len(values) > 1 else ""
        print(f"  {key:<16} {statistics.median(values):7.1f}{spread}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=1, help="rounds of each (default 1)")
    args = parser.parse_args()
    missing = missing_prerequisites()
    if missing:
        sys.exit("run `bash editors/vscode/e2e/install.sh` first; missing: " + ", ".join(missing))
    if shutil.which("glm-lsp", path=SYSTEM_PATH):
        sys.exit(f"glm-lsp is on {SYSTEM_PATH}: not a first run")
    print(f".vsix: {VSIX.stat().st_size / 1024:.0f} KiB (carries the server wheel)")
    first, baseline = [], []
    for n in range(args.rounds):
        print(f"round {n + 1}: first run …", flush=True)
        first.append(one_round(first_run=True))
        print(f"round {n + 1}: baseline (server already installed) …", flush=True)
        baseline.append(one_round(first_run=False))
    _report("first run: fresh profile, no venv, no pip cache", first)
    _report("baseline: same steps, server already installed", baseline)
    extra = statistics.median(r["total"] for r in first) - statistics.median(
        r["total"] for r in baseline
    )
    print(f"\nfirst run costs {extra:.1f} s more than an installed server (venv + pip install)")


if __name__ == "__main__":
    main()
