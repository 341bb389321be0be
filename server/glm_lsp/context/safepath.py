"""The one guarded way to decide whether a path may be used, and to read it from disk.

A repository is hostile: it can hold links to `.env`, to `~/.ssh`, to `/etc/passwd`, to
`/dev/stdin` or `/proc/self/environ`, links to directories outside it or to themselves,
FIFOs, sockets and device nodes. Every feature that reads the workspace goes through here:

- `PathGuard.reason(path)` applies the exclusion rules to the name used *and* to the real
  path (links followed), refuses a path inside a workspace folder whose real path leaves the
  workspace, system trees (`/proc`, `/sys`, `/dev`) and anything that is not a regular file.
- `PathGuard.read(path)` decides again at read time (so a link retargeted since the last
  decision is caught), refuses paths outside the workspace folders, then `open_regular`.
- `open_regular` checks the real path with `lstat` before opening, opens it component by
  component with `O_NOFOLLOW` (a link swapped in after the check fails to open) and
  `O_NONBLOCK` (a FIFO swapped in cannot block the thread), then `fstat`s the descriptor:
  only a regular file under the size cap is read. Nothing here can read the server's stdin.
- `walk_files` lists a directory tree without following linked directories (no escape, no
  loop); the files it yields still go through `reason`.

All of it is blocking: call it from a worker thread.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from .files import MAX_FILE_BYTES, FileText, skip_reason

if TYPE_CHECKING:
    from .exclusions import Exclusions

__all__ = [
    "SYSTEM_TREES",
    "PathGuard",
    "open_regular",
    "read_text",
    "walk_files",
    "within",
]

SYSTEM_TREES: tuple[str, ...] = ("/proc", "/sys", "/dev")
"""Pseudo file systems: their "regular files" (`/proc/self/environ`) are views of the process."""

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NOCTTY = getattr(os, "O_NOCTTY", 0)
_BINARY = getattr(os, "O_BINARY", 0)
_WALK_BY_COMPONENT = bool(_NOFOLLOW and _DIRECTORY) and os.open in os.supports_dir_fd


def within(path: str, roots: Sequence[str]) -> bool:
    """Whether `path` is one of `roots` or below one (plain string test on normalized paths)."""
    return any(path == r or path.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


def _system(real: str) -> bool:
    return os.name != "nt" and within(real, SYSTEM_TREES)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISLNK(mode):
        return "a link that leads nowhere"
    if stat.S_ISDIR(mode):
        return "a directory"
    return "a special file"


def _special_reason(real: str) -> str | None:
    """Why the file at the real path `real` is not a plain file one may open (None: it is)."""
    if _system(real):
        return "a system file (/proc, /sys or /dev)"
    try:
        mode = os.lstat(real).st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"unreadable: {exc.strerror or exc}"
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    return f"not a regular file ({_kind(mode)})"


def _open_by_component(real: str) -> int:
    """Open `real` walking each component with O_NOFOLLOW: any link on the way fails (ELOOP)."""
    parts = [p for p in real.split(os.sep) if p]
    fd = os.open(os.sep, os.O_RDONLY | _DIRECTORY | _CLOEXEC)
    try:
        for part in parts[:-1]:
            step = os.open(part, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC, dir_fd=fd)
            os.close(fd)
            fd = step
        flags = os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _NOCTTY | _CLOEXEC
        return os.open(parts[-1], flags, dir_fd=fd)
    finally:
        os.close(fd)


def open_regular(
    path: str, limit: int = MAX_FILE_BYTES, *, real: str | None = None
) -> tuple[bytes | None, str | None, int]:
    """(data, None, mtime_ns) of a regular file no larger than `limit`, else (None, why, 0).

    Never blocks on a FIFO and never opens a device, socket or anything under a system tree.
    With `real` (the real path a caller already checked), exactly that file is opened: if a
    link has appeared anywhere on it since, the open fails.
    """
    real = real or os.path.realpath(path)
    why = _special_reason(real)
    if why is not None:
        return None, why, 0
    try:
        fd = (
            _open_by_component(real)
            if _WALK_BY_COMPONENT
            else os.open(real, os.O_RDONLY | _NONBLOCK | _BINARY)
        )
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR):
            return None, "it changed into a link while being read", 0
        return None, f"unreadable: {exc.strerror or exc}", 0
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return None, f"not a regular file ({_kind(st.st_mode)})", 0
        if st.st_size > limit:
            return None, "too large", st.st_mtime_ns
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            return None, "too large", st.st_mtime_ns
        return b"".join(chunks), None, st.st_mtime_ns
    except OSError as exc:
        return None, f"unreadable: {exc.strerror or exc}", 0
    finally:
        os.close(fd)


def read_text(path: str, *, real: str | None = None) -> FileText:
    """A regular file's text for context (refuses special, huge, binary and minified files)."""
    data, why, mtime = open_regular(path, real=real)
    if data is None:
        return FileText(path, None, why, mtime)
    size = len(data)
    if b"\x00" in data[:8192]:
        return FileText(path, None, "binary", mtime, size)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return FileText(path, None, "binary", mtime, size)
    why = skip_reason(text, path)
    if why is not None:
        return FileText(path, None, why, mtime, size)
    return FileText(path, text, None, mtime, size)


