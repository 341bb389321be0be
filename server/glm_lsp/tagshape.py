"""Tag names as models misspell them: the test both engines use to recognise their answer tags.

A model asked to answer inside ``<COMPLETION>`` or ``<rewrite>`` tags writes the name almost
right: another case, a letter dropped, doubled or changed, a plural. ``near_name`` tells such a
name from the names of real code by its edit distance to the tag's; ``near_start`` does the
same for the start of a name still arriving in a stream. Where a tag may stand, and what a
token around the name looks like, is each engine's own business.
"""

from __future__ import annotations

from functools import lru_cache

__all__ = ["NAME_DISTANCE", "near_name", "near_start"]

NAME_DISTANCE = 2
"""Letters a misspelt tag name may differ by (inserted, dropped or changed)."""
_SHORT_START = 3
"""A name this short still arriving must be the tag's own start, letter for letter."""
_LONG_START = 9
"""From this length a name still arriving may have two letters wrong, shorter ones one."""


@lru_cache(maxsize=512)
def _distance(a: str, b: str) -> int:
    """Levenshtein distance of two short strings (cached: a stream reads the same tag again
    at every delta)."""
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def near_name(name: str, tag: str, distance: int = NAME_DISTANCE) -> bool:
    """``name`` is ``tag`` written with at most ``distance`` letters wrong (any case)."""
    a, b = name.lower(), tag.lower()
    if a == b:
        return True
    if abs(len(a) - len(b)) > distance:
        return False
    return _distance(a, b) <= distance


def near_start(name: str, tag: str) -> bool:
    """``name`` may be the start of a misspelt ``tag`` still arriving: the tag's first letters
    with one letter wrong (two in a name of nine letters or more), none in a short one."""
    a = name.lower()
    if len(a) >= len(tag):
        return near_name(a, tag)
    allowed = 0 if len(a) <= _SHORT_START else 1 if len(a) < _LONG_START else NAME_DISTANCE
    starts = (tag[:size].lower() for size in range(max(1, len(a) - 1), len(a) + 2))
    return any(_distance(a, start) <= allowed for start in starts)
