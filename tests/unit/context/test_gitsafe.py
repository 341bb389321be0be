"""The git runner's own limits on real repositories: time budget, output cap, environment."""

from __future__ import annotations

import os
from pathlib import Path

from ctx_helpers import git, make_repo, write

from glm_lsp.context.gitsafe import (
    DIFF_FLAGS,
    MAX_OUTPUT_BYTES,
    GitSession,
    driver_overrides,
    git_environment,
)


def test_git_blocked_on_a_fifo_is_killed_after_its_budget(tmp_path: Path) -> None:
    """Ensure a git that blocks (its config includes a FIFO nobody writes) is killed once the
    session's time budget is spent, and the session answers None instead of hanging."""
    repo = make_repo(tmp_path / "r", {"a.py": "a = 1\n"})
    fifo = tmp_path / "config.fifo"
    os.mkfifo(fifo)
    git(repo, "config", "include.path", str(fifo))
    assert GitSession(str(repo), timeout=0.5).run("status") is None


def test_output_is_cut_at_the_cap_and_git_stopped(tmp_path: Path) -> None:
    """Ensure a diff larger than the cap comes back cut at exactly MAX_OUTPUT_BYTES (git is
    killed) rather than read whole into memory."""
    line = "x" * 99 + "\n"
    count = MAX_OUTPUT_BYTES // len(line) + 1000
    repo = make_repo(tmp_path / "r", {"big.txt": line * count})
    write(repo, "big.txt", ("y" * 99 + "\n") * count)
    out = GitSession(str(repo)).run("diff", *DIFF_FLAGS)
    assert out is not None and len(out) == MAX_OUTPUT_BYTES
    assert out.startswith(b"diff --git a/big.txt b/big.txt\n")


def test_inherited_git_variables_are_dropped_and_fixed_ones_set() -> None:
    """Ensure variables that redirect git or name a program are not passed on, the user's
    choice of configuration files and tracing is, and the fixed settings are present."""
    env = git_environment(
        {
            "PATH": "/usr/bin",
            "HOME": "/home/u",
            "GIT_DIR": "/elsewhere/.git",
            "GIT_WORK_TREE": "/",
            "GIT_EXTERNAL_DIFF": "/tmp/x",
            "GIT_CONFIG_PARAMETERS": "'core.fsmonitor=/tmp/x'",
            "GIT_CONFIG_COUNT": "1",
            "GIT_EXEC_PATH": "/tmp",
            "GIT_SSH_COMMAND": "/tmp/x",
            "GIT_ASKPASS": "/tmp/x",
            "SSH_ASKPASS": "/tmp/x",
            "PAGER": "/tmp/x",
            "EDITOR": "/tmp/x",
            "GIT_CONFIG_GLOBAL": "/home/u/.gitconfig-work",
            "GIT_TRACE2_EVENT": "/tmp/trace",
        }
    )
    assert env == {
        "PATH": "/usr/bin",
        "HOME": "/home/u",
        "GIT_CONFIG_GLOBAL": "/home/u/.gitconfig-work",
        "GIT_TRACE2_EVENT": "/tmp/trace",
        "GIT_OPTIONAL_LOCKS": "0",
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_NO_LAZY_FETCH": "1",
        "GIT_PAGER": "cat",
        "GIT_EDITOR": ":",
        "LC_ALL": "C",
    }


def test_every_defined_driver_is_neutralised_and_unusable_names_refused() -> None:
    """Ensure each filter and protocol named in a configuration listing gets its overrides (in
    the listing's spelling), other sections are left alone, and a driver name holding '='
    (which `-c` cannot express) refuses the repository."""
    listing = b"\0".join(
        [
            b"core.fsmonitor",
            b"filter.Lfs.clean",
            b"filter.Lfs.smudge",
            b"filter.a.b.process",
            b"protocol.ext.allow",
            b"diff.tc.textconv",
            b"",
        ]
    )
    assert driver_overrides(listing) == [
        ("filter.Lfs.clean", ""),
        ("filter.Lfs.smudge", ""),
        ("filter.Lfs.process", ""),
        ("filter.Lfs.required", "false"),
        ("filter.a.b.clean", ""),
        ("filter.a.b.smudge", ""),
        ("filter.a.b.process", ""),
        ("filter.a.b.required", "false"),
        ("protocol.ext.allow", "never"),
    ]
    assert driver_overrides(b"filter.e=v.clean\0") is None
