"""The cursor line's lead operator written again in a run of sibling lines.

Union types, shell pipelines, method chains and boolean conditions are written one operand a
line, each line led by the same operator (`| number`, `| object`, `.then(f)`, `&& ok`). When
the user has typed only that operator on the cursor line (`|`), a model that writes the whole
line (`| undefined`) repeats it: joined, `|| undefined` is no code of the run.
"""

from __future__ import annotations

import re

from .hole import Hole

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
