"""`heldout2`: a third next-edit corruption family, written without reading `propose`'s
filters nor the `dev`/`heldout` pools (docs/evaluation.md, "The heldout2 family").

It does not use `corruptions.compose`: `answer(case, rng)` builds the raw answer itself from
the case's true rewrite, in the shapes chat models give to a "rewrite this region" prompt
(GLM-4.x, Qwen, DeepSeek, GPT-style): the prompt's marks echoed, fences of many spellings and
places, think blocks (whole, empty, or only a stray closer), prose before and after, the
original region quoted first, indentation shifts, tabs for spaces, CRLF, elided unchanged
lines, lines beyond the region, tags glued to the code, an answer cut short. Only fixable
damage: when an answer has text around the code, the code is delimited by the tag or a fence.
Its own salt on top of the runner's generator; `--family heldout2`, not in the defaults.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from glm_lsp.edits.nextedit.prompt import REGION_CLOSE, REGION_OPEN, TAG

from . import heldout2_shapes as shapes
from .cases import Case

SALT = "h2-7f3c:glm-lsp"
CLEAN_SHARE = 0.12
CLASSES = (
    "marks",
    "fence",
    "think",
    "prose",
    "echo",
    "indent",
    "tabs",
    "crlf",
    "elide",
    "beyond",
    "glue",
    "cut",
    "untagged",
)
"""Corruption classes, as the report names them (variants are drawn inside a class)."""
EXCLUSIVE = (
    {"indent", "tabs"},
    {"elide", "cut", "beyond"},
    {"cut", "glue"},
    {"untagged", "fence"},
    {"untagged", "think"},
    {"untagged", "prose"},
    {"untagged", "echo"},
    {"untagged", "glue"},
)

PROSE_BEFORE = (
    "Based on your recent edits, here is the updated region:",
    "Sure! Here's the region with the next edit applied.",
    "Following the change you just made, the same update applies here:",
    "**Updated region:**",
    "### Rewritten region",
    "I'll carry the last edit through the rest of this block.",
    "The next edit, applied to the region:",
    "Here is the predicted code.",
)
PROSE_AFTER = (
    "Everything else in the region is kept exactly as it was.",
    "Let me know if you'd like the other occurrences updated as well.",
    "This keeps the block consistent with your previous edit.",
    "**Explanation:** the change mirrors the one you made just above.",
    "No other lines needed to change.",
    "Note: unchanged lines are reproduced verbatim.",
)
PROSE_NOTHING = (
    "No further edit follows from the recent changes, so the region stays the same:",
    "Nothing else needs to change here. The region as is:",
)
THOUGHTS = (
    "The user just edited line {row}. I should check whether the same change is needed on "
    "nearby lines.\nLooking at `{word}`, it is used again below.\nI will rewrite the region "
    "and keep everything else identical.",
    "Let me analyze the recent diff first. The edit touched `{word}`.\n\nThe region shows "
    "the code around the cursor; I need to predict the next change.",
    "Okay, so the programmer changed something near `{word}`. Maybe they will continue. "
    "I'll output the whole region with the edit applied, no explanation.",
)
FENCE_SHAPES = (
    ("```{lang}", "```"),
    ("```", "```"),
    ("````{lang}", "````"),
    ("~~~{lang}", "~~~"),
    ("~~~", "~~~"),
    ("```{lang} {path}", "```"),
    ("``` {lang}", "```"),
    ("```{lang}:{path}", "```"),
)
ECHO_LABELS = (
    ("Current region:", "Rewritten:"),
    ("Original code:", "After the next edit:"),
    ("Before", "After"),
)


@dataclass
class Answer:
    """A raw answer under construction: the code lines and what surrounds them."""

    lines: list[str]
    tag: bool = True
    glue_open: bool = False
    glue_close: bool = False
    closed: bool = True
    fence: tuple[str, str] | None = None
    fence_place: str = "inside"
    """inside the tags, outside them, or instead of them."""
    head: list[str] = field(default_factory=list)
    tail: list[str] = field(default_factory=list)
    final_break: bool = False
    """An unclosed answer ends with a line break after its last line."""
    crlf: str = ""
    """"all", "body" (only the code lines) or "" (no carriage returns)."""


def render(answer: Answer) -> str:
    """The answer's text as the model would stream it."""
    body = list(answer.lines)
    if answer.crlf == "body":
        body = [line + "\r" for line in body]
    fence = answer.fence
    if fence and answer.fence_place == "inside":
        body = [fence[0], *body, *([fence[1]] if answer.closed else [])]
    if answer.tag:
        open_tag, close_tag = f"<{TAG}>", f"</{TAG}>"
        if answer.glue_open and body:
            body = [open_tag + body[0], *body[1:]]
        else:
            body = [open_tag, *body]
        if answer.closed:
            if answer.glue_close and len(body) > 1:
                body = [*body[:-1], body[-1] + close_tag]
            else:
                body = [*body, close_tag]
    if fence and answer.fence_place != "inside":
        body = [fence[0], *body, *([fence[1]] if answer.closed else [])]
    core = "\n".join(body)
    if not answer.closed:
        core += "\n" if answer.final_break else ""
    text = "\n\n".join([*answer.head, core, *(answer.tail if answer.closed else [])])
    return text.replace("\n", "\r\n") if answer.crlf == "all" else text