def walk_files(
    base: str, skip_dirs: frozenset[str] = frozenset(), limit: int | None = None
) -> Iterator[str]:
    """Paths below `base` that are not directories, in name order, linked directories unvisited.

    The paths are spelled under `base`; links to files are yielded (as links) so the caller's
    `reason` check sees both names. Stops after `limit` paths.
    """
    count = 0
    for root, dirnames, filenames in os.walk(base, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in skip_dirs)
        for name in sorted(filenames):
            if limit is not None and count >= limit:
                return
            count += 1
            yield os.path.join(root, name)


class PathGuard:
    """Exclusion rules on both names, workspace containment and file kind, decided once."""

    def __init__(self, exclusions: Exclusions, repo_root: Callable[[str], str | None]) -> None:
        self.exclusions = exclusions
        self._repo_root = repo_root
        self._decisions: dict[str, tuple[int, str | None]] = {}

    # -- cache -----------------------------------------------------------------------------------

    def cached(self, path: str) -> tuple[bool, str | None]:
        """(known, reason) without I/O."""
        hit = self._decisions.get(os.path.normpath(path))
        if hit is not None and hit[0] == self.exclusions.generation:
            return True, hit[1]
        return False, None

    def invalidate(self, path: str | None = None) -> None:
        """Forget decisions about `path` (all of them for None or an ignore file)."""
        self.exclusions.invalidate(path)
        if path is None:
            self._decisions.clear()
        else:
            self._decisions.pop(os.path.normpath(path), None)

    # -- decisions -------------------------------------------------------------------------------

    def reason(self, path: str) -> str | None:
        """Why `path` may not be read into a prompt (None: it may)."""
        path = os.path.normpath(path)
        known, why = self.cached(path)
        if known:
            return why
        generation = self.exclusions.generation
        why = self._decide(path, os.path.realpath(path))
        self._decisions[path] = (generation, why)
        return why

    def _decide(self, path: str, real: str) -> str | None:
        why = self.exclusions.reason(path, self._repo_root(path))
        if why is not None:
            return why
        given = self.exclusions.roots
        if given and within(path, given) and not within(real, self.exclusions.real_roots):
            return "it links outside the workspace"
        if real != path:
            if _system(real):
                return "it links to a system file (/proc, /sys or /dev)"
            why = self.exclusions.reason(real, self._repo_root(real))
            if why is not None:
                return f"it links to an excluded file ({why})"
        return _special_reason(real)

    def read(self, path: str) -> FileText:
        """The text of `path` from disk, decided afresh (the real path may have changed)."""
        path = os.path.normpath(path)
        real = os.path.realpath(path)
        given = self.exclusions.roots
        if given and not within(real, self.exclusions.real_roots):
            return FileText(path, None, "outside the workspace folders")
        generation = self.exclusions.generation
        why = self._decide(path, real)
        self._decisions[path] = (generation, why)
        if why is not None:
            return FileText(path, None, f"excluded: {why}")
        return read_text(path, real=real)
