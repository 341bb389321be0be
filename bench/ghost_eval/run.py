"""Sampling holes, running each raw answer through the server's pipeline, tallying verdicts.

The pipeline is driven as `glm_lsp.inline.session` drives it: `analyze` on the window of lines
the LSP glue splits out (`window_bounds`; mode NONE: no request, the sample is `empty`), then
`StreamStop(hole).feed(delta)` for each streamed piece until it asks to close the stream, then
`postprocess(stop.finish(reason), hole)`. The reason is the host's finish reason (`stop`, or
`length` for a truncated stream) when the stream was read to its end, and None when `StreamStop`
closed it early (no finish event arrives then).
"""

from __future__ import annotations

import inspect
import random
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from glm_lsp.inline import Hole, Mode, StreamStop, analyze, postprocess
from glm_lsp.inline.types import window_bounds

from . import corpus
from .corruptions import Context, Pools
from .dev import DEV
from .family import Family
from .fresh import FRESH
from .fresh2 import FRESH2
from .fresh3 import FRESH3
from .fresh4 import FRESH4
from .fresh5 import FRESH5
from .fresh6 import FRESH6
from .fresh7 import FRESH7
from .fresh8 import FRESH8
from .fresh9 import FRESH9
from .heldout import HELDOUT
from .holes import KINDS, Cut, cut
from .judge import VERDICTS, answerable, judge

_FINISH_TAKES_REASON = "finish_reason" in inspect.signature(StreamStop.finish).parameters
"""Older revisions of the pipeline (measured with PYTHONPATH) take no finish reason."""
FAMILIES: dict[str, Pools] = {
    "dev": DEV,
    "heldout": HELDOUT,
    "fresh": FRESH,
    "fresh2": FRESH2.pools,
    "fresh3": FRESH3.pools,
    "fresh4": FRESH4.pools,
    "fresh5": FRESH5.pools,
    "fresh6": FRESH6.pools,
    "fresh7": FRESH7.pools,
    "fresh8": FRESH8.pools,
    "fresh9": FRESH9.pools,
}
_OWN_COMPOSITION: dict[str, Family] = {
    "fresh2": FRESH2,
    "fresh3": FRESH3,
    "fresh4": FRESH4,
    "fresh5": FRESH5,
    "fresh6": FRESH6,
    "fresh7": FRESH7,
    "fresh8": FRESH8,
    "fresh9": FRESH9,
}
MAX_PASSES = 40


@dataclass(frozen=True)
class Outcome:
    """One sample: a hole, the corruptions composed on its answer, what the pipeline showed."""

    cut: Cut
    family: str
    corruptions: tuple[str, ...]
    raw: str
    shown: str | None
    verdict: str
    mode: Mode
    crashed: bool = False
    answerable: bool = True
    """False when the raw stream holds no complete token of the true text (judge.answerable)."""


def _interleaved(files: list[corpus.SourceFile], rng: random.Random) -> list[corpus.SourceFile]:
    """`files` shuffled so that directories take turns (a directory of a thousand files, such
    as lodash's, does not crowd out the others)."""
    groups: dict[str, list[corpus.SourceFile]] = {}
    for source in files:
        groups.setdefault(source.label.rsplit("/", 1)[0], []).append(source)
    order = list(groups.values())
    rng.shuffle(order)
    for group in order:
        rng.shuffle(group)
    longest = max((len(g) for g in order), default=0)
    return [g[i] for i in range(longest) for g in order if i < len(g)]