def _word(case: Case) -> str:
    for line in (*case.rewritten, *case.region.lines):
        for token in line.replace("(", " ").replace(".", " ").split():
            if token.isidentifier() and len(token) > 3:
                return token
    return "the changed line"


def _fence(case: Case, rng: random.Random) -> tuple[str, str]:
    opener, closer = rng.choice(FENCE_SHAPES)
    lang = rng.choice(shapes.LANG_ALIASES.get(case.change.language, (case.change.language,)))
    return opener.format(lang=lang, path=case.change.path), closer


def _think(case: Case, rng: random.Random) -> tuple[list[str], str]:
    kind = rng.choice(("block", "empty", "stray", "block"))
    text = rng.choice(THOUGHTS).format(row=case.cursor[0] + 1, word=_word(case))
    if kind == "empty":
        return ["<think></think>"], kind
    if kind == "stray":
        return [text + "</think>"], kind
    opener = rng.choice(shapes.OPEN_THOUGHTS)
    return [f"{opener}\n{text}\n</{opener[1:]}"], kind


def _echo(case: Case, rng: random.Random) -> list[str]:
    first, second = rng.choice(ECHO_LABELS)
    quoted = list(case.region.lines)
    if rng.random() < 0.5:
        return [f"{first}\n{REGION_OPEN}\n" + "\n".join(quoted) + f"\n{REGION_CLOSE}", second]
    opener, closer = _fence(case, rng)
    return [f"{first}\n{opener}\n" + "\n".join(quoted) + f"\n{closer}", second]


def _structure(
    case: Case, chosen: list[str], lines: list[str], rng: random.Random, done: list[str]
) -> tuple[list[str], bool]:
    """Elided, cut or extended lines; whether the first line is one the reader knows."""
    region = case.region.lines
    known_first = bool(region) and case.rewritten[:1] == region[:1] and lines[:1] == [region[0]]
    for name, damage in (("elide", shapes.elide), ("cut", shapes.cut_tail)):
        got = damage(case, lines, rng) if name in chosen else None
        if got is not None:
            lines = got
            done.append(name)
    extra = shapes.beyond(case, lines, rng) if "beyond" in chosen else None
    if extra is not None:
        lines, side = extra
        known_first = known_first or side == "above"
        done.append("beyond")
    return lines, known_first


