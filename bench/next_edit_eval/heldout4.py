"""The `heldout4` next-edit family: the true rewrite of the region, damaged the ways a chat model
answers "rewrite this region inside tags", composed one to three at a time.

Written (issue 15) by an engineer who read neither `propose`'s reading and repair code nor the
bodies of the other families: only the runner, the judge, the cases, the registry, the prompt's
format and the method sections of docs/evaluation.md. Its generator is seeded from the runner's
with its own salt. Line shapes come from `heldout4_shapes.py` (the file around the rewrite, the
rewrite's own lines, the marks, whitespace), the words around them from `heldout4_words.py`;
this module draws the classes, wraps the lines (tags, fences, reasoning, prose) and renders the
stream (line endings last). Fixable only: see `heldout4_shapes.py`; text around the code comes
only with tags or a fence that delimit it.

Filter authors do not read this file nor run the family; the lead runs it once.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from glm_lsp.edits.nextedit.prompt import TAG

from .cases import Case
from .heldout4_shapes import SHAPES, Parts
from .heldout4_words import (
    CLOSE_SPELLINGS,
    FENCE_MARKS,
    FENCE_NAMES,
    OPEN_SPELLINGS,
    PLAIN_REASONING,
    PROSE_AFTER,
    PROSE_BEFORE,
    QUOTING_THOUGHT,
    REASONING,
    THOUGHTS,
    pick,
)

SALT = "heldout4:kestrel"
WRAPS = ("tags", "fence", "reasoning", "prose", "crlf")
CLASSES = (*SHAPES, *WRAPS)
CLEAN = 0.1
COUNTS = (1, 1, 2, 2, 2, 3, 3)
"""How many classes a damaged answer draws: a mix of two or three most of the time."""
APART = (
    frozenset({"wholefile", "beyond", "elide", "cut"}),
    frozenset({"wholefile", "indent"}),
    frozenset({"wholefile", "tabs"}),
    frozenset({"indent", "tabs"}),
)
"""Classes never drawn together (each set at most one)."""
OPEN = f"<{TAG}>"
CLOSE = f"</{TAG}>"


@dataclass
class Draft:
    """A raw answer: the lines, and how they are wrapped."""

    parts: Parts
    open_tag: str = OPEN
    close_tag: str = CLOSE
    glue_open: bool = False
    glue_close: bool = False
    fence_open: str = ""
    fence_close: str = ""
    fence_place: str = "inside"
    """`inside` the tags, `outside` them, or `instead` of them."""
    think: str = ""
    before: str = ""
    after: str = ""
    crlf: bool = False
    names: list[str] = field(default_factory=list)


def render(d: Draft) -> str:
    """The text the model streams for `d`; a cut answer stops after its last line."""
    body = "\n".join(d.parts.joined())
    end = "\ue001"
    inner = body + end
    if d.fence_open and d.fence_place == "inside":
        inner = d.fence_open + "\n" + inner + "\n" + d.fence_close
    if d.fence_place != "instead":
        opened = d.open_tag + ("" if d.glue_open else "\n")
        closed = (("" if d.glue_close else "\n") + d.close_tag) if d.close_tag else ""
        inner = opened + inner + closed
    if d.fence_open and d.fence_place != "inside":
        inner = d.fence_open + "\n" + inner + "\n" + d.fence_close
    text = d.think + d.before + inner + d.after
    if d.parts.cut:
        text = text[: text.index(end)]
    text = text.replace(end, "")
    return text.replace("\n", "\r\n") if d.crlf else text


def _tags(d: Draft, case: Case, rng: random.Random) -> bool:
    way = pick(rng, ("glue_open", "glue_close", "glue_both", "open", "close", "unclosed", "twice"))
    spelt_open, spelt_close = pick(rng, OPEN_SPELLINGS), pick(rng, CLOSE_SPELLINGS)
    if way in ("glue_open", "glue_both"):
        d.glue_open = True
    if way in ("glue_close", "glue_both"):
        d.glue_close = True
    if way == "open":
        d.open_tag = spelt_open
    if way == "close":
        d.close_tag = spelt_close
    if way == "unclosed":
        d.close_tag = ""
    if way == "twice":
        d.open_tag = OPEN + "\n" + OPEN
    return True


def _fence(d: Draft, case: Case, rng: random.Random) -> bool:
    mark = pick(rng, FENCE_MARKS)
    names = FENCE_NAMES.get(case.change.language, ())
    way = pick(rng, ("name", "name", "bare", "spaced", "path", "upper"))
    name = pick(rng, names) if names else ""
    info = {
        "name": name,
        "bare": "",
        "spaced": " " + name,
        "path": case.change.path,
        "upper": name.upper(),
    }[way]
    d.fence_open = mark + info
    d.fence_close = mark
    place = pick(rng, ("inside", "inside", "outside", "instead"))
    d.fence_place = "inside" if place == "instead" and "tags" in d.names else place
    return True


def _reasoning(d: Draft, case: Case, rng: random.Random) -> bool:
    opener, closer = pick(rng, REASONING)
    thought = pick(rng, THOUGHTS)
    quoted = [ln.strip() for ln in case.region.lines if len(ln.strip()) > 8]
    if quoted and rng.random() < 0.25:
        thought = QUOTING_THOUGHT.format(line=pick(rng, quoted))
    gap = pick(rng, ("\n", "\n\n", ""))
    if rng.random() < 0.75:
        d.think = opener + thought + closer + gap
    else:
        d.think = pick(rng, PLAIN_REASONING) + (thought or THOUGHTS[0]) + "\n\n"
    return True


def _prose(d: Draft, case: Case, rng: random.Random) -> bool:
    where = pick(rng, ("before", "after", "both"))
    gap = pick(rng, ("\n", "\n\n", " "))
    before = pick(rng, PROSE_BEFORE) + (gap if d.fence_place != "instead" else "\n")
    after = pick(rng, ("\n", "\n\n")) + pick(rng, PROSE_AFTER)
    closes = d.fence_open or d.close_tag
    if where == "after" and (d.parts.cut or not closes):
        where = "before"
    if where in ("before", "both"):
        d.before = before
    if where in ("after", "both") and closes and not d.parts.cut:
        d.after = after
    return True


def _crlf(d: Draft, case: Case, rng: random.Random) -> bool:
    d.crlf = True
    return True


_WRAPPERS = {"tags": _tags, "fence": _fence, "reasoning": _reasoning, "prose": _prose}
_WRAPPERS["crlf"] = _crlf


def _drawn(rng: random.Random) -> list[str]:
    if rng.random() < CLEAN:
        return []
    count = pick(rng, COUNTS)
    order = list(CLASSES)
    rng.shuffle(order)
    chosen: list[str] = []
    for name in order:
        if len(chosen) == count:
            break
        if any(name in group and group & set(chosen) for group in APART):
            continue
        chosen.append(name)
    return chosen


def compose(case: Case, rng: random.Random) -> Draft:
    """The draft of one answer: the classes drawn, applied in the family's order (line shapes,
    then the wrapping); a class that does not apply is not named."""
    chosen = set(_drawn(rng))
    draft = Draft(Parts(list(case.rewritten)))
    for name, shape in SHAPES.items():
        if name in chosen and shape(draft.parts, case, rng):
            draft.names.append(name)
    for name, wrap in _WRAPPERS.items():
        if name in chosen and wrap(draft, case, rng):
            draft.names.append(name)
    return draft


def answer(case: Case, rng: random.Random) -> tuple[list[str], str]:
    """(the classes applied, the raw answer) for one sample of `case`."""
    draft = compose(case, random.Random(f"{SALT}:{rng.getrandbits(64)}"))
    return draft.names, render(draft)
