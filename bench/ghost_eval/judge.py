"""The strict judge: does accepting the shown text give back the original code?

- `exact`: the shown text is the cut text.
- `partial`: a strict prefix of the cut text, with something visible, ending at a token boundary
  (not between two word characters, not inside a multi-character operator or a number).
- `empty`: nothing shown (no request, None, or only whitespace that the cut text starts with).
- `harmful`: anything else, whitespace-only differences included.

Apart from the verdict, a sample is `answerable` unless its raw stream holds no complete token
of the true text at all (a stream cut inside the answer's first word, or before the answer
began): then nothing right can be shown, and exact+partial over the answerable samples is the
figure that such samples do not cap.
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


def first_token_end(text: str, start: int) -> int | None:
    """Where the first token of `text` at or after `start` ends (whitespace skipped): the first
    token boundary past its first character, or None when only whitespace follows `start`."""
    at = start
    while at < len(text) and text[at].isspace():
        at += 1
    if at >= len(text):
        return None
    end = at + 1
    while not token_boundary(text, end):
        end += 1
    return end


def answerable(raw: str, full: str, answer_at: int | None) -> bool:
    """Whether the stream `raw` (a prefix of the uncut stream `full`) holds a complete token of
    the true text, which begins at `answer_at` in `full`: its first token ends before the stream
    does (a stream cut right at a token's end cannot tell that the token is complete). `None`
    (where the true text begins is unknown) counts as answerable, so the figure never flatters."""
    if answer_at is None or len(raw) >= len(full):
        return True
    end = first_token_end(full, answer_at)
    return end is not None and end < len(raw)
