"""What chat may see of the workspace: paths inside the workspace folders, never excluded files.

Every path the user or the model names goes through ``resolve``: relative paths are taken
against the workspace folders, absolute ones (and ``file:`` URIs) must lie inside one, and the
real path (symlinks followed) must too. ``read`` refuses excluded files by name (the reason is
given, the content never read), prefers the editor's unsaved text for open files, and redacts
secrets. Disk reads go through ``reader`` (the engine's ``safepath.PathGuard``: only regular
files, exclusions on the link and its target). Disk work runs in a thread under a time budget.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

import attrs

from glm_lsp.context.files import FileText, skip_reason, uri_to_path
from glm_lsp.context.git import DiffFile, collect_diffs
from glm_lsp.context.safepath import read_text

__all__ = ["ChatWorkspace", "OutsideWorkspace", "ReadResult", "diff_files"]

T = TypeVar("T")

IO_TIMEOUT_S = 5.0


class OutsideWorkspace(Exception):
    """A path that chat may not touch; the message says why."""


@attrs.frozen
class ReadResult:
    """A file's redacted text, or why there is none."""

    path: str
    shown: str
    text: str | None
    reason: str | None = None
    excluded: bool = False


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


class ChatWorkspace:
    """Workspace folders plus the exclusion and redaction rules of the context engine."""

    def __init__(
        self,
        roots: Sequence[str],
        *,
        excluded: Callable[[str], Awaitable[str | None]],
        redact: Callable[[str, str | None], str],
        open_texts: Callable[[], dict[str, str]] = dict,
        reader: Callable[[str], FileText] = read_text,
        excluded_blocking: Callable[[str], str | None] | None = None,
        io_timeout: float = IO_TIMEOUT_S,
    ) -> None:
        paths = (uri_to_path(r) for r in roots)
        self.roots: tuple[str, ...] = tuple(dict.fromkeys(os.path.normpath(p) for p in paths if p))
        """Workspace folders, in the editor's order."""
        self._excluded = excluded
        self._redact = redact
        self.open_texts = open_texts
        """The editor's text of each open file, by path; must not block."""
        self.reader = reader
        """Reads a file from disk (blocking): the context engine's guarded reader."""
        self._excluded_blocking = excluded_blocking
        self.io_timeout = io_timeout

    # -- paths ---------------------------------------------------------------------------------

    def root_of(self, path: str) -> str | None:
        """The workspace folder holding ``path`` (the innermost one)."""
        best: str | None = None
        for root in self.roots:
            if _inside(path, root) and (best is None or len(root) > len(best)):
                best = root
        return best

    def display(self, path: str) -> str:
        """``path`` as the model and the user see it: relative to its folder, with ``/``."""
        root = self.root_of(path)
        if root is None:
            return path.replace(os.sep, "/")
        rel = os.path.relpath(path, root)
        shown = "." if rel == "." else rel.replace(os.sep, "/")
        if len(self.roots) > 1:
            shown = f"{os.path.basename(root)}/{shown}" if shown != "." else os.path.basename(root)
        return shown

    async def resolve(self, raw: str) -> str:
        """The absolute path for ``raw``, or OutsideWorkspace."""
        return await self.run(self.resolve_blocking, raw)

    def resolve_blocking(self, raw: str) -> str:
        text = raw.strip().strip("\"'")
        if not text:
            raise OutsideWorkspace("no path given")
        if not self.roots:
            raise OutsideWorkspace("no workspace folder is open, so no file can be read")
        candidates = self._candidates(raw, text)
        for candidate in candidates:
            holder = self.root_of(candidate)
            if holder is None:
                continue
            real = os.path.realpath(candidate)
            if not _inside(real, os.path.realpath(holder)):
                raise OutsideWorkspace(f"{raw} leads outside the workspace (through a link)")
            if os.path.lexists(candidate) or candidate is candidates[-1]:
                return candidate
        raise OutsideWorkspace(f"{raw} is outside the workspace folders")

    def _candidates(self, raw: str, text: str) -> list[str]:
        """The paths ``text`` may mean, most likely first (a folder's name may lead it)."""
        if text.startswith("file:"):
            local = uri_to_path(text)
            if local is None:
                raise OutsideWorkspace(f"{raw!r} is not a local file")
            return [local]
        if os.path.isabs(text):
            return [os.path.normpath(text)]
        candidates = [os.path.normpath(os.path.join(root, text)) for root in self.roots]
        if len(self.roots) > 1:
            head, _, rest = text.replace("\\", "/").partition("/")
            for root in self.roots:
                if os.path.basename(root) == head:
                    candidates.insert(0, os.path.normpath(os.path.join(root, rest or ".")))
        return candidates

    # -- reading -------------------------------------------------------------------------------

    async def excluded(self, path: str) -> str | None:
        """Why ``path`` may not be read into a prompt (None: it may).

        asyncio.TimeoutError after ``io_timeout``: callers treat that as "do not read".
        """
        return await asyncio.wait_for(self._excluded(path), self.io_timeout)

    async def excluded_many(self, paths: Sequence[str]) -> list[str | None]:
        """``excluded`` for many paths, decided in one thread job when the engine allows it (a
        job per path would keep the event loop busy with thousands of callbacks)."""
        blocking = self._excluded_blocking
        if blocking is None:
            return list(await asyncio.gather(*(self.excluded(p) for p in paths)))
        return await self.run(lambda: [blocking(p) for p in paths])

    def redact(self, text: str, path: str | None = None) -> str:
        return self._redact(text, path)

    async def read(self, path: str) -> ReadResult:
        """The redacted text of ``path`` (an open document's unsaved text when there is one)."""
        shown = self.display(path)
        try:
            why = await self.excluded(path)
        except asyncio.TimeoutError:
            return ReadResult(path, shown, None, "could not check in time whether it is excluded")
        if why is not None:
            return ReadResult(path, shown, None, f"excluded ({why})", excluded=True)
        text = self.open_texts().get(path)
        if text is not None:
            reason = skip_reason(text, path)
            if reason is not None:
                return ReadResult(path, shown, None, reason)
        else:
            try:
                found = await self.run(self.reader, path)
            except asyncio.TimeoutError:
                return ReadResult(path, shown, None, "reading it took too long")
            if found.text is None:
                return ReadResult(path, shown, None, found.reason)
            text = found.text
        try:
            redacted = await self.run(self._redact, text, path)
        except asyncio.TimeoutError:
            return ReadResult(path, shown, None, "checking it for secrets took too long")
        return ReadResult(path, shown, redacted)

    async def run(self, fn: Callable[..., T], *args: object) -> T:
        """``fn(*args)`` in a thread; TimeoutError after ``io_timeout`` seconds."""
        return await asyncio.wait_for(asyncio.to_thread(fn, *args), self.io_timeout)


async def diff_files(ws: ChatWorkspace, target: str | None, which: str) -> list[DiffFile]:
    """Uncommitted changes under ``target`` (or every workspace folder), excluded files named."""
    roots = [target] if target else list(ws.roots)
    found = await ws.run(collect_diffs, roots, which)
    out: list[DiffFile] = []
    verdicts = await ws.excluded_many([item.path for item in found])
    for item, why in zip(found, verdicts, strict=True):
        shown = ws.display(item.path)
        if why is not None:
            out.append(DiffFile(item.path, shown, "", f"changed; not shown (excluded: {why})"))
        elif item.text:
            out.append(DiffFile(item.path, shown, ws.redact(item.text, item.path), item.note))
        else:
            out.append(DiffFile(item.path, shown, "", item.note))
    return out