def _content(case: Case, chosen: list[str], rng: random.Random) -> tuple[list[str], list[str]]:
    """The code lines with the line-level damage of `chosen` applied; the classes applied."""
    lines = list(case.rewritten)
    done: list[str] = []
    marked = shapes.cursor_echo(case, lines) if "marks" in chosen and rng.random() < 0.5 else None
    if marked is not None:
        lines, done = marked, ["marks"]
    lines, known_first = _structure(case, chosen, lines, rng, done)
    shifted = shapes.shift(case, lines, rng, known_first) if "indent" in chosen else None
    if shifted is not None:
        lines = shifted[0]
        done.append("indent")
    tabbed = shapes.retab(case, lines, rng) if "tabs" in chosen else None
    if tabbed is not None and tabbed != lines:
        lines = tabbed
        done.append("tabs")
    if "marks" in chosen and "marks" not in done:
        where = rng.choice(("both", "both", "open", "close"))
        if where in ("both", "open"):
            lines = [REGION_OPEN, *lines]
        if where in ("both", "close"):
            lines = [*lines, REGION_CLOSE]
        done.append("marks")
    return lines, done


def _draw(rng: random.Random) -> list[str]:
    if rng.random() < CLEAN_SHARE:
        return []
    count = rng.choice((1, 1, 2, 2, 3, 3, 4))
    chosen: list[str] = []
    for name in rng.sample(CLASSES, len(CLASSES)):
        if len(chosen) == count:
            break
        if not any(name in group and group & set(chosen) for group in EXCLUSIVE):
            chosen.append(name)
    return chosen


def _wrap(case: Case, chosen: list[str], result: Answer, rng: random.Random) -> list[str]:
    """No tag, a fence, tags glued to the code."""
    done: list[str] = []
    if "untagged" in chosen:
        result.tag = False
        done.append("untagged")
    if "fence" in chosen:
        result.fence = _fence(case, rng)
        result.fence_place = rng.choice(("inside", "outside", "instead", "instead"))
        result.tag = result.fence_place != "instead"
        done.append("fence")
    inside = result.fence is not None and result.fence_place == "inside"
    ends = [bool(result.lines and result.lines[i].strip()) for i in (0, -1)]
    if "glue" in chosen and result.tag and not inside and any(ends):
        result.glue_open = ends[0] and (not ends[1] or rng.random() < 0.7)
        result.glue_close = ends[1] and (not result.glue_open or rng.random() < 0.5)
        done.append("glue")
    return done


def _surround(case: Case, chosen: list[str], result: Answer, rng: random.Random) -> list[str]:
    """The original region quoted first, a think block, prose before or after."""
    done: list[str] = []
    if "echo" in chosen:
        result.head += _echo(case, rng)
        result.tag = True
        done.append("echo")
    if "think" in chosen:
        result.head = _think(case, rng)[0] + result.head
        done.append("think")
    if "prose" in chosen:
        nothing = case.rewritten == case.region.lines
        lead = rng.choice(PROSE_NOTHING if nothing and rng.random() < 0.5 else PROSE_BEFORE)
        where = rng.choice(("before", "after", "both"))
        if where != "after":
            result.head.append(lead)
        if where != "before":
            result.tail.append(rng.choice(PROSE_AFTER))
        done.append("prose")
    if (result.head or result.tail) and not result.tag and not result.fence:
        result.tag = True
    return done


def answer(case: Case, rng: random.Random) -> tuple[list[str], str]:
    """The corruption classes applied and the raw answer for one sample of `case`."""
    own = random.Random(f"{SALT}:{rng.getrandbits(64)}")
    chosen = _draw(own)
    lines, done = _content(case, chosen, own)
    result = Answer(lines)
    done += _wrap(case, chosen, result, own)
    done += _surround(case, chosen, result, own)
    if "cut" in chosen and (result.tag or result.fence or "cut" in done):
        result.closed = False
        result.final_break = own.random() < 0.5
        done.append("cut")
    if "crlf" in chosen:
        result.crlf = own.choice(("all", "all", "body"))
        done.append("crlf")
    order = {name: i for i, name in enumerate(CLASSES)}
    return sorted(set(done), key=order.__getitem__), render(result)


__all__ = ["CLASSES", "SALT", "Answer", "answer", "render"]