def sample_holes(language: str, count: int, seed: int) -> list[Cut]:
    """`count` holes of `language`, spread over the kinds and over files (one hole per file and
    pass), deterministic for a seed: files sorted, then shuffled by a seeded generator."""
    rng = random.Random(f"holes:{seed}:{language}")
    files = _interleaved(list(corpus.files(language)), rng)
    quota = {kind: count // len(KINDS) + (i < count % len(KINDS)) for i, kind in enumerate(KINDS)}
    texts: dict[str, list[str] | None] = {}
    cuts: list[Cut] = []
    seen: set[tuple[str, int, str]] = set()
    for _ in range(MAX_PASSES):
        for source in files:
            wanted = [kind for kind in KINDS if quota[kind] > 0]
            if not wanted:
                return cuts
            if source.label not in texts:
                texts[source.label] = corpus.usable(source.read(), language)
            lines = texts[source.label]
            if lines is None:
                continue
            kind = max(wanted, key=lambda k: (quota[k], -KINDS.index(k)))
            found = cut(kind, lines, rng, language, source.label)
            if found is None or (source.label, found.line, kind) in seen:
                continue
            seen.add((source.label, found.line, kind))
            quota[kind] -= 1
            cuts.append(found)
        if not any(texts.values()):
            break
    return cuts


def _pipeline(hole: Hole, pieces: Iterable[str], finish_reason: str) -> str | None:
    """What the session shows: the stream closed early when `feed` asks (then no finish reason
    arrives), else read to its end and finished with the host's reason."""
    stop = StreamStop(hole)
    reason: str | None = finish_reason
    for piece in pieces:
        if stop.feed(piece):
            reason = None
            break
    text = stop.finish(reason) if _FINISH_TAKES_REASON else stop.finish()
    return postprocess(text, hole)


def analyze_cut(hole_cut: Cut) -> Hole:
    """`analyze` as the LSP glue calls it: on the window of lines `window_bounds` gives."""
    first, end = window_bounds(hole_cut.line)
    return analyze(
        list(hole_cut.lines[first:end]),
        hole_cut.line - first,
        hole_cut.character,
        language=hole_cut.language,
        path=hole_cut.label,
    )


def family_of(name: str) -> Family:
    """How family `name` builds its answers: its own composition, or the shared one."""
    return _OWN_COMPOSITION.get(name) or Family(FAMILIES[name])


def evaluate(cuts: list[Cut], family: str, seed: int, samples: int = 1) -> Iterator[Outcome]:
    """`samples` outcomes per hole for one seed family."""
    builds = family_of(family)
    for index, hole_cut in enumerate(cuts):
        hole = analyze_cut(hole_cut)
        context = Context(hole_cut, hole, builds.pools)
        for n in range(samples):
            rng = random.Random(f"{family}:{seed}:{index}:{n}")
            state = rng.getstate()
            names, draft = builds.compose(hole_cut.expected, context, rng)
            raw = builds.render(draft)
            pieces = builds.deltas(raw, rng)
            full, answer_at = (raw, None)
            if draft.truncate is not None:
                full, answer_at = builds.answer_at(hole_cut.expected, context, state)
            shown: str | None = None
            crashed = False
            if hole.mode is not Mode.NONE:
                try:
                    shown = _pipeline(hole, pieces, draft.finish)
                except Exception:  # noqa: BLE001 - the server shows nothing then; counted apart
                    crashed = True
            verdict = judge(shown, hole_cut.expected)
            yield Outcome(
                hole_cut,
                family,
                tuple(names),
                raw,
                shown,
                verdict,
                hole.mode,
                crashed,
                answerable(raw, full, answer_at),
            )


@dataclass
class Tally:
    """Verdict counts per family, by language, hole kind and corruption."""

    counts: Counter[tuple[str, str, str, str]] = field(default_factory=Counter)
    crashes: Counter[str] = field(default_factory=Counter)
    unanswerable: Counter[tuple[str, str, str, str]] = field(default_factory=Counter)
    """Like `counts`, for the samples whose raw stream holds no complete token of the true text."""

    def add(self, outcome: Outcome) -> None:
        family, verdict = outcome.family, outcome.verdict
        keys = [("total", "all"), ("language", outcome.cut.language), ("kind", outcome.cut.kind)]
        keys += [("corruption", name) for name in outcome.corruptions or ("clean",)]
        if "truncate" not in outcome.corruptions:
            keys.append(("total", "untruncated"))
        for dimension, key in keys:
            self.counts[(family, dimension, key, verdict)] += 1
            if not outcome.answerable:
                self.unanswerable[(family, dimension, key, verdict)] += 1
        if outcome.crashed:
            self.crashes[family] += 1

    def row(self, family: str, dimension: str, key: str) -> dict[str, int]:
        return {v: self.counts[(family, dimension, key, v)] for v in VERDICTS}

    def keys(self, family: str, dimension: str) -> list[str]:
        return sorted({k for f, d, k, _ in self.counts if f == family and d == dimension})

    def unanswerable_count(self, family: str, dimension: str, key: str) -> int:
        return sum(self.unanswerable[(family, dimension, key, v)] for v in VERDICTS)

    def right_when_answerable(self, family: str, dimension: str, key: str) -> float | None:
        """exact+partial % over the row's answerable samples (None when there is none)."""
        row = self.row(family, dimension, key)
        kept = {v: row[v] - self.unanswerable[(family, dimension, key, v)] for v in VERDICTS}
        total = sum(kept.values())
        return 100.0 * (kept["exact"] + kept["partial"]) / total if total else None

    def share(self, family: str, *verdicts: str) -> float:
        row = self.row(family, "total", "all")
        total = sum(row.values())
        return 100.0 * sum(row[v] for v in verdicts) / total if total else 0.0


def mid_line_answered(cuts: list[Cut]) -> tuple[int, int]:
    """(mid-line holes where the trigger asks the model, mid-line holes)."""
    mids = [c for c in cuts if c.kind == "mid"]
    asked = sum(analyze_cut(c).mode is not Mode.NONE for c in mids)
    return asked, len(mids)
