"""Reasoning in the other spellings chat models and their UIs give it, read as `<think>`.

`debris.strip_think` reads `<think>...</think>` (and lower-case names like `<analysis>`). Other
models and hosts write the same block otherwise:

* bracketed or with other marks: Mistral's `[THINK]...[/THINK]`, Kimi's `◁think▷...◁/think▷`,
  the `<|begin_of_thought|>...<|end_of_thought|>` of open reasoning models;
* OpenAI's harmony format (gpt-oss): messages on channels, `<|channel|>analysis<|message|>...
  <|end|>` for the reasoning and `<|channel|>final<|message|>...` for the answer;
* a chat UI's export: a `<details>` block whose `<summary>` names the thinking (`Thought for 2
  seconds`), as Open WebUI renders reasoning.

`as_think_tags` writes the first kind as `<think>` tags; `after_channels` keeps the final
channel's message; `without_reasoning_details` drops the disclosure block. Each returns at
once when the answer holds none of its marks (the common path).
"""

from __future__ import annotations

import re

_BRACKETED = re.compile(
    r"(?<![\w\])])\[()THINK(?:ING)?\]|\[(/)THINK(?:ING)?\]|◁(/?)think▷|<\|(begin|end)_of_thought\|>",
    re.IGNORECASE,
)
"""`[THINK]` (not an index: `x[THINK]`), `[/THINK]` (also glued to the last word),
`◁think▷`, `<|begin_of_thought|>`."""
_SPACED = re.compile(
    r"<(?:[ \t]*(?P<slash>/)[ \t]*)?think(?:ing)?[ \t]*(?P<self>/?)[ \t]*>"
    r"(?<!<think>)(?<!</think>)(?<!<thinking>)(?<!</thinking>)",
    re.IGNORECASE,
)
"""A think tag with spaces inside or self-closing; the plain spellings are left as they are,
and so is `a < think > b` (an opener has no space after its `<`: that is a comparison)."""
_CHANNEL = re.compile(r"<\|channel\|>[ \t]*(?P<name>[A-Za-z]\w{0,30})[^<\n]{0,80}<\|message\|>")
"""A harmony message header: `<|channel|>final<|message|>` (a recipient may follow the name)."""
_CHANNEL_END = "<|end|>"
_DETAILS = re.compile(
    r"\A\s*<details\b[^>\n]{0,200}>\s*<summary>(?P<summary>[^<\n]{0,120})</summary>", re.I
)
_DETAILS_CLOSE = re.compile(r"</details>[ \t]*\n?(?:[ \t]*\n)?", re.IGNORECASE)
_THINKING_WORDS = re.compile(r"think|thought|reason", re.IGNORECASE)


def as_think_tags(text: str) -> str:
    """`text` with bracketed reasoning marks written as `<think>` and `</think>`, and think
    tags written with spaces (`</ think>`, `< /think >`) or self-closing (`<think/>`, an empty
    block) as the plain ones."""
    if "hink" in text or "HINK" in text:
        text = _SPACED.sub(_plain_tag, text)
    if "[T" not in text and "[t" not in text and "[/" not in text and "◁" not in text:
        if "_of_thought" not in text:
            return text
    return _BRACKETED.sub(_as_tag, text)


def _plain_tag(found: re.Match[str]) -> str:
    if found.group("self"):
        return found.group(0) if found.group("slash") else "<think></think>"
    return f"<{found.group('slash') or ''}think>"


def _as_tag(found: re.Match[str]) -> str:
    closing = found.group(2) or found.group(3) or found.group(4) == "end"
    return "</think>" if closing else "<think>"


def after_channels(text: str, final: bool) -> str | None:
    """The answer of a harmony stream: the last `final` channel's message. Reasoning on other
    channels (`analysis`, `commentary`) is no answer: what follows its `<|end|>` is read on;
    while its message is still arriving, None (and "" once the stream ended in it)."""
    if "<|channel|>" not in text:
        return text
    headers = list(_CHANNEL.finditer(text))
    if not headers:
        return None if not final else ""
    last = headers[-1]
    if last.group("name").lower() == "final":
        return text[last.end() :]
    end = text.find(_CHANNEL_END, last.end())
    if end < 0:
        return None if not final else ""
    rest = text[end + len(_CHANNEL_END) :]
    if not final and rest.lstrip().startswith("<") and "<|message|>" not in rest:
        return None  # the next message's header (`<|start|>assistant<|channel|>...`) arriving
    return rest


def without_reasoning_details(text: str, final: bool) -> str | None:
    """`text` without a `<details>` block opening it whose summary names the thinking; None
    while that block is still arriving."""
    if "<details" not in text[:400].lower():
        return text
    found = _DETAILS.match(text)
    if found is None or not _THINKING_WORDS.search(found.group("summary")):
        return text
    closed = _DETAILS_CLOSE.search(text, found.end())
    if closed is None:
        return None if not final else ""
    return text[closed.end() :]
