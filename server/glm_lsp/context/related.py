"""Neighbouring-file snippets: sliding windows ranked by Jaccard similarity.

As Copilot's "neighboring tabs" and Continue do: the lines before the cursor are
reduced to a set of identifier tokens, every other candidate file is cut into
overlapping windows of the same shape, and the best window of each file is
scored by |A ∩ B| / |A ∪ B|. Each file's windows are indexed once per version
(an inverted index token -> windows), so scoring a request only touches the
windows that share a token with the query.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import attrs

WINDOW_LINES = 20
WINDOW_STEP = 10
QUERY_LINES = 20

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]+")
_PARTIAL_WORD = re.compile(r"[A-Za-z0-9_]+$")
STOPWORDS = frozenset(
    """
    and as assert async await break case catch class const continue def default del do elif else
    enum export extends false finally for from func function go if impl import in instanceof
    interface is lambda let match mod mut new nil none not null or package pass private protected
    pub public raise return self static struct super switch this throw true try type typeof use
    var void while with yield str int bool float dict list tuple set none string number any
    """.split()
)


_STOP = frozenset(v for w in STOPWORDS for v in (w, w.capitalize(), w.upper()))


def tokens_of(lines: Iterable[str]) -> frozenset[str]:
    return frozenset(set(_IDENT.findall("\n".join(lines))) - _STOP)


@attrs.frozen
class DocIndex:
    """Windows of one document version, indexed by token."""

    starts: tuple[int, ...]
    sizes: tuple[int, ...]
    postings: dict[str, tuple[int, ...]]
    line_count: int

    def window_end(self, window: int) -> int:
        return min(self.starts[window] + WINDOW_LINES, self.line_count) - 1


def build_index(lines: Sequence[str]) -> DocIndex:
    """Cut `lines` into overlapping windows and index their token sets (run in a thread)."""
    n = len(lines)
    starts = list(range(0, max(1, n - WINDOW_LINES + WINDOW_STEP), WINDOW_STEP)) if n else []
    postings: dict[str, list[int]] = {}
    sizes: list[int] = []
    findall = _IDENT.findall
    for w, start in enumerate(starts):
        window = set(findall("\n".join(lines[start : start + WINDOW_LINES]))) - _STOP
        sizes.append(len(window))
        for token in window:
            postings.setdefault(token, []).append(w)
    return DocIndex(
        starts=tuple(starts),
        sizes=tuple(sizes),
        # tuples of ints (and then this dict) drop out of the garbage collector's
        # tracking after its first passes, so big indexes do not slow collections
        postings={t: tuple(ws) for t, ws in postings.items()},
        line_count=n,
    )


@attrs.frozen
class Match:
    """Best window of one file for a query."""

    score: float
    start: int
    end: int


def best_window(index: DocIndex, query: frozenset[str]) -> Match | None:
    """The window with the highest Jaccard score (earliest on ties), or None."""
    if not query or not index.starts:
        return None
    counts: dict[int, int] = {}
    postings = index.postings
    for token in query:
        for w in postings.get(token, ()):
            counts[w] = counts.get(w, 0) + 1
    if not counts:
        return None
    q = len(query)
    sizes = index.sizes
    best_w = -1
    best = 0.0
    for w, c in counts.items():
        score = c / (q + sizes[w] - c)
        if score > best or (score == best and w < best_w):
            best, best_w = score, w
    if best_w < 0:
        return None
    return Match(best, index.starts[best_w], index.window_end(best_w))


def query_tokens(lines: Sequence[str], line: int, character: int) -> frozenset[str]:
    """Tokens of the lines before the cursor and of the cursor line up to the cursor.

    A word still being typed at the cursor is left out, so the query (and the cached
    ranking) stays the same for every keystroke inside one word.
    """
    start = max(0, line - QUERY_LINES + 1)
    before = list(lines[start:line])
    if 0 <= line < len(lines):
        head = lines[line][:character]
        before.append(_PARTIAL_WORD.sub("", head))
    return tokens_of(before)


def shortlist(
    indexes: Sequence[tuple[str, DocIndex]], query: frozenset[str], keep: int
) -> list[tuple[str, DocIndex]]:
    """The `keep` files sharing most query tokens (cheap set intersections), name order on ties.

    Window scoring then runs only on these, which keeps a request's cost flat in the
    number of open files.
    """
    scored = [(len(index.postings.keys() & query), name, index) for name, index in indexes]
    scored = [s for s in scored if s[0] > 0]
    scored.sort(key=lambda s: (-s[0], s[1]))
    return [(name, index) for _, name, index in scored[:keep]]
