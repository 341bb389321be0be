"""Canary: the exact command lines git receives from the server, recorded by git itself.

Git's trace2 event stream (``GIT_TRACE2_EVENT``) logs the full argv of every git process,
including any child git starts on its own. A real repository with a filter driver goes through
every git-running entry point (``find_root``, ``GitReader.snapshot``, ``collect_diffs``); the
recorded lines must equal the ones below byte for byte. Anything that drops a guard flag, adds a
git call outside ``gitsafe`` or makes git spawn a child process fails here. The expected lines
are written out literally on purpose: change them only together with docs/security-git.md.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ctx_helpers import git, make_repo, write

from glm_lsp.context.git import GitReader, collect_diffs, find_root
from glm_lsp.context.secrets import Redactor

GUARD = [
    "--no-pager",
    "--literal-pathspecs",
    *("-c", "core.fsmonitor=false"),
    *("-c", "core.hooksPath=/dev/null"),
    *("-c", "core.sshCommand=false"),
    *("-c", "core.askPass="),
    *("-c", "core.pager=cat"),
    *("-c", "core.editor=:"),
    *("-c", "core.quotePath=off"),
    *("-c", "credential.helper="),
    *("-c", "protocol.allow=never"),
    *("-c", "log.showSignature=false"),
    *("-c", "status.submoduleSummary=false"),
    *("-c", "safe.bareRepository=explicit"),
]
DRIVER = [
    *("-c", "filter.Ev.clean="),
    *("-c", "filter.Ev.smudge="),
    *("-c", "filter.Ev.process="),
    *("-c", "filter.Ev.required=false"),
]
DIFF = [
    "--no-color",
    "--no-ext-diff",
    "--no-textconv",
    "--src-prefix=a/",
    "--dst-prefix=b/",
    "--no-relative",
    "--ignore-submodules=dirty",
    "--submodule=short",
]
SCAN = [*GUARD, "config", "--list", "--name-only", "-z"]
ROOT = [*GUARD, *DRIVER, "rev-parse", "--show-toplevel", "--absolute-git-dir"]

EXPECTED = [
    SCAN,
    ROOT,
    SCAN,
    [*GUARD, *DRIVER, "symbolic-ref", "-q", "HEAD"],
    [*GUARD, *DRIVER, "log", "-n10", "--format=%h%x09%s", "--no-color"],
    [
        *GUARD,
        *DRIVER,
        "status",
        "--porcelain=v1",
        "-z",
        "--untracked-files=normal",
        "--ignore-submodules=dirty",
    ],
    [*GUARD, *DRIVER, "diff", *DIFF],
    [*GUARD, *DRIVER, "diff", "--cached", *DIFF],
    SCAN,
    ROOT,
    [*GUARD, *DRIVER, "diff", *DIFF],
    [*GUARD, *DRIVER, "diff", *DIFF, "--cached"],
    [*GUARD, *DRIVER, "ls-files", "--others", "--exclude-standard"],
]


def traced_argv(trace: Path) -> list[list[str]]:
    """The argv (without the executable) of every git process in a trace2 event file."""
    events = [json.loads(line) for line in trace.read_text().splitlines()]
    return [e["argv"][1:] for e in events if e["event"] == "start"]


def test_every_git_process_gets_the_guard_exactly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ensure the command lines of all git processes the server starts for a repository (found,
    snapshotted, diffed for chat) are exactly the guarded ones, and git starts no child."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    repo = make_repo(tmp_path / "r", {"a.py": "a = 1\n", ".gitattributes": "*.py filter=Ev\n"})
    git(repo, "config", "filter.Ev.clean", "cat")
    write(repo, "a.py", "a = 2\n")
    write(repo, "new.py", "n = 1\n")
    trace = tmp_path / "trace2.json"
    monkeypatch.setenv("GIT_TRACE2_EVENT", str(trace))

    found = find_root(str(repo))
    assert found == (str(repo), str(repo / ".git"))
    snap = GitReader(Redactor()).snapshot(*found, lambda _path: None)
    diffs = collect_diffs([str(repo)])

    assert snap.branch == "main" and "+a = 2" in snap.diffs["a.py"].unstaged
    assert [d.shown for d in diffs] == ["a.py", "new.py"] and "+a = 2" in diffs[0].text
    assert traced_argv(trace) == EXPECTED
