"""What the git guard costs per call: ``.venv/bin/python bench/gitguard.py [-n 30]``.

A real tree (the installed sources of pygls, lsprotocol and httpx under git, a few files
modified) is read two ways, interleaved so both see the same machine noise:

* guarded: ``find_root`` then the commands of ``GitReader.snapshot`` (the context engine's
  read of a repository) through one ``GitSession``, and ``collect_diffs`` (the chat
  ``git_diff`` tool, which also parses and splits its output);
* baseline: the same git commands run plainly (no ``-c`` overrides, no configuration scan,
  the inherited environment plus ``GIT_OPTIONAL_LOCKS=0``), as the server ran them before.

Prints p50/p90 wall time of each and the guard's overhead: one ``git config`` process (the
driver scan) per ``find_root`` and per session, plus the ``-c`` flags' parsing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchlib import percentile

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "server"))

from glm_lsp.context.git import RECENT_COMMITS, collect_diffs, find_root  # noqa: E402
from glm_lsp.context.gitsafe import DIFF_FLAGS, GitSession  # noqa: E402

PACKAGES = ["pygls", "lsprotocol", "httpx"]
GIT_ENV = ["-c", "user.name=bench", "-c", "user.email=bench@example.com"]


def git(dest: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *GIT_ENV, *args], cwd=dest, check=True, capture_output=True, text=True
    ).stdout


def build_repo(dest: Path) -> None:
    site = Path(sysconfig.get_paths()["purelib"])
    for name in PACKAGES:
        shutil.copytree(site / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    git(dest, "init", "-q", "-b", "main")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "-m", "tree")
    for path in sorted(dest.rglob("*.py"))[::40]:
        path.write_text(path.read_text() + "\n# reviewed\n")


def plain(dest: Path, *args: str) -> None:
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0"}  # as the server always ran git
    subprocess.run(["git", *args], cwd=dest, env=env, capture_output=True, stdin=subprocess.DEVNULL)


SNAPSHOT = (
    ("symbolic-ref", "-q", "HEAD"),
    ("log", f"-n{RECENT_COMMITS}", "--format=%h%x09%s", "--no-color"),
    ("status", "--porcelain=v1", "-z", "--untracked-files=normal", "--ignore-submodules=dirty"),
    ("diff", *DIFF_FLAGS),
    ("diff", "--cached", *DIFF_FLAGS),
)


def baseline_snapshot(dest: Path) -> None:
    plain(dest, "rev-parse", "--show-toplevel", "--absolute-git-dir")
    for args in SNAPSHOT:
        plain(dest, *args)


def guarded_snapshot(dest: Path) -> None:
    assert find_root(str(dest)) is not None
    session = GitSession(str(dest))
    for args in SNAPSHOT:
        assert session.run(*args) is not None


def baseline_tool(dest: Path) -> None:
    plain(dest, "rev-parse", "--show-toplevel")
    plain(dest, "diff", "--no-color", "--no-ext-diff")
    plain(dest, "diff", "--no-color", "--no-ext-diff", "--cached")
    plain(dest, "ls-files", "--others", "--exclude-standard")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=30, help="rounds")
    rounds = parser.parse_args().n
    with tempfile.TemporaryDirectory() as tmp:
        dest = Path(tmp) / "tree"
        build_repo(dest)
        files = sum(1 for _ in dest.rglob("*.py"))

        def guarded_tool() -> None:
            assert collect_diffs([str(dest)])

        cases: dict[str, Callable[[], None]] = {
            "snapshot, guarded": lambda: guarded_snapshot(dest),
            "snapshot, plain git": lambda: baseline_snapshot(dest),
            "git_diff tool, guarded": guarded_tool,
            "git_diff tool, plain git": lambda: baseline_tool(dest),
        }
        times: dict[str, list[float]] = {name: [] for name in cases}
        for run in cases.values():
            run()  # warm the OS caches
        for _ in range(rounds):
            for name, run in cases.items():
                started = time.perf_counter()
                run()
                times[name].append((time.perf_counter() - started) * 1000)
    print(f"git guard cost: {files} files, {rounds} rounds, {os.cpu_count()} cores")
    for name, values in times.items():
        p50, p90 = statistics.median(values), percentile(values, 0.9)
        print(f"  {name:26s} p50 {p50:7.1f} ms   p90 {p90:7.1f} ms")
    for what in ("snapshot", "git_diff tool"):
        guarded = statistics.median(times[f"{what}, guarded"])
        base = statistics.median(times[f"{what}, plain git"])
        print(f"  {what}: guard adds {guarded - base:+.1f} ms ({guarded / base:.2f}x)")


if __name__ == "__main__":
    main()
