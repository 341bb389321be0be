"""The engine's caches of slow facts, each filled by a thread job under a deadline.

Prepared files, repository roots, git snapshots, import resolution and exclusion
decisions all come from disk or `git`. `Workspace` answers from its caches at
once when it can; otherwise it starts (or joins) a thread job and waits only
until the caller's deadline. A job that outlives the deadline still fills the
cache, so the next request finds the answer.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Hashable, Sequence

import attrs

from glm_lsp.warmup import warm_in_background

from . import git, secrets
from .documents import Document
from .exclusions import Exclusions
from .files import FileText
from .git import GitReader, GitSnapshot, find_root, stamp_of
from .imports import python_roots, resolve
from .prepare import Jobs, Prepared, prepare_file
from .safepath import PathGuard, within
from .secrets import Redactor, Span, kind_for_path, private_key_blocks

STAMP_CHECK_EVERY_S = 1.0
DISK_KEY = ("disk",)
Repo = tuple[str, str]


@attrs.frozen
class Loaded:
    """A file read from disk for the cursor: raw and redacted lines."""

    read: FileText
    lines: list[str]
    redacted: list[str]
    blocks: list[Span]


def doc_key(doc: Document) -> Hashable:
    return ("doc", doc.version)


class Workspace:
    """Caches plus the thread jobs that fill them."""

    def __init__(self, redactor: Redactor, exclusions: Exclusions) -> None:
        self.redactor = redactor
        self.exclusions = exclusions
        self.jobs = Jobs()
        self.roots: tuple[str, ...] = ()
        self.prepared: dict[str, Prepared] = {}
        self._prepared_rules: dict[str, int] = {}
        self.guard = PathGuard(exclusions, self.repo_root_blocking)
        """Every decision to use a path and every read from disk goes through it."""
        self._git = GitReader(redactor)
        self._repo_by_dir: dict[str, Repo | None] = {}
        self._snapshots: dict[str, GitSnapshot] = {}
        self._git_gen: dict[str, int] = {}
        self._stamp_checked: dict[str, float] = {}
        self._resolved: dict[tuple[str, tuple[str, ...]], tuple[str, ...]] = {}
        self.stamp_interval = STAMP_CHECK_EVERY_S
        self._display: dict[str, str] = {}

    def set_roots(self, roots: tuple[str, ...]) -> None:
        self.roots = roots
        self._display.clear()
        self._resolved.clear()
        _warm_when_serving()

    # -- repository roots ----------------------------------------------------------------------

    def repo_blocking(self, path: str) -> Repo | None:
        directory = os.path.dirname(path)
        if directory not in self._repo_by_dir:
            self._repo_by_dir[directory] = find_root(directory)
        return self._repo_by_dir[directory]

    def repo_root_blocking(self, path: str) -> str | None:
        repo = self.repo_blocking(path)
        return repo[0] if repo else None

    def repo_cached(self, path: str) -> tuple[bool, Repo | None]:
        directory = os.path.dirname(path)
        if directory in self._repo_by_dir:
            return True, self._repo_by_dir[directory]
        return False, None

    async def repo(self, path: str, deadline: float) -> tuple[bool, Repo | None]:
        """(known in time, repo) for the file at `path`."""
        known, repo = self.repo_cached(path)
        if known:
            return True, repo
        fut = self.jobs.start(("repo", os.path.dirname(path)), lambda: self.repo_blocking(path))
        await Jobs.wait([fut], deadline)
        return self.repo_cached(path)

    def display(self, path: str) -> str:
        """Path shown to the model: relative to its workspace folder or repository."""
        hit = self._display.get(path)
        if hit is not None:
            return hit
        shown = self._display_uncached(path)
        if self.exclusions.workspace_root(path) is not None or self.repo_cached(path)[0]:
            self._display[path] = shown
        return shown

    def _display_uncached(self, path: str) -> str:
        root = self.exclusions.workspace_root(path)
        if root is None:
            known, repo = self.repo_cached(path)
            root = repo[0] if known and repo else None
        if root is None:
            return path.replace(os.sep, "/")
        return os.path.relpath(path, root).replace(os.sep, "/")

    # -- exclusions ----------------------------------------------------------------------------

    def static_exclusion(self, path: str) -> str | None:
        known, repo = self.repo_cached(path)
        return self.exclusions.static_reason(path, repo[0] if known and repo else None)

    async def exclusion(self, path: str, deadline: float) -> tuple[bool, str | None]:
        """(decided in time, reason) for reading `path` into a prompt."""
        known, why = self.guard.cached(path)
        if known:
            return True, why
        why = self.static_exclusion(path)
        if why is not None:
            return True, why
        fut = self.jobs.start(("exclusion", path), lambda: self.guard.reason(path))
        await Jobs.wait([fut], deadline)
        return self.guard.cached(path)

    def exclusion_blocking(self, path: str) -> str | None:
        return self.guard.reason(path)

    # -- prepared files ------------------------------------------------------------------------

    def prepared_for(self, uri: str, doc: Document | None) -> Prepared | None:
        p = self.prepared.get(uri)
        if p is None:
            return None
        expected = doc_key(doc) if doc is not None else DISK_KEY
        current = self._prepared_rules.get(uri) == self.exclusions.generation
        return p if p.key == expected and current else None

    def start_prepare(
        self, uri: str, path: str | None, doc: Document | None
    ) -> asyncio.Future[Prepared]:
        key = doc_key(doc) if doc is not None else DISK_KEY
        text = doc.text if doc is not None else None
        language = doc.language_id if doc is not None else ""

        def run() -> Prepared:
            while True:
                rules = self.exclusions.generation
                result = prepare_file(
                    uri=uri,
                    path=path,
                    text=text,
                    language_id=language,
                    key=key,
                    guard=self.guard,
                    redactor=self.redactor,
                )
                # Exclusion rules that changed meanwhile (settings, .gitignore) decide again.
                if self.exclusions.generation == rules:
                    break
            self.prepared[uri] = result
            self._prepared_rules[uri] = rules
            if doc is not None and result.usable:
                doc.adopt(list(result.lines), plain=not result.blocks)
            return result

        return self.jobs.start(("prepare", uri, key), run, cpu=True)

    async def prepare_many(
        self,
        items: Sequence[tuple[str, str | None, Document | None]],
        deadline: float,
    ) -> tuple[dict[str, Prepared], list[str]]:
        """Prepared files ready by `deadline`, and the uris that were not."""
        ready: dict[str, Prepared] = {}
        waiting: dict[str, asyncio.Future[Prepared]] = {}
        for uri, path, doc in items:
            p = self.prepared_for(uri, doc)
            if p is not None:
                ready[uri] = p
            else:
                waiting[uri] = self.start_prepare(uri, path, doc)
        await Jobs.wait(waiting.values(), deadline)
        late: list[str] = []
        for uri, fut in waiting.items():
            if fut.done() and not fut.cancelled() and fut.exception() is None:
                ready[uri] = fut.result()
            else:
                late.append(uri)
        return ready, late

    def forget_prepared(self, uri: str) -> None:
        self.prepared.pop(uri, None)

    # -- files read for the cursor when the document is not open ---------------------------------

    async def load(self, path: str, deadline: float) -> Loaded | None:
        """Read and redact a file that is not open (thread), or None if not done in time."""
        kind = kind_for_path(path)

        def run() -> Loaded:
            read = self.guard.read(path)
            if read.text is None:
                return Loaded(read, [], [], [])
            raw = read.text.split("\n")
            blocks = private_key_blocks(read.text, raw)
            red, _ = self.redactor.redact_lines(raw, 0, len(raw), kind=kind, blocks=blocks)
            return Loaded(read, raw, red, blocks)

        fut = self.jobs.start(("load", path), run, cpu=True)
        await Jobs.wait([fut], deadline)
        if fut.done() and not fut.cancelled() and fut.exception() is None:
            result: Loaded = fut.result()
            return result
        return None

    # -- imports -------------------------------------------------------------------------------

    async def resolve_imports(
        self, path: str, language_id: str, specs: tuple[str, ...], deadline: float
    ) -> tuple[str, ...] | None:
        key = (path, specs)
        hit = self._resolved.get(key)
        if hit is not None:
            return hit
        workspace = self.roots

        def run() -> tuple[str, ...]:
            repo = self.repo_root_blocking(path)
            allowed = workspace or ((repo,) if repo else (os.path.dirname(path),))
            real_allowed = tuple(os.path.realpath(a) for a in allowed)
            search = python_roots(path, allowed) if language_id == "python" else []
            found: list[str] = []
            for spec in specs:
                target = resolve(spec, path, language_id, search)
                if (
                    target
                    and target not in found
                    and within(target, allowed)
                    and within(os.path.realpath(target), real_allowed)
                ):
                    found.append(target)
            self._resolved[key] = tuple(found)
            return tuple(found)

        fut = self.jobs.start(("imports", key), run)
        await Jobs.wait([fut], deadline)
        return self._resolved.get(key)

    def clear_resolved(self) -> None:
        self._resolved.clear()

    # -- git -----------------------------------------------------------------------------------

    def invalidate_git(self, root: str | None = None) -> None:
        roots = [root] if root is not None else sorted(set(self._snapshots) | set(self._git_gen))
        for r in roots:
            self._snapshots.pop(r, None)
            self._git_gen[r] = self._git_gen.get(r, 0) + 1

    def git_roots(self) -> list[str]:
        return sorted(set(self._snapshots) | set(self._git_gen))

    async def snapshot(self, repo: Repo, deadline: float) -> GitSnapshot | None:
        root, git_dir = repo
        snap = self._snapshots.get(root)
        if snap is not None:
            self._maybe_check_stamp(root, git_dir, snap)
            return snap
        gen = self._git_gen.setdefault(root, 0)

        def run() -> GitSnapshot:
            result = self._git.snapshot(
                root, git_dir, lambda p: self.exclusions.static_reason(p, root)
            )
            if self._git_gen.get(root, 0) == gen:
                self._snapshots[root] = result
            return result

        fut = self.jobs.start(("git", root, gen), run)
        await Jobs.wait([fut], deadline)
        if fut.done() and not fut.cancelled() and fut.exception() is None:
            result: GitSnapshot = fut.result()
            return result
        return None

    async def warm_git(self, path: str) -> None:
        """Discover the repository of `path` and snapshot it, with no request waiting."""
        loop = asyncio.get_running_loop()
        _known, repo = await self.repo(path, loop.time() + 60.0)
        if repo is not None:
            await self.snapshot(repo, loop.time() + 60.0)

    def _maybe_check_stamp(self, root: str, git_dir: str, snap: GitSnapshot) -> None:
        now = time.monotonic()
        if now - self._stamp_checked.get(root, -1e9) < self.stamp_interval:
            return
        self._stamp_checked[root] = now
        fut = self.jobs.start(("stamp", root), lambda: stamp_of(git_dir))

        def check(f: asyncio.Future[tuple[int, ...]]) -> None:
            if f.cancelled() or f.exception() is not None:
                return
            if f.result() != snap.stamp and self._snapshots.get(root) is snap:
                self.invalidate_git(root)

        fut.add_done_callback(check)


def _warm_when_serving() -> None:
    """Once a loop runs (the editor has connected), import detect-secrets and find git in the
    background, so neither the start-up nor the first request pays for them."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return
    warm_in_background("detect-secrets", secrets.warm_up)
    warm_in_background("git", git.warm_up)
