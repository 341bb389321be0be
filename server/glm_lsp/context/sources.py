"""The context sources: each gathers candidates for one request under its deadline.

Every source is a coroutine returning `(candidates, dropped)`. The engine races them
against the feature's deadline; what a source could not finish in time it reports
itself as `timeout` (per file where that is known).
"""

from __future__ import annotations

import os
from collections.abc import Hashable, Sequence

import attrs

from .budget import Candidate, FeatureBudget
from .documents import Activity, Document, DocumentStore
from .files import path_to_uri, uri_to_path
from .git import GitSnapshot
from .imports import JS_LANGS, PY_LANGS, import_specs
from .prepare import Prepared
from .related import DocIndex, Match, best_window, query_tokens, shortlist
from .render import diff_text, git_status_text, recent_edit_ranges, snippet, truncate
from .secrets import Span
from .tokens import estimate_tokens
from .types import CursorWindow, Dropped, Piece
from .workspace import Workspace

SourceResult = tuple[list[Candidate], list[Dropped]]
MAX_CLOSED_CANDIDATES = 10
SHORTLIST_MIN = 6
MATCH_CACHE = 4_096
RANKED_CACHE = 256
Ranked = tuple[float, str, Prepared, int, int]


@attrs.frozen
class Request:
    """Everything the sources need to know about one build."""

    uri: str
    path: str | None
    display: str | None
    lines: Sequence[str]
    redacted: Sequence[str]
    language_id: str
    version: int | None
    text: str
    line: int
    character: int
    window: CursorWindow
    budget: FeatureBudget
    deadline: float
    kind: str
    blocks: Sequence[Span]


