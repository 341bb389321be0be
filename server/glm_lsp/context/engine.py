"""ContextEngine: the one object features ask for budgeted, ordered context.

The LSP layer forwards document and workspace events to it (`open_document`,
`change_document`, `focus_document`, `document_saved`, `files_changed`, ...) and
asks `await build(uri, line, character, feature)` for a `ContextResult`. The
event-loop part of a build is bounded work over caches; anything that touches
disk or `git` runs in threads (warmed in the background after each event) and is
raced against the feature's deadline, so a slow source is dropped, not awaited.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from .assemble import Assembler
from .budget import FeatureBudget, default_budgets
from .documents import Activity, DocumentStore, TextSource
from .exclusions import Exclusions
from .files import FileText, uri_to_path
from .secrets import Redactor, kind_for_path
from .sources import Sources
from .types import ContextResult, Feature
from .window_redaction import overlay
from .workspace import Workspace

PREPARE_DEBOUNCE_S = 1.5
BACKGROUND_DEADLINE_S = 60.0
IGNORE_FILES = frozenset({".gitignore", "exclude"})


class ContextEngine:
    """Documents, activity and caches for one workspace; builds context on request."""

    def __init__(
        self,
        *,
        workspace_roots: Sequence[str] = (),
        exclude: Sequence[str] = (),
        git_diff: bool = True,
        open_files: bool = True,
        budgets: dict[Feature, FeatureBudget] | None = None,
        clock: Callable[[], float] = time.monotonic,
        git_check_interval: float = 1.0,
    ) -> None:
        self._docs = DocumentStore()
        self._activity = Activity(clock)
        self._redactor = Redactor()
        self._exclusions = Exclusions()
        self._ws = Workspace(self._redactor, self._exclusions)
        self._ws.stamp_interval = git_check_interval
        self._sources = Sources(self._ws, self._docs, self._activity)
        self._budgets: dict[Feature, FeatureBudget] = dict(budgets or default_budgets())
        self._assembler = Assembler(self._ws, self._docs, self._redactor, self._sources)
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._background: set[asyncio.Task[None]] = set()
        self.set_workspace_roots(list(workspace_roots))
        self.update_settings(exclude=list(exclude), git_diff=git_diff, open_files=open_files)

    # -- settings ------------------------------------------------------------------------------

    def set_workspace_roots(self, roots: list[str]) -> None:
        """Workspace folders (paths or file URIs); imports must resolve inside them."""
        paths = [p for p in (uri_to_path(r) for r in roots) if p]
        self._exclusions.set_roots(paths)
        self._ws.set_roots(tuple(paths))

    def update_settings(
        self,
        exclude: list[str] | None = None,
        git_diff: bool | None = None,
        open_files: bool | None = None,
    ) -> None:
        """Apply `exclude` globs, `context.gitDiff` and `context.openFiles`."""
        if exclude is not None:
            self._exclusions.set_patterns(exclude)
            self._ws.prepared.clear()
            self._ws.invalidate_git()
        if git_diff is not None:
            self._sources.git_diff = git_diff
        if open_files is not None:
            self._sources.open_files = open_files

    def budget(self, feature: Feature) -> FeatureBudget:
        return self._budgets[feature]

    def set_model_limits(self, context_window: int, output_reserve: int) -> None:
        """Size the chat budget to the model: context window minus output reserve."""
        self._budgets["chat"] = default_budgets(context_window, output_reserve)["chat"]

    # -- document events -----------------------------------------------------------------------

    def open_document(self, uri: str, text: str, language_id: str, version: int) -> None:
        self._docs.open(uri, text, language_id, version)
        self._activity.visit(uri)
        self._schedule_prepare(uri, 0.0)

    def change_document(
        self,
        uri: str,
        text: str | TextSource,
        version: int,
        changed_line_ranges: list[tuple[int, int]],
    ) -> None:
        """New text (or the live document) after a didChange; ranges are edited new lines."""
        _doc, delta = self._docs.change(uri, text, version, changed_line_ranges)
        self._activity.record_edit(uri, changed_line_ranges, delta)
        path = uri_to_path(uri)
        if path and os.path.basename(path) == ".gitignore":
            self._forget_exclusions(path)
        self._schedule_prepare(uri, PREPARE_DEBOUNCE_S)

    def close_document(self, uri: str) -> None:
        self._docs.close(uri)
        self._ws.forget_prepared(uri)
        self._assembler.forget(uri)
        timer = self._timers.pop(uri, None)
        if timer is not None:
            timer.cancel()

    def focus_document(self, uri: str) -> None:
        self._activity.visit(uri)

    def document_saved(self, uri: str) -> None:
        path = uri_to_path(uri)
        if path:
            self.files_changed([path])

    def files_changed(self, paths: list[str]) -> None:
        """Files created, changed or deleted on disk (didChangeWatchedFiles, saves)."""
        for item in paths:
            path = uri_to_path(item)
            if not path:
                continue
            if os.path.basename(path) in IGNORE_FILES:
                self._forget_exclusions(path)
            else:
                self._ws.guard.invalidate(path)
            for uri, p in list(self._ws.prepared.items()):
                if p.path == path and self._docs.get(uri) is None:
                    self._ws.forget_prepared(uri)
            for root in self._ws.git_roots():
                if path == root or path.startswith(root.rstrip(os.sep) + os.sep):
                    self._ws.invalidate_git(root)
        self._ws.clear_resolved()

    def _forget_exclusions(self, path: str) -> None:
        """An ignore file changed: every exclusion decision (and prepared file) may be stale."""
        self._ws.guard.invalidate(path)
        self._ws.prepared.clear()

    # -- queries for other features ------------------------------------------------------------

    async def is_excluded(self, path_or_uri: str) -> str | None:
        """Why a file may not be read into a prompt (None: it may). Reads .gitignore in a thread."""
        path = uri_to_path(path_or_uri)
        if path is None:
            return None
        static = self._ws.static_exclusion(path)
        if static is not None:
            return static
        return await asyncio.to_thread(self._ws.exclusion_blocking, path)

    def is_excluded_blocking(self, path_or_uri: str) -> str | None:
        """``is_excluded`` for a worker thread."""
        path = uri_to_path(path_or_uri)
        if path is None:
            return None
        return self._ws.static_exclusion(path) or self._ws.exclusion_blocking(path)

    def read_blocking(self, path: str) -> FileText:
        """A workspace file from disk through the guard (blocking: call it in a thread)."""
        return self._ws.guard.read(path)

    def redact(self, text: str, path: str | None = None) -> str:
        """Replace secret-looking strings; CPU-bound for large uncached text."""
        return self._redactor.redact(text, path=path)

    def redact_window(self, uri: str, first_line: int, prefix: str, suffix: str) -> tuple[str, str]:
        """A cursor window of an open document (its lines from `first_line`, split at the
        cursor) redacted on its own and with the blocks of the whole document, so that a
        secret section or key whose opening line lies above the window stays hidden."""
        path = uri_to_path(uri)
        local = (self.redact(prefix, path), self.redact(suffix, path))
        doc = self._docs.get(uri)
        if doc is None:
            return local
        blocks = self._assembler.document_blocks(uri, doc)
        raw = (prefix, suffix)
        kind = kind_for_path(path)
        return overlay(self._redactor, doc.lines, blocks, kind, first_line, raw, local)

    async def wait_idle(self) -> None:
        """Run scheduled background preparation now and wait for all thread jobs."""
        for uri, timer in list(self._timers.items()):
            timer.cancel()
            self._prepare_now(uri)
        self._timers.clear()
        while True:
            pending: list[asyncio.Future[Any]] = [*self._ws.jobs.pending(), *self._background]
            if not pending:
                return
            await asyncio.wait(pending)

    def close(self) -> None:
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()
        for task in self._background:
            task.cancel()
        self._ws.jobs.close()

    # -- build ---------------------------------------------------------------------------------

    async def build(
        self,
        uri: str,
        line: int,
        character: int,
        feature: Feature,
        *,
        selection: tuple[int, int, int, int] | None = None,
        budget_tokens: int | None = None,
    ) -> ContextResult:
        """Context for `feature` at (line, character); `selection` is (l0, c0, l1, c1)."""
        if feature not in self._budgets:
            raise ValueError(f"unknown feature {feature!r}: use 'inline', 'edit' or 'chat'")
        fb = self._budgets[feature]
        if budget_tokens is not None:
            fb = fb.with_total(budget_tokens)
        return await self._assembler.build(
            uri,
            line,
            character,
            feature,
            fb,
            selection=selection,
        )

    # -- background preparation ----------------------------------------------------------------

    def _schedule_prepare(self, uri: str, delay: float) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        timer = self._timers.pop(uri, None)
        if timer is not None:
            timer.cancel()
        self._timers[uri] = loop.call_later(delay, self._prepare_now, uri)

    def _prepare_now(self, uri: str) -> None:
        self._timers.pop(uri, None)
        doc = self._docs.get(uri)
        if doc is None:
            return
        if self._ws.prepared_for(uri, doc) is None:
            self._ws.start_prepare(uri, doc.path, doc)
        if doc.path is not None:
            self._in_background(self._ws.warm_git(doc.path))
            limit = max(b.imports for b in self._budgets.values())
            deadline = asyncio.get_running_loop().time() + BACKGROUND_DEADLINE_S
            self._in_background(self._sources.warm_imports(uri, limit, deadline))

    def _in_background(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)
