"""Checks every seed family of the ghost-text evaluation must pass, shared by the family tests
(`test_eval_fresh6.py` to `test_eval_fresh9.py`): each test there says what it ensures and calls one
of these with its family's sampler."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

from ghost_eval.corruptions import OPEN_TAG
from ghost_eval.holes import Cut
from ghost_eval.judge import judge
from ghost_eval.run import evaluate, sample_holes

Sample = Callable[..., tuple[list[str], str, str]]
"""`(hole, n, forced=None) -> (classes, raw stream, finish reason)` of a family."""
Deltas = Callable[[str, random.Random], list[str]]
ISSUE_CLASSES = frozenset(
    {
        "echo_prefix",
        "echo_prev",
        "echo_suffix",
        "indent_shift",
        "tabs_spaces",
        "fence",
        "think",
        "prose",
        "over_generate",
        "junk",
        "truncate",
    }
)
"""The eleven corruption classes issue 14 names, which fresh8 and fresh9 draw and no other."""


def check_deterministic(
    family: str, sample: Sample, deltas: Deltas, holes: Sequence[Cut], block: Cut
) -> None:
    """Same seed, same classes, streams and verdicts; another seed, other streams; the deltas
    put together are the stream, the same for the same generator."""
    first = list(evaluate(list(holes) * 3, family, 1414, samples=2))
    again = list(evaluate(list(holes) * 3, family, 1414, samples=2))
    other = list(evaluate(list(holes) * 3, family, 99, samples=2))
    assert [(o.corruptions, o.raw, o.verdict) for o in first] == [
        (o.corruptions, o.raw, o.verdict) for o in again
    ]
    assert [o.raw for o in first] != [o.raw for o in other]
    for n in range(8):
        raw = sample(block, n, ("think", "fence", "prose", "junk"))[1]
        assert "".join(deltas(raw, random.Random(n))) == raw
        assert deltas(raw, random.Random(n)) == deltas(raw, random.Random(n))


def check_clean_exact(sample: Sample, holes: Sequence[Cut]) -> None:
    """With no class the stream is the opening tag and the true text, finished by `stop`, and
    the true text is judged exact."""
    for hole in holes:
        for n in range(5):
            names, raw, finish = sample(hole, n, ())
            assert names == [] and finish == "stop"
            assert raw == OPEN_TAG + hole.expected
            assert judge(raw.removeprefix(OPEN_TAG), hole.expected) == "exact"


def check_classes_drawn(sample: Sample, classes: Sequence[str]) -> None:
    """Over real Python, Lua and C holes every class is drawn, about one sample in eight is
    clean and many samples mix two or three classes."""
    cuts = sample_holes("python", 30, 1414) + sample_holes("lua", 30, 1414)
    cuts += sample_holes("c", 30, 1414)
    assert len(cuts) >= 60
    seen: set[str] = set()
    clean = mixed = total = 0
    for index, hole in enumerate(cuts):
        for n in range(4):
            names, _raw, _finish = sample(hole, index * 10 + n)
            seen.update(names)
            clean += not names
            mixed += len(names) >= 2
            total += 1
    assert seen == set(classes)
    assert 0.06 < clean / total < 0.25
    assert mixed / total > 0.3


def check_issue_classes(classes: Sequence[str]) -> None:
    """The family's classes are exactly the issue's eleven, each once."""
    assert set(classes) == ISSUE_CLASSES and len(classes) == len(ISSUE_CLASSES)