@attrs.define
class Sources:
    """Binds the engine's state to the source coroutines."""

    ws: Workspace
    docs: DocumentStore
    activity: Activity
    open_files: bool = True
    git_diff: bool = True
    _specs: dict[str, tuple[int | None, tuple[str, ...]]] = attrs.field(factory=dict)
    _matches: dict[tuple[str, Hashable, frozenset[str]], Match | None] = attrs.field(factory=dict)
    _ranked: dict[Hashable, list[Ranked]] = attrs.field(factory=dict)

    def _item(self, uri: str) -> tuple[str, str | None, Document | None]:
        return uri, uri_to_path(uri), self.docs.get(uri)

    def _show(self, p: Prepared) -> str | None:
        return self.ws.display(p.path) if p.path else None

    def _unusable(self, source: str, p: Prepared) -> Dropped:
        reason = f"excluded: {p.excluded}" if p.excluded else str(p.skipped)
        return Dropped(source, reason, p.uri, self._show(p))

    # -- related code --------------------------------------------------------------------------

    async def related(self, rq: Request) -> SourceResult:
        if not self.open_files or rq.budget.related_files <= 0:
            return [], []
        open_uris = [u for u in self.docs.uris() if u != rq.uri]
        closed = [u for u in self.activity.edited_uris() if u != rq.uri and u not in open_uris]
        items = [self._item(u) for u in open_uris + closed[:MAX_CLOSED_CANDIDATES]]
        ready, late = await self.ws.prepare_many(items, rq.deadline)
        dropped = [Dropped("related", "timeout", u, None) for u in sorted(late)]
        query = query_tokens(rq.lines, rq.line, rq.character)
        indexed: list[tuple[str, DocIndex]] = []
        for uri in sorted(ready):
            p = ready[uri]
            if not p.usable:
                dropped.append(self._unusable("related", p))
            elif p.index is not None:
                indexed.append((uri, p.index))
        keep = max(2 * rq.budget.related_files, SHORTLIST_MIN)
        signature = (query, keep, tuple((u, ready[u].key) for u, _ in indexed))
        scored = self._ranked.get(signature)
        if scored is None:
            scored = []
            for uri, _index in shortlist(indexed, query, keep):
                p = ready[uri]
                m = self._best(uri, p, query)
                if m is not None and m.score > 0:
                    scored.append((m.score, self._show(p) or uri, p, m.start, m.end))
            scored.sort(key=lambda s: (-s[0], s[1], s[3]))
            if len(self._ranked) > RANKED_CACHE:
                self._ranked.clear()
            self._ranked[signature] = scored
        out = [
            Candidate(
                snippet(
                    "related", p.lines, start, end, uri=p.uri, path=shown, language_id=p.language_id
                ),
                "related",
                score,
            )
            for score, shown, p, start, end in scored[: rq.budget.related_files]
        ]
        return out, dropped

    def _best(self, uri: str, p: Prepared, query: frozenset[str]) -> Match | None:
        key = (uri, p.key, query)
        if key in self._matches:
            return self._matches[key]
        if len(self._matches) > MATCH_CACHE:
            self._matches.clear()
        assert p.index is not None
        m = best_window(p.index, query)
        self._matches[key] = m
        return m

    # -- recent edits --------------------------------------------------------------------------

    async def recent_edits(self, rq: Request) -> SourceResult:
        fb = rq.budget
        if fb.recent_edits <= 0:
            return [], []
        found: list[tuple[float, Candidate]] = []
        avoid = (rq.window.start_line, rq.window.end_line)
        for start, end, when in recent_edit_ranges(
            self.activity.recent_edits(rq.uri), len(rq.lines), fb.recent_edit_context, avoid
        ):
            lines = rq.redacted[start : end + 1]
            piece = snippet(
                "recent-edit",
                lines,
                0,
                len(lines) - 1,
                uri=rq.uri,
                path=rq.display,
                language_id=rq.language_id,
            )
            found.append(
                (
                    when,
                    Candidate(
                        attrs.evolve(piece, start_line=start, end_line=end), "recent-edit", when
                    ),
                )
            )
        dropped: list[Dropped] = []
        others = [u for u in self.activity.edited_uris() if u != rq.uri] if self.open_files else []
        if others:
            ready, late = await self.ws.prepare_many([self._item(u) for u in others], rq.deadline)
            dropped += [Dropped("recent-edit", "timeout", u, None) for u in sorted(late)]
            for uri in sorted(ready):
                p = ready[uri]
                if not p.usable:
                    dropped.append(self._unusable("recent-edit", p))
                    continue
                ranges = self.activity.recent_edits(uri)
                for start, end, when in recent_edit_ranges(
                    ranges, len(p.lines), fb.recent_edit_context, None
                ):
                    piece = snippet(
                        "recent-edit",
                        p.lines,
                        start,
                        end,
                        uri=uri,
                        path=self._show(p),
                        language_id=p.language_id,
                    )
                    found.append((when, Candidate(piece, "recent-edit", when)))
        found.sort(key=lambda f: (-f[0], f[1].piece.path or "", f[1].piece.start_line or 0))
        return [c for _, c in found[: fb.recent_edits]], dropped

    # -- imports -------------------------------------------------------------------------------

    def specs(
        self, uri: str, version: int | None, text: str, language_id: str, fresh: bool = False
    ) -> tuple[str, ...]:
        """Import specifiers of a document.

        While the user types, the last parse is reused (`fresh=False`); the debounced
        background pass re-parses, so a new import is seen once typing pauses.
        """
        cached = self._specs.get(uri)
        if cached is not None and version is not None and (cached[0] == version or not fresh):
            return cached[1]
        specs = import_specs(text, language_id)
        self._specs[uri] = (version, specs)
        return specs

    async def import_items(
        self,
        uri: str,
        path: str,
        version: int | None,
        text: str,
        language_id: str,
        limit: int,
        deadline: float,
        fresh: bool = False,
    ) -> list[tuple[str, str | None, Document | None]] | None:
        """(uri, path, open doc) of the workspace files imported; None if not resolved in time."""
        if language_id not in PY_LANGS | JS_LANGS:
            return []
        specs = self.specs(uri, version, text, language_id, fresh)
        if not specs:
            return []
        targets = await self.ws.resolve_imports(path, language_id, specs, deadline)
        if targets is None:
            return None
        by_path = {uri_to_path(u): u for u in self.docs.uris()}
        items: list[tuple[str, str | None, Document | None]] = []
        for target in targets[:limit]:
            target_uri = by_path.get(target) or path_to_uri(target)
            items.append((target_uri, target, self.docs.get(target_uri)))
        return items

    async def warm_imports(self, uri: str, limit: int, deadline: float) -> None:
        """Resolve and prepare a document's imports before anyone asks."""
        doc = self.docs.get(uri)
        if doc is None or doc.path is None:
            return
        items = await self.import_items(
            uri, doc.path, doc.version, doc.text, doc.language_id, limit, deadline, fresh=True
        )
        if items:
            await self.ws.prepare_many(items, deadline)

    async def imports(self, rq: Request) -> SourceResult:
        fb = rq.budget
        if fb.imports <= 0 or rq.path is None:
            return [], []
        items = await self.import_items(
            rq.uri, rq.path, rq.version, rq.text, rq.language_id, fb.imports, rq.deadline
        )
        if items is None:
            return [], [Dropped("import", "timeout", rq.uri, rq.display)]
        ready, late = await self.ws.prepare_many(items, rq.deadline)
        dropped = [Dropped("import", "timeout", u, None) for u in sorted(late)]
        out: list[Candidate] = []
        for rank, (uri, _target, _doc) in enumerate(items):
            p = ready.get(uri)
            if p is None:
                continue
            if not p.usable:
                dropped.append(self._unusable("import", p))
                continue
            if fb.import_mode == "outline":
                body = "\n".join(p.outline)
            else:
                body = p.text
            text, cut = truncate(body, fb.import_tokens, p.language_id)
            if not text.strip():
                continue
            piece = Piece(
                "import",
                text,
                estimate_tokens(text, p.language_id),
                uri=uri,
                path=self._show(p),
                complete=fb.import_mode == "full" and not cut,
            )
            out.append(Candidate(piece, "import", -float(rank)))
        return out, dropped

    # -- git -----------------------------------------------------------------------------------

    async def git(self, rq: Request) -> SourceResult:
        fb = rq.budget
        scope = fb.git_diff_scope if self.git_diff else "none"
        wanted = (["git-status"] if fb.git_status else []) + (
            ["git-diff"] if scope != "none" else []
        )
        if not wanted or rq.path is None:
            return [], []
        known, repo = await self.ws.repo(rq.path, rq.deadline)
        if not known:
            return [], [Dropped(s, "timeout") for s in wanted]
        if repo is None:
            return [], [Dropped(wanted[0], "no git repository")]
        snap = await self.ws.snapshot(repo, rq.deadline)
        if snap is None:
            return [], [Dropped(s, "timeout") for s in wanted]
        return self._git_pieces(snap, rq, scope)

    def _git_pieces(self, snap: GitSnapshot, rq: Request, scope: str) -> SourceResult:
        fb = rq.budget
        out: list[Candidate] = []
        dropped: list[Dropped] = []
        if fb.git_status:
            text = git_status_text(snap, self.ws.display(snap.root) or ".")
            out.append(
                Candidate(
                    Piece(
                        "git-status",
                        text,
                        estimate_tokens(text, "git"),
                        path=self.ws.display(snap.root),
                    ),
                    "git-status",
                )
            )
        if scope == "none" or rq.path is None:
            return out, dropped
        current = os.path.relpath(rq.path, snap.root).replace(os.sep, "/")
        used = 0
        for rel in sorted(snap.diffs, key=lambda p: (p != current, p)):
            if scope == "current" and rel != current:
                continue
            diff = snap.diffs[rel]
            abs_path = os.path.join(snap.root, *rel.split("/"))
            shown = self.ws.display(abs_path)
            if diff.excluded is not None:
                dropped.append(Dropped("git-diff", f"excluded: {diff.excluded}", None, shown))
                continue
            text, _ = truncate(diff_text(diff), fb.git_diff_tokens, "diff")
            if not text:
                continue
            tokens = estimate_tokens(text, "diff")
            if used + tokens > fb.git_diff_total:
                dropped.append(Dropped("git-diff", "budget", None, shown))
                continue
            used += tokens
            uri = rq.uri if rel == current else path_to_uri(abs_path)
            piece = Piece("git-diff", text, tokens, uri=uri, path=shown)
            out.append(Candidate(piece, "git-diff-current" if rel == current else "git-diff"))
        return out, dropped

    # -- other open files ----------------------------------------------------------------------

    async def open_documents(self, rq: Request) -> SourceResult:
        fb = rq.budget
        if not self.open_files or fb.open_files <= 0:
            return [], []
        open_uris = [u for u in self.docs.uris() if u != rq.uri]
        visited = [u for u in self.activity.visited() if u in open_uris]
        order = visited + sorted(set(open_uris) - set(visited))
        ready, late = await self.ws.prepare_many([self._item(u) for u in order], rq.deadline)
        dropped = [Dropped("open-file", "timeout", u, None) for u in sorted(late)]
        out: list[Candidate] = []
        for rank, uri in enumerate(order):
            p = ready.get(uri)
            if p is None:
                continue
            if not p.usable:
                dropped.append(self._unusable("open-file", p))
                continue
            if len(out) >= fb.open_files:
                dropped.append(Dropped("open-file", "budget", uri, self._show(p)))
                continue
            text, cut = truncate(p.text, fb.open_file_tokens, p.language_id)
            piece = Piece(
                "open-file",
                text,
                estimate_tokens(text, p.language_id),
                uri=uri,
                path=self._show(p),
                complete=not cut,
            )
            out.append(Candidate(piece, "open-file", -float(rank)))
        return out, dropped
