"""The cursor line's lead operator written again in a run of sibling lines; the spacing of a
cursor line written again.

Union types, shell pipelines, method chains and boolean conditions are written one operand a
line, each line led by the same operator (`| number`, `| object`, `.then(f)`, `&& ok`). When
the user has typed only that operator on the cursor line (`|`), a model that writes the whole
line (`| undefined`) repeats it: joined, `|| undefined` is no code of the run.

A model that writes the typed line again may respace it (`\t( ` for `\t(`); once that repeat
is gone, its space is left before the answer. Between an opening bracket and the closer right
after the cursor (`(|)`), one space before the answer is that repeat's, not the code's.
"""

from __future__ import annotations

import re

from .hole import Hole

_PAIRS = {"(": ")", "[": "]", "{": "}"}
_LEAD = re.compile(r"[|&.+\-*/:?<>=!~^%]{1,3}")
"""An operator that may lead a line of a run (only signs, up to three of them)."""


def without_repeated_lead(code: str, hole: Hole) -> str | None:
    """`code` (the answer's first line, its indentation gone) without the operator the cursor
    line holds alone, when the line above is led by that operator too and both go on with a
    space or a word (`| undefined` after `| object` and a typed `|`: ` undefined`); None
    otherwise."""
    typed = hole.line_prefix.strip()
    if not _LEAD.fullmatch(typed) or not code.startswith(typed):
        return None
    above = (hole.prev_line or "").strip()
    if not (above.startswith(typed) and _goes_on(above[len(typed) :])):
        return None
    rest = code[len(typed) :]
    return rest if _goes_on(rest) else None


def _goes_on(text: str) -> bool:
    """A space or a word character comes first (not another sign: `||` is its own operator)."""
    return bool(text) and (text[0] == " " or text[0].isalnum() or text[0] == "_")


def tight_in_brackets(rest: str, hole: Hole) -> str:
    """`rest` (the answer's first line after a repeat of the cursor line) without one leading
    space when the cursor sits between an opening bracket and its closer (`(|)`: ` cp` of
    `\t( cp` is `cp`); `rest` unchanged elsewhere, or with more spaces (alignment)."""
    closer = _PAIRS.get(hole.line_prefix[-1:])
    if closer is None or not hole.line_suffix.startswith(closer):
        return rest
    return rest[1:] if rest[:1] == " " and rest[1:2].strip() else rest
