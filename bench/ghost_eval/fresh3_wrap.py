"""Family `fresh3`, around the code: fences, prose, the answer tag, reasoning, special tokens, and
where a truncated stream stops.

`around` applies the layers from the inside out (fence, then the answer tag when it sits right
before the code, prose, the tag when it opens the answer, reasoning, special tokens), each drawn
in `fresh3.RATES`. Like the code shapes, every draw is one `random()` call whose count does not
depend on the true text's visible characters.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from . import fresh3_text as words
from .fresh3_shapes import Code, Scene, comment_line, pick, weighted


@dataclass(frozen=True)
class Stream:
    """The raw answer: `head` + the code + `tail`."""

    head: str
    code: Code
    tail: str

    def text(self) -> str:
        return self.head + self.code.text() + self.tail

    def answer_span(self) -> tuple[int, int]:
        start = len(self.head) + len(self.code.pre)
        return start, start + len(self.code.answer)


def _tail_words(scene: Scene) -> str:
    """The last few characters of code before the cursor (what prose and reasoning quote)."""
    text = scene.prefix.strip() or next((ln.strip() for ln in reversed(scene.above) if ln), "")
    return text[-24:]


def _drop_leading_break(code: Code) -> Code:
    """A fenced block starts on the line after the fence: the break the hole begins with goes."""
    if code.pre.startswith("\n"):
        return replace(code, pre=code.pre[1:])
    if not code.pre and code.answer.startswith("\n"):
        return replace(code, answer=code.answer[1:])
    return code


def fence(stream: Stream, scene: Scene, rng: random.Random) -> Stream | None:
    """A Markdown fence around the code: with the language's name (or an alias, or a generic
    name, or a space before it), bare, with tildes or four backticks, after a blank line,
    indented like the cursor line; closed on its own line, glued to the last line, or never
    closed (the stream ends first). A one-line answer may get single backticks instead."""
    style = weighted(
        rng,
        (("named", 55), ("bare", 22), ("odd", 6), ("tilde", 3), ("four", 3), ("inline", 11)),
    )
    name = pick(rng, words.FENCE_NAMES.get(scene.cut.language, (scene.cut.language,)))
    plain = pick(rng, words.PLAIN_FENCE_NAMES)
    close = weighted(rng, (("line", 70), ("none", 22), ("glued", 8)))
    blank = rng.random() < 0.15
    indented = rng.random() < 0.08
    single = "\n" not in stream.code.text()
    if style == "inline":
        if not single:
            return None
        end = "" if close == "none" else "`"
        return Stream(stream.head + "`", stream.code, end + stream.tail)
    spaced = rng.random() < 0.5
    marks = {"tilde": "~~~", "four": "````"}.get(style, "```")
    label = {"bare": "", "odd": f" {name}" if spaced else plain}.get(style, name)
    indent = scene.indent() if indented else ""
    head = stream.head + ("\n" if blank else "") + indent + marks + label + "\n"
    tail = {"line": "\n" + indent + marks, "glued": marks, "none": ""}[close] + stream.tail
    return Stream(head, _drop_leading_break(stream.code), tail)


def prose(stream: Stream, scene: Scene, rng: random.Random) -> Stream:
    """Prose around the code: an introduction (on its own line, after a blank line, or before
    the code on the same line), an explanation after it (after a blank line or right on the next
    line), both, in English or Chinese; or a remark as a comment line of the code."""
    where = weighted(rng, (("before", 47), ("after", 32), ("both", 17), ("comment", 4)))
    zh = rng.random() < 0.25
    intro = pick(rng, words.INTROS_ZH if zh else words.INTROS)
    outro = pick(rng, words.OUTROS_ZH if zh else words.OUTROS)
    remark = pick(rng, words.COMMENTS)
    before = weighted(rng, (("\n", 50), ("\n\n", 35), (" ", 15)))
    after = "\n" if rng.random() < 0.4 else "\n\n"
    tail, language = _tail_words(scene), scene.cut.language
    if where == "comment":
        indent = scene.indent() if scene.cut.character == 0 else ""
        line = indent + comment_line(scene, remark)
        return replace(stream, code=replace(stream.code, pre=line + stream.code.pre))
    head, end = stream.head, stream.tail
    if where in ("before", "both"):
        text = words.fill(intro, tail, language)
        gap = before if text.endswith((":", "：")) else before.strip(" ") or "\n"
        head = text + gap + head
    if where in ("after", "both"):
        end = end + after + words.fill(outro, tail, language)
    return Stream(head, stream.code, end)


def think(stream: Stream, scene: Scene, rng: random.Random) -> Stream:
    """Reasoning in the content before the answer: a `<think>` block with a few sentences, an
    empty one (a model told not to think), `<think></think>` glued to the answer, reasoning
    whose opening tag was in the prompt (only `</think>` arrives), an empty block at the
    cursor's indentation, or reasoning closed by a single line break."""
    style = weighted(
        rng,
        (
            ("block", 35),
            ("empty", 20),
            ("tight", 12),
            ("openless", 18),
            ("indented", 8),
            ("single", 7),
        ),
    )
    count = 1 + int(rng.random() * 3)
    first = int(rng.random() * len(words.THOUGHTS))
    said = [words.THOUGHTS[(first + 4 * i) % len(words.THOUGHTS)] for i in range(count)]
    joint = "\n\n" if rng.random() < 0.3 else " "
    reasoning = joint.join(words.fill(s, _tail_words(scene), scene.cut.language) for s in said)
    block = {
        "block": f"<think>\n{reasoning}\n</think>\n\n",
        "empty": "<think>\n\n</think>\n\n",
        "tight": "<think></think>",
        "openless": f"{reasoning}\n</think>\n\n",
        "indented": f"{scene.indent()}<think>\n\n</think>\n\n",
        "single": f"<think>{reasoning}</think>\n",
    }[style]
    return replace(stream, head=block + stream.head)


