"""Uncommitted changes of the repositories under some paths, one entry per file (blocking).

Runs ``git diff`` (working tree and/or staged) with ``GIT_OPTIONAL_LOCKS=0`` so it never
takes the index lock from under the user, with a kill timeout, and names untracked files.
Callers filter excluded files and redact the text; this module only reads git.
"""

from __future__ import annotations

import os
import re
import subprocess

import attrs

__all__ = ["DiffFile", "collect_diffs"]

GIT_TIMEOUT_S = 5.0
MAX_FILE_DIFF_CHARS = 12_000
MAX_UNTRACKED = 50

_SPLIT = re.compile(r"(?m)^(?=diff --git )")


@attrs.frozen
class DiffFile:
    """One changed file: absolute path, shown path, its diff text and a note."""

    path: str
    shown: str
    text: str
    note: str = ""


def _git(cwd: str, *args: str) -> str | None:
    env = dict(os.environ, GIT_OPTIONAL_LOCKS="0", LC_ALL="C", GIT_PAGER="cat")
    try:
        done = subprocess.run(
            ["git", "-c", "core.quotepath=off", *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            timeout=GIT_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", errors="replace")


def _repo_root(path: str) -> str | None:
    where = path if os.path.isdir(path) else os.path.dirname(path)
    if not os.path.isdir(where):
        return None
    out = _git(where, "rev-parse", "--show-toplevel")
    return os.path.normpath(out.strip()) if out and out.strip() else None


def _chunk_path(chunk: str) -> str | None:
    for line in chunk.split("\n", 8)[1:]:
        if line.startswith("+++ b/"):
            return line[6:].rstrip("\t")
        if line.startswith("rename to "):
            return line[10:]
    for line in chunk.split("\n", 8)[1:]:
        if line.startswith("--- a/"):
            return line[6:].rstrip("\t")
    head = chunk.split("\n", 1)[0]
    match = re.match(r"^diff --git a/(.*) b/(.*)$", head)
    return match.group(2) if match else None


def _split(text: str) -> list[tuple[str, str]]:
    out = []
    for chunk in _SPLIT.split(text):
        if chunk.startswith("diff --git "):
            rel = _chunk_path(chunk)
            if rel:
                out.append((rel, chunk.rstrip("\n")))
    return out


def collect_diffs(paths: list[str], which: str = "both") -> list[DiffFile]:
    """Changed files under ``paths``; ``which`` is ``both``, ``staged`` or ``unstaged``.

    Paths in the result are spelled under the caller's path (git reports real paths).
    """
    out: list[DiffFile] = []
    seen: set[str] = set()
    for path in paths:
        path = os.path.normpath(path)
        real = os.path.realpath(path)
        root = _repo_root(real)
        if root is None or real in seen:
            continue
        seen.add(real)
        rel = os.path.relpath(real, root)
        tail = [] if rel == "." else ["--", rel]

        def spelled(rel_in_repo: str, path: str = path, real: str = real, root: str = root) -> str:
            full = os.path.join(root, *rel_in_repo.split("/"))
            return path + full[len(real) :] if full.startswith(real) else full

        texts: dict[str, list[str]] = {}
        for kind, extra in (("unstaged", []), ("staged", ["--cached"])):
            if which not in ("both", kind):
                continue
            diff = _git(root, "diff", "--no-color", "--no-ext-diff", *extra, *tail) or ""
            for name, chunk in _split(diff):
                if len(chunk) > MAX_FILE_DIFF_CHARS:
                    cut = chunk.rfind("\n", 0, MAX_FILE_DIFF_CHARS)
                    chunk = chunk[: cut if cut > 0 else MAX_FILE_DIFF_CHARS] + "\n… (truncated)"
                label = "staged" if kind == "staged" else "working tree"
                texts.setdefault(name, []).append(
                    f"# {label}\n{chunk}" if which == "both" else chunk
                )
        for name in sorted(texts):
            out.append(DiffFile(spelled(name), name, "\n".join(texts[name])))
        if which != "staged":
            others = _git(root, "ls-files", "--others", "--exclude-standard", *tail) or ""
            for name in sorted(others.splitlines())[:MAX_UNTRACKED]:
                out.append(DiffFile(spelled(name), name, "", "new file, not yet tracked by git"))
    return out
