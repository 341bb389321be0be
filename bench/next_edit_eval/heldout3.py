"""The `heldout3` next-edit family: a fourth corruption family, written apart (issue 15).

Its author read the runner, the judge, the cases and the registry only, not `propose`'s
filters nor the other families' bodies. It builds the raw answer itself from the true rewrite
(`Case.rewritten`) with its own seeded generator (salt `heldout3`): 10 % clean, the others 1
to 4 classes. Line-level damage lives in `heldout3_shapes.py`; this module wraps the lines
(tags, fences, reasoning, prose, line endings). Every damage is fixable: a careful reader who
sees the prompt recovers the true rewrite; a damage that does not fit a case is not applied
and its class not named.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from glm_lsp.edits.nextedit.prompt import TAG

from . import heldout3_shapes as shapes
from .cases import Case

CLASSES = (
    "markers",
    "fence",
    "reasoning",
    "prose",
    "indent",
    "tabs",
    "crlf",
    "elide",
    "beyond",
    "cut",
    "glue",
    "misspelt",
    "wholefile",
)
CLEAN = 0.10
EXCLUSIVE = (
    {"elide", "cut", "beyond", "wholefile"},
    {"indent", "tabs", "wholefile"},
    {"glue", "misspelt"},
    {"cut", "misspelt"},
)
"""At most one class of each set in a sample."""

FENCES = (
    ("```{lang}", "```"),
    ("```", "```"),
    ("``` {lang}", "```"),
    ("```{lang} {path}", "```"),
    ("````{lang}", "````"),
    ("~~~", "~~~"),
    ("~~~{lang}", "~~~"),
    ("```{path}", "```"),
)
MISSPELT = (
    ("<Rewrite>", "</Rewrite>"),
    ("<REWRITE>", "</REWRITE>"),
    ("<rewrite>", "<rewrite>"),
    ("<rewrite>", "</rewrite"),
    ("< rewrite >", "</ rewrite >"),
    ("<rewrite >", "</rewite>"),
)
THOUGHTS = (
    "The last edits rename the field; the same name is still used a few lines below.",
    "Looking at the history, the programmer is working through this block line by line.",
    "The region looks consistent with the recent change, let me check each line.",
)
REASONING = (
    "<think>\n{t}\n</think>\n\n",
    "<thinking>{t}</thinking>\n",
    "<reasoning>\n{t}\n</reasoning>\n\n",
    "{t}\n</think>\n\n",
    "<think>\n\n</think>\n\n",
)
BEFORE = (
    "Here is the updated region:",
    "Sure. The region after the next edit:",
    "Applying the same change to the rest of the block gives:",
    "Based on the recent edits, the next change is:",
)
BEFORE_NOTHING = (
    "No further edit is needed here; the region stays as it is:",
    "Nothing else to change, so the region is unchanged:",
)
AFTER = (
    "This keeps the rest of the region as it was.",
    "Let me know if you want the other occurrences changed too.",
    "The change follows the pattern of the previous edits.",
)


@dataclass
class Draft:
    """An answer being built: the code lines and what goes around them."""

    code: list[str]
    opener: str = f"<{TAG}>"
    closer: str = f"</{TAG}>"
    fence: tuple[str, str] | None = None
    fence_at: str = "inside"
    """`inside` the tags, `outside` them, or `instead` of them."""
    glue_open: bool = False
    glue_close: bool = False
    cut: bool = False
    before: list[str] = field(default_factory=list)
    after: list[str] = field(default_factory=list)
    crlf: str = ""
    """`all` lines end in CR LF, `code` lines only, or none."""


def render(draft: Draft) -> str:
    """The raw answer text of `draft`."""
    code = list(draft.code)
    tags = draft.fence_at != "instead" or draft.fence is None
    fence_open, fence_close = draft.fence or ("", "")
    opener = draft.opener if tags else ""
    closer = "" if draft.cut or not tags else draft.closer
    if draft.cut:
        fence_close = ""
    if draft.crlf == "code":
        code = [line + "\r" for line in code]
    lines: list[str] = list(draft.before)
    if draft.fence is not None and draft.fence_at == "outside":
        lines.append(fence_open)
    inner_open = fence_open if draft.fence is not None and draft.fence_at != "outside" else ""
    inner_close = fence_close if draft.fence is not None and draft.fence_at != "outside" else ""
    if draft.glue_open and opener and inner_open:
        lines.append(opener + inner_open)
    elif draft.glue_open and code and opener:
        code[0] = opener + code[0]
    else:
        lines += [x for x in (opener, inner_open) if x]
    tail = [x for x in (inner_close, closer) if x]
    if draft.glue_close and closer and inner_close:
        tail = [inner_close + closer]
    elif draft.glue_close and code and closer:
        code[-1] = code[-1] + closer
        tail = tail[:-1]
    lines += code + tail
    if draft.fence is not None and draft.fence_at == "outside" and fence_close:
        lines.append(fence_close)
    if not draft.cut:
        lines += draft.after
    return ("\r\n" if draft.crlf == "all" else "\n").join(lines)


def _pick(rng: random.Random) -> list[str]:
    count = rng.choice((1, 1, 2, 2, 3, 4))
    chosen: list[str] = []
    for name in rng.sample(CLASSES, len(CLASSES)):
        if len(chosen) == count:
            break
        if any(name in group and group & set(chosen) for group in EXCLUSIVE):
            continue
        chosen.append(name)
    return chosen


def _wrap(draft: Draft, name: str, case: Case, rng: random.Random) -> bool:
    lang = case.change.language
    if name == "fence":
        spelling = rng.choice(FENCES)
        draft.fence = (spelling[0].format(lang=lang, path=case.change.path), spelling[1])
        draft.fence_at = rng.choice(("inside", "outside", "instead"))
    elif name == "reasoning":
        draft.before.insert(0, rng.choice(REASONING).format(t=rng.choice(THOUGHTS)).rstrip("\n"))
    elif name == "prose":
        pool = BEFORE_NOTHING if case.klass == "nothing" and rng.random() < 0.5 else BEFORE
        where = rng.choice(("before", "after", "both"))
        if where != "after":
            draft.before.append(rng.choice(pool))
        if where != "before":
            draft.after.append(rng.choice(AFTER))
    elif name == "crlf":
        draft.crlf = rng.choice(("all", "code"))
    elif name == "glue":
        if not draft.code:
            return False
        side = rng.choice(("open", "close", "both"))
        draft.glue_open = side != "close"
        draft.glue_close = side != "open"
    elif name == "misspelt":
        draft.opener, draft.closer = rng.choice(MISSPELT)
    return True


def answer(case: Case, outer: random.Random) -> tuple[list[str], str]:
    """The corruption classes applied and the raw answer for `case`."""
    rng = random.Random(f"heldout3:{outer.random()}")
    if rng.random() < CLEAN:
        return [], render(Draft(list(case.rewritten)))
    chosen = _pick(rng)
    if "fence" in chosen and {"glue", "misspelt"} & set(chosen):
        chosen.remove("fence")
        chosen.append("fence")
    parts = shapes.Parts([], list(case.rewritten), [])
    names: list[str] = []
    for name in (n for n in shapes.ORDER if n in chosen):
        if shapes.apply(name, parts, case, rng):
            names.append(name)
    draft = Draft(parts.joined())
    draft.cut = parts.cut
    for name in (n for n in CLASSES if n in chosen and n not in shapes.ORDER):
        if _wrap(draft, name, case, rng):
            names.append(name)
    if draft.fence is not None and (draft.glue_open or draft.glue_close or "misspelt" in names):
        draft.fence_at = rng.choice(("inside", "outside"))
    names.sort(key=CLASSES.index)
    return names, render(draft)
