"""Uncommitted changes of the repositories under some paths, one entry per file (blocking).

Runs ``git diff`` (working tree and/or staged) through ``context.gitsafe`` (no
repository-named program runs, no index lock is taken, a kill timeout) and names untracked
files. Callers filter excluded files and redact the text; this module only reads git.
"""

from __future__ import annotations

import os
import re

import attrs

from glm_lsp.context.gitinfo import find_root
from glm_lsp.context.gitsafe import DIFF_FLAGS, GitSession

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


def _repo(path: str) -> tuple[str, GitSession] | None:
    """The repository root holding ``path`` and a guarded git session in it."""
    where = path if os.path.isdir(path) else os.path.dirname(path)
    if not os.path.isdir(where):
        return None
    probe = GitSession(where, GIT_TIMEOUT_S)
    found = find_root(where, probe)
    return (found[0], probe.at(found[0])) if found else None


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
        repo = None if real in seen else _repo(real)
        if repo is None:
            continue
        root, git = repo
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
            diff = git.text("diff", *DIFF_FLAGS, *extra, *tail)
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
            others = git.text("ls-files", "--others", "--exclude-standard", *tail)
            for name in sorted(others.splitlines())[:MAX_UNTRACKED]:
                out.append(DiffFile(spelled(name), name, "", "new file, not yet tracked by git"))
    return out
