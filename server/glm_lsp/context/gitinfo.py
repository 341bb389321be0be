"""Git facts for a document's repository, gathered with GitPython in worker threads.

Everything here blocks (it runs `git`), so the engine calls it through
`asyncio.to_thread` and caches the resulting immutable `GitSnapshot` until a save,
a watched-file change or a change of the repository's index/HEAD invalidates it.
Commands run with `GIT_OPTIONAL_LOCKS=0` so we never take `index.lock` from under
the user, and with a kill timeout so a hung git cannot pin a thread forever.

GitPython is imported on first use (it costs tens of milliseconds, more under load),
always from those worker threads; `warm_up()` imports it ahead of time.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING

import attrs

from .secrets import Redactor

if TYPE_CHECKING:
    import git

GIT_KILL_AFTER_S = 10.0
MAX_FILE_DIFF_CHARS = 16_000
RECENT_COMMITS = 10

_HEADER = re.compile(r"^diff --git a/(.*) b/(.*)$")


@attrs.frozen
class FileDiff:
    """Staged and unstaged unified diff of one file (redacted), or just its name."""

    path: str
    staged: str = ""
    unstaged: str = ""
    binary: bool = False
    excluded: str | None = None
    truncated: bool = False


@attrs.frozen
class GitSnapshot:
    """What the engine knows about one repository at one moment."""

    root: str
    git_dir: str
    branch: str | None
    head: str | None
    head_subject: str | None
    recent_commits: tuple[str, ...]
    status: tuple[tuple[str, str], ...]
    untracked: tuple[str, ...]
    diffs: dict[str, FileDiff]
    stamp: tuple[int, ...]
    is_submodule: bool = False

    def diff_for(self, abs_path: str) -> FileDiff | None:
        rel = os.path.relpath(abs_path, self.root).replace(os.sep, "/")
        return self.diffs.get(rel)


def warm_up() -> ModuleType:
    """Import GitPython now (blocking: call it from a worker thread) and return it."""
    import git

    return git


def find_root(directory: str) -> tuple[str, str] | None:
    """(working tree root, git dir) of the innermost repository holding `directory`."""
    git = warm_up()
    try:
        repo = git.Repo(directory, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError, OSError):
        return None
    try:
        if repo.bare or repo.working_tree_dir is None:
            return None
        return os.path.normpath(str(repo.working_tree_dir)), os.path.normpath(repo.git_dir)
    finally:
        repo.close()


def stamp_of(git_dir: str) -> tuple[int, ...]:
    """Modification times that change when the index, HEAD or a ref moves."""
    out: list[int] = []
    for name in ("index", "HEAD", os.path.join("logs", "HEAD"), "packed-refs"):
        try:
            out.append(os.stat(os.path.join(git_dir, name)).st_mtime_ns)
        except OSError:
            out.append(0)
    return tuple(out)


class GitReader:
    """Runs git for snapshots; one lock per repository so refreshes never overlap."""

    def __init__(self, redactor: Redactor) -> None:
        self._redactor = redactor
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def _lock(self, root: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(root, threading.Lock())

    def snapshot(
        self, root: str, git_dir: str, excluded: Callable[[str], str | None]
    ) -> GitSnapshot:
        """Read branch, HEAD, recent commits, status and diffs of one repository."""
        git = warm_up()
        with self._lock(root):
            repo = git.Repo(root)
            try:
                repo.git.update_environment(GIT_OPTIONAL_LOCKS="0", LC_ALL="C")
                return self._read(repo, root, git_dir, excluded)
            finally:
                repo.close()

    def _run(self, repo: git.Repo, *args: str) -> str:
        git = warm_up()
        try:
            out = repo.git.execute(
                ["git", "-c", "core.quotepath=off", *args],
                kill_after_timeout=GIT_KILL_AFTER_S,
                stdout_as_string=False,
            )
        except git.GitCommandError:
            return ""
        data = out if isinstance(out, bytes) else str(out).encode()
        return data.decode("utf-8", errors="replace")

    def _read(
        self, repo: git.Repo, root: str, git_dir: str, excluded: Callable[[str], str | None]
    ) -> GitSnapshot:
        stamp = stamp_of(git_dir)
        branch: str | None
        try:
            branch = None if repo.head.is_detached else repo.head.reference.name
        except (TypeError, ValueError, OSError):
            branch = None
        log = self._run(repo, "log", f"-n{RECENT_COMMITS}", "--format=%h%x09%s", "--no-color")
        commits = tuple(
            self._redactor.redact(line.replace("\t", " ", 1)) for line in log.splitlines() if line
        )
        head = commits[0].split(" ", 1)[0] if commits else None
        subject = commits[0].split(" ", 1)[1] if commits and " " in commits[0] else None
        status, untracked = _parse_status(
            self._run(repo, "status", "--porcelain=v1", "-z", "--untracked-files=normal")
        )
        diffs: dict[str, FileDiff] = {}
        for staged, text in (
            (False, self._run(repo, "diff", "--no-color", "--no-ext-diff")),
            (True, self._run(repo, "diff", "--cached", "--no-color", "--no-ext-diff")),
        ):
            for path, chunk in _split_diff(text):
                diffs[path] = self._merge_diff(diffs.get(path), path, chunk, staged, root, excluded)
        return GitSnapshot(
            root=root,
            git_dir=git_dir,
            branch=branch,
            head=head,
            head_subject=subject,
            recent_commits=commits,
            status=status,
            untracked=untracked,
            diffs=diffs,
            stamp=stamp,
            is_submodule=os.path.isfile(os.path.join(root, ".git")),
        )

    def _merge_diff(
        self,
        prior: FileDiff | None,
        path: str,
        chunk: str,
        staged: bool,
        root: str,
        excluded: Callable[[str], str | None],
    ) -> FileDiff:
        why = excluded(os.path.join(root, path))
        binary = "\nBinary files " in chunk or "\nGIT binary patch" in chunk
        base = prior or FileDiff(path)
        if why is not None:
            return attrs.evolve(base, excluded=why, staged="", unstaged="")
        if binary:
            return attrs.evolve(base, binary=True, staged="", unstaged="")
        truncated = len(chunk) > MAX_FILE_DIFF_CHARS
        if truncated:
            cut = chunk.rfind("\n", 0, MAX_FILE_DIFF_CHARS)
            chunk = chunk[: cut if cut > 0 else MAX_FILE_DIFF_CHARS] + "\n... (diff truncated)"
        text = self._redactor.redact(chunk, path=path)
        if staged:
            return attrs.evolve(base, staged=text, truncated=base.truncated or truncated)
        return attrs.evolve(base, unstaged=text, truncated=base.truncated or truncated)


def _parse_status(out: str) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    entries: list[tuple[str, str]] = []
    untracked: list[str] = []
    items = out.split("\0")
    i = 0
    while i < len(items):
        item = items[i]
        i += 1
        if len(item) < 4:
            continue
        code, path = item[:2], item[3:]
        if code[0] in "RC":
            i += 1  # the original name follows a rename or copy
        if code == "??":
            untracked.append(path)
        elif code != "!!":
            entries.append((code, path))
    return tuple(sorted(entries, key=lambda e: e[1])), tuple(sorted(untracked))


def _split_diff(text: str) -> list[tuple[str, str]]:
    """Split a multi-file unified diff into (repo-relative path, chunk) pairs."""
    if not text:
        return []
    out: list[tuple[str, str]] = []
    for chunk in re.split(r"(?m)^(?=diff --git )", text):
        if not chunk.startswith("diff --git "):
            continue
        out.append((_chunk_path(chunk), chunk.rstrip("\n")))
    return out


def _chunk_path(chunk: str) -> str:
    lines = chunk.split("\n", 12)
    for line in lines[1:]:
        if line.startswith("rename to "):
            return _unquote(line[len("rename to ") :])
    for line in lines[1:]:
        if line.startswith("+++ b/"):
            return _unquote(line[6:])
    for line in lines[1:]:
        if line.startswith("--- a/"):
            return _unquote(line[6:])
    m = _HEADER.match(lines[0])
    if m:
        return _unquote(m.group(2))
    return _unquote(lines[0][len("diff --git ") :])


def _unquote(path: str) -> str:
    path = path.rstrip("\t")
    if len(path) >= 2 and path[0] == '"' and path[-1] == '"':
        return path[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape")
    return path