def tag(stream: Stream, odd: str) -> Stream:
    """The answer tag before the rest; `odd` is one of the `wrapper` shapes or ''."""
    opening = {"lower": "<completion>", "attrs": '<COMPLETION language="code">'}.get(odd, words.TAG)
    if odd == "newline":
        opening += "\n"
    tail = stream.tail + words.CLOSE_TAG if odd == "closed" else stream.tail
    return Stream(opening + stream.head, stream.code, tail)


def junk(stream: Stream, rng: random.Random) -> Stream:
    """Special tokens and whitespace the host did not strip: after the answer (GLM, ChatML,
    Llama and DeepSeek end-of-text and role tokens, the closing tag), before it (a FIM or role
    token), or trailing blank lines and spaces."""
    where = weighted(rng, (("trail", 60), ("lead", 22), ("space", 18)))
    gap = pick(rng, ("", "\n", " ", "\n\n"))
    token = pick(rng, words.TRAILING_TOKENS)
    opening = pick(rng, words.LEADING_TOKENS)
    space = pick(rng, words.TRAILING_SPACE)
    if where == "lead":
        return replace(stream, head=opening + stream.head)
    if where == "space":
        return replace(stream, tail=stream.tail + space)
    return replace(stream, tail=stream.tail + gap + token)


def around(
    stream: Stream, scene: Scene, rng: random.Random, drawn: dict[str, bool], tagged: bool
) -> tuple[Stream, list[str]]:
    """All layers around the code, in order; the names of the corruptions applied."""
    names: list[str] = []
    inner = rng.random() < 0.5
    odd = weighted(rng, (("newline", 4), ("closed", 3), ("lower", 2), ("attrs", 1)))
    if drawn["fence"]:
        fenced = fence(stream, scene, rng)
        if fenced is not None:
            stream = fenced
            names.append("fence")
    wrapper = odd if drawn["wrapper"] else ""
    if wrapper:
        names.append("wrapper")
    if (tagged or wrapper) and inner:
        stream = tag(stream, wrapper)
    if drawn["prose"]:
        stream = prose(stream, scene, rng)
        names.append("prose")
    if (tagged or wrapper) and not inner:
        stream = tag(stream, wrapper)
    if drawn["think"]:
        stream = think(stream, scene, rng)
        names.append("think")
    if drawn["junk"]:
        stream = junk(stream, rng)
        names.append("junk")
    return stream, names


def cut_at(stream: Stream, rng: random.Random) -> int | None:
    """Where a truncated stream stops: inside the true text (more often: a long answer hits
    `max_tokens`) or anywhere; None when the stream is too short to cut."""
    in_answer = rng.random() < 0.55
    where = rng.random()
    full = len(stream.text())
    start, end = stream.answer_span()
    if in_answer and end - start > 1:
        at = start + 1 + int(where * (end - start - 1))
    else:
        at = 1 + int(where * (full - 1))
    return at if 0 < at < full else None
