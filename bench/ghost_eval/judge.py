"""The strict judge: does accepting the shown text give back the original code?

- `exact`: the shown text is the cut text.
- `partial`: a strict prefix of the cut text, with something visible, ending at a token boundary
  (not between two word characters, not inside a multi-character operator or a number).
- `empty`: nothing shown (no request, None, or only whitespace that the cut text starts with).
- `harmful`: anything else, whitespace-only differences included.
"""

from __future__ import annotations

from .lexical import token_boundary

VERDICTS = ("exact", "partial", "empty", "harmful")


def judge(shown: str | None, expected: str) -> str:
    """The verdict for showing `shown` where `expected` was cut."""
    if not shown:
        return "empty"
    if shown == expected:
        return "exact"
    if expected.startswith(shown) and token_boundary(expected, len(shown)):
        return "partial" if shown.strip() else "empty"
    return "harmful"
