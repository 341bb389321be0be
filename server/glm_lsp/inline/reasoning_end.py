"""Where the answer starts after reasoning that never closes.

A reasoning opener, in words (Ollama's `Thinking...`) or as a tag (`<think>`), may never get
its closer: the host or a chat UI dropped it, or the model went straight on to its answer. A
careful reader still sees where the reasoning stops:

* the answer's own tag (`<COMPLETION>` in any spelling `answer_tags` reads) starting a line:
  the model moved on to the format it was asked for;
* reasoning quoted as a markdown block quote (each line led by `>`, the way chat UIs render
  reasoning), closed by a blank line: the first line after it that is not quoted is the
  answer (`> ` never starts a line of the answer's code).

Anything else stays reasoning: the caller shows nothing rather than a guess.
"""

from __future__ import annotations

from .answer_tags import opener_line_at


def answer_after_reasoning(text: str, start: int) -> int | None:
    """The index in `text` where the answer starts after reasoning opened before `start` and
    never closed, or None (no sign of its end yet; in a stream still arriving, a quote's end
    is known once the first character of the line after it has arrived)."""
    tag = opener_line_at(text, start)
    quoted = _after_quote(text, start)
    found = [at for at in (tag, quoted) if at is not None]
    return min(found) if found else None


def _after_quote(text: str, start: int) -> int | None:
    """The start of the first line after a block quote that a blank line closes, when every
    line from `start` up to it is quoted (`> ...`) or blank; None otherwise. Read line by line
    (linear)."""
    at = start
    quoted = blank_after_quote = False
    while at < len(text):
        end = text.find("\n", at)
        line = text[at:] if end < 0 else text[at:end]
        stripped = line.strip()
        if not stripped:
            blank_after_quote = quoted
        elif stripped.startswith(">"):
            quoted, blank_after_quote = True, False
        else:
            return at if blank_after_quote else None
        if end < 0:
            return None
        at = end + 1
    return None
