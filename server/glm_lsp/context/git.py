"""The one git module: repositories found, snapshots and per-file diffs, read with the git CLI.

The context engine takes an immutable `GitSnapshot` (branch, commits, status, redacted diffs)
through `asyncio.to_thread` and caches it until a save, a watched-file change or a change of
the repository's index/HEAD invalidates it; the chat's `git_diff` tool and `#diff` take
`collect_diffs` (per file, staged and/or unstaged, untracked files named). Both split git's
output with one rule (a renamed file is known by its new name) and cap each file's diff at
`MAX_FILE_DIFF_CHARS` with one marker, `TRUNCATED`.
Everything here blocks (it runs `git`): call it from a worker thread.
Every command runs through `gitsafe` (no repository-named program ever runs, no
`index.lock` is taken, a hung git is killed after `GIT_KILL_AFTER_S`). The repository is
never parsed in-process: its configuration may include a FIFO or `/dev/stdin`, which git
reads in a child with a kill timeout and no stdin, where a Python parser would block forever.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable

import attrs

from .gitsafe import DIFF_FLAGS, GitSession, git_executable
from .secrets import Redactor

GIT_KILL_AFTER_S = 10.0
DIFF_KILL_AFTER_S = 5.0
MAX_FILE_DIFF_CHARS = 16_000
TRUNCATED = "\n... (diff truncated)"
RECENT_COMMITS = 10
MAX_UNTRACKED = 50

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


def warm_up() -> str | None:
    """Find the git executable now (blocking: call it from a worker thread)."""
    return git_executable()


def find_root(directory: str, git: GitSession | None = None) -> tuple[str, str] | None:
    """(working tree root, git dir) of the innermost repository holding `directory`.

    The root keeps the caller's spelling of `directory` (a workspace opened through a symlink
    stays under that link). A repository whose working tree is not the folder holding its
    `.git` (`core.worktree` pointing elsewhere, an embedded bare repository) has no root:
    git would read files outside the folder the user opened. Nor has a repository the guard
    refuses to run git in (see `gitsafe.GitSession`). `git`, if given, runs in `directory`.
    """
    out = (git or GitSession(directory)).run("rev-parse", "--show-toplevel", "--absolute-git-dir")
    lines = out.decode("utf-8", errors="surrogateescape").splitlines() if out else []
    if len(lines) != 2:
        return None
    top, git_dir = (os.path.normpath(line) for line in lines)
    real = os.path.realpath(directory)
    holder = _dot_git_holder(real)
    if holder is None or os.path.realpath(holder) != os.path.realpath(top):
        return None
    depth = os.path.relpath(real, holder).count(os.sep) + 1 if real != holder else 0
    spelled = os.path.normpath(directory)
    for _ in range(depth):
        spelled = os.path.dirname(spelled)
    root = spelled if os.path.realpath(spelled) == os.path.realpath(top) else top
    return root, git_dir


def _dot_git_holder(directory: str) -> str | None:
    """The innermost folder at or above `directory` that holds a `.git` entry."""
    current = directory
    while True:
        if os.path.lexists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


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
        with self._lock(root):
            return self._read(GitSession(root, GIT_KILL_AFTER_S), root, git_dir, excluded)

    def _read(
        self, git: GitSession, root: str, git_dir: str, excluded: Callable[[str], str | None]
    ) -> GitSnapshot:
        stamp = stamp_of(git_dir)
        ref = git.text("symbolic-ref", "-q", "HEAD").strip()
        branch = ref.removeprefix("refs/heads/") or None
        log = git.text("log", f"-n{RECENT_COMMITS}", "--format=%h%x09%s", "--no-color")
        commits = tuple(
            self._redactor.redact(line.replace("\t", " ", 1)) for line in log.splitlines() if line
        )
        head = commits[0].split(" ", 1)[0] if commits else None
        subject = commits[0].split(" ", 1)[1] if commits and " " in commits[0] else None
        status, untracked = _parse_status(
            git.text(
                "status",
                "--porcelain=v1",
                "-z",
                "--untracked-files=normal",
                "--ignore-submodules=dirty",
            )
        )
        diffs: dict[str, FileDiff] = {}
        for staged, text in (
            (False, git.text("diff", *DIFF_FLAGS)),
            (True, git.text("diff", "--cached", *DIFF_FLAGS)),
        ):
            for path, chunk in split_diff(text):
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
        chunk, truncated = cap_diff(chunk)
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


def cap_diff(chunk: str) -> tuple[str, bool]:
    """One file's diff cut at a line end within `MAX_FILE_DIFF_CHARS`, marked; and if it was."""
    if len(chunk) <= MAX_FILE_DIFF_CHARS:
        return chunk, False
    cut = chunk.rfind("\n", 0, MAX_FILE_DIFF_CHARS)
    return chunk[: cut if cut > 0 else MAX_FILE_DIFF_CHARS] + TRUNCATED, True


