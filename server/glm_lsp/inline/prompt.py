"""The chat "fill the hole" prompt for inline completion.

GLM has no fill-in-the-middle endpoint, so the hole is marked in the code and the model answers
inside `<COMPLETION>` tags; `</COMPLETION>` is the one stop string (Z.ai accepts a single stop
word). The text is ordered from the most stable to the most volatile so that the provider's
implicit prefix cache hits: the fixed system prompt with worked examples, then the context
snippets (ordered by the context engine), then the file around the cursor, then the per-request
hints. Nothing varies that does not have to: no timestamps, ids or nonces, and the file window
starts on a line that only moves in steps.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from .extract import HOLE_MARKER, OPEN_TAG, STOP_TAG
from .hole import Hole, Mode

MAX_TOKENS = {Mode.SINGLE_LINE: 96, Mode.MULTI_LINE: 320}
TEMPERATURE = 0.2
PREFIX_CHARS = 6000
SUFFIX_CHARS = 2000
CONTEXT_CHARS = 8000
WINDOW_STEP = 16

SYSTEM_PROMPT = f"""You are a code completion engine. You fill a hole in a source file.

The user sends snippets from the project for reference, then the file being edited inside
<QUERY>, where {HOLE_MARKER} marks the hole at the cursor. Reply with exactly the text that
replaces {HOLE_MARKER}, inside {OPEN_TAG} and {STOP_TAG}, and nothing else: no explanation, no
markdown fences, no thinking out loud.

Rules:
- The text is inserted verbatim at the hole. Do not repeat anything written before the hole
  (not even the start of its line) and do not repeat the code after it.
- If the hole is at the end of a line and the code continues on the next line, start with a
  line break and give every following line its full indentation. If the hole is on an indented
  blank line, the first line starts at the cursor; following lines get full indentation.
- mode="single line": finish only the current line, no line break; if code follows the hole
  on its line, write only what goes between (not the code after it). mode="block": write the
  statement or block body that belongs at the hole, and stop where that block ends.
- Follow the file's indentation, naming and style; use the project snippets when they help.
- If nothing useful fits, reply {OPEN_TAG}{STOP_TAG}.

Example 1:
<QUERY path="utils/numbers.py" language="python" mode="block">
def is_even(n: int) -> bool:{HOLE_MARKER}


def is_odd(n: int) -> bool:
    return not is_even(n)
</QUERY>
{OPEN_TAG}
    return n % 2 == 0{STOP_TAG}

Example 2:
<QUERY path="src/api.ts" language="typescript" mode="single line">
export async function getUser(id: string): Promise<User> {{
  const response = await fetch({HOLE_MARKER});
  return response.json();
}}
</QUERY>
{OPEN_TAG}`/api/users/${{id}}`{STOP_TAG}

Example 3:
<QUERY path="store/cache.go" language="go" mode="block">
func (c *Cache) Get(key string) (string, bool) {{
\tc.mu.Lock()
\tdefer c.mu.Unlock()
\t{HOLE_MARKER}
}}
</QUERY>
{OPEN_TAG}value, ok := c.items[key]
\treturn value, ok{STOP_TAG}

Example 4:
<QUERY path="app/views.py" language="python" mode="single line">
def user_detail(request, user_id):
    user = get_object_or_404(User, pk=user_{HOLE_MARKER})
    return render(request, "user.html", {{"user": user}})
</QUERY>
{OPEN_TAG}id{STOP_TAG}

Example 5:
<QUERY path="shop/cart.py" language="python" mode="single line">
def total(price, rate):
    return round(apply_discount({HOLE_MARKER}), 2)
</QUERY>
{OPEN_TAG}price, rate{STOP_TAG}
"""


@dataclass(frozen=True)
class InlinePrompt:
    """What the GLM client needs for one inline request (thinking off is the client's job)."""

    messages: list[dict[str, str]]
    stop: str = STOP_TAG
    max_tokens: int = 96
    temperature: float = TEMPERATURE
    marker: str = HOLE_MARKER
    notes: dict[str, int] = field(default_factory=dict, compare=False)


def _marker_for(text: str) -> str:
    marker, n = HOLE_MARKER, 1
    while marker in text:
        n += 1
        marker = HOLE_MARKER.replace("}}", f"_{n}}}}}")
    return marker


def _prefix_window(hole: Hole, budget: int) -> str:
    lines = hole.prefix.split("\n")
    total = len(hole.prefix)
    start = 0
    while start < len(lines) - 1 and total > budget:
        total -= len(lines[start]) + 1
        start += 1
    if start:
        absolute = hole.prefix_start_line + start
        snapped = math.ceil(absolute / WINDOW_STEP) * WINDOW_STEP - hole.prefix_start_line
        start = min(snapped, len(lines) - 1)
    text = "\n".join(lines[start:])
    return text if len(text) <= budget else text[-budget:]


def _suffix_window(hole: Hole, budget: int) -> str:
    if len(hole.suffix) <= budget:
        return hole.suffix
    cut = hole.suffix.rfind("\n", 0, budget)
    return hole.suffix[: cut if cut > 0 else budget]


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _indent_hint(unit: str) -> str:
    if unit == "\t":
        return "tabs"
    if unit:
        return f"{len(unit)} spaces"
    return "as in the file"


def build_prompt(
    hole: Hole,
    context: Sequence[tuple[str, str]] = (),
    *,
    max_tokens: int | None = None,
    prefix_chars: int = PREFIX_CHARS,
    suffix_chars: int = SUFFIX_CHARS,
    context_chars: int = CONTEXT_CHARS,
) -> InlinePrompt:
    """Messages, stop string and token budget for `hole`.

    `context` is the context engine's ordered list of (label or path, text); it is included in
    that order until `context_chars` is spent. `max_tokens` overrides the per-mode default.
    """
    prefix = _prefix_window(hole, prefix_chars)
    suffix = _suffix_window(hole, suffix_chars)
    marker = _marker_for(prefix + suffix)
    parts: list[str] = []
    spent = 0
    for label, text in context:
        if not text.strip() or spent + len(text) > context_chars:
            continue
        spent += len(text)
        parts.append(f'<CONTEXT path="{_attr(label)}">\n{text.rstrip()}\n</CONTEXT>')
    mode = "block" if hole.mode is Mode.MULTI_LINE else "single line"
    language = hole.language or "plaintext"
    parts.append(
        f'<QUERY path="{_attr(hole.path)}" language="{_attr(language)}" mode="{mode}">\n'
        f"{prefix}{marker}{suffix}\n</QUERY>"
    )
    parts.append(
        f"Indentation: {_indent_hint(hole.indent_unit)}. Fill the {marker} hole "
        f"({mode}); answer with {OPEN_TAG}...{STOP_TAG} only."
    )
    messages = [
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": "\n\n".join(parts)},
    ]
    budget = max_tokens if max_tokens is not None else MAX_TOKENS.get(hole.mode, 96)
    notes = {"prefix_chars": len(prefix), "suffix_chars": len(suffix), "context_chars": spent}
    return InlinePrompt(messages=messages, max_tokens=budget, marker=marker, notes=notes)