def split_diff(text: str) -> list[tuple[str, str]]:
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
    """The file a chunk is about: a rename's new name, else the new side, else the old side."""
    lines = chunk.split("\n", 12)
    for line in lines[1:]:
        if line.startswith("rename to "):
            return _unquote(line[len("rename to ") :])
    for marker, side in (("+++ ", "b/"), ("--- ", "a/")):
        for line in lines[1:]:
            if line.startswith(marker):
                name = _unquote(line[len(marker) :])
                if name.startswith(side):
                    return name[len(side) :]
    m = _HEADER.match(lines[0])
    if m:
        return _unquote(m.group(2))
    return _unquote(lines[0][len("diff --git ") :])


def _unquote(path: str) -> str:
    path = path.rstrip("\t")
    if len(path) >= 2 and path[0] == '"' and path[-1] == '"':
        return path[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape")
    return path


# -- per-file diffs for chat ---------------------------------------------------------------------


@attrs.frozen
class DiffFile:
    """One changed file: absolute path, shown path, its diff text and a note."""

    path: str
    shown: str
    text: str
    note: str = ""


def collect_diffs(paths: list[str], which: str = "both") -> list[DiffFile]:
    """Changed files under ``paths``; ``which`` is ``both``, ``staged`` or ``unstaged``.

    Paths in the result are spelled under the caller's path (git reports real paths).
    Callers filter excluded files and redact the text; this only reads git.
    """
    out: list[DiffFile] = []
    seen: set[str] = set()
    for path in paths:
        path = os.path.normpath(path)
        real = os.path.realpath(path)
        repo = None if real in seen else _repo_of(real)
        if repo is None:
            continue
        seen.add(real)
        out += _repo_diffs(path, real, *repo, which)
    return out


def _repo_of(path: str) -> tuple[str, GitSession] | None:
    """The repository root holding ``path`` and a guarded git session in it."""
    where = path if os.path.isdir(path) else os.path.dirname(path)
    if not os.path.isdir(where):
        return None
    probe = GitSession(where, DIFF_KILL_AFTER_S)
    found = find_root(where, probe)
    return (found[0], probe.at(found[0])) if found else None


def _repo_diffs(path: str, real: str, root: str, git: GitSession, which: str) -> list[DiffFile]:
    """The changed and untracked files of one repository under ``path`` (spelled as given)."""
    rel = os.path.relpath(real, root)
    tail = [] if rel == "." else ["--", rel]

    def spelled(rel_in_repo: str) -> str:
        full = os.path.join(root, *rel_in_repo.split("/"))
        return path + full[len(real) :] if full.startswith(real) else full

    texts: dict[str, list[str]] = {}
    for kind, extra in (("unstaged", []), ("staged", ["--cached"])):
        if which not in ("both", kind):
            continue
        for name, chunk in split_diff(git.text("diff", *DIFF_FLAGS, *extra, *tail)):
            chunk, _cut = cap_diff(chunk)
            label = "staged" if kind == "staged" else "working tree"
            texts.setdefault(name, []).append(f"# {label}\n{chunk}" if which == "both" else chunk)
    out = [DiffFile(spelled(name), name, "\n".join(texts[name])) for name in sorted(texts)]
    if which != "staged":
        others = git.text("ls-files", "--others", "--exclude-standard", *tail)
        for name in sorted(others.splitlines())[:MAX_UNTRACKED]:
            out.append(DiffFile(spelled(name), name, "", "new file, not yet tracked by git"))
    return out
