"""The `fresh2` seed family (`--family fresh2`): written after the filters by an engineer who read
neither the filters nor the `heldout` and `fresh` pools. Its own wording, its own shapes of each
corruption kind (fresh2_shapes.py and below), its own composition and rendering. Filter authors do
not read this module: the figure it gives is only worth something while it stays unseen.
"""

from __future__ import annotations

import random
import re
from dataclasses import replace
from pathlib import PurePosixPath

from . import fresh2_shapes as shapes
from .corruptions import OPEN_TAG, Context, Draft, Pools, applicable
from .family import Family
from .fresh2_shapes import Draft2
from .lexical import is_word

POOLS = Pools(
    prose_before=(
        "Here's the fix:",
        "- Completes the expression at the cursor\n- Keeps the surrounding style",
        "**Completion**",
        "### Suggested code",
        "以下是补全的代码：",
        "Based on the surrounding context, this is what goes at the cursor:",
        "Sure — the missing part is",
        "好的，补全如下",
    ),
    prose_after=(
        "This handles the edge case where the input is empty.",
        "- Reuses the existing helper\n- No new imports needed",
        "这样就补全了当前语句。",
        "Note: rename the variables if your code differs.",
        "**Explanation:** it mirrors the code just above.",
        "Hope this helps! Let me know if something is unclear.",
    ),
    prose_gaps=("\n", "\n\n", "\n \n", "\n\n---\n\n"),
    prose_inside_tag=0.35,
    thoughts=(
        "\nThe cursor is in the middle of the code. I should only output what is missing.\n",
        "\n\n",
        "The line reads `foo(`; it needs its arguments.\n```\nfoo(a, b)\n```\nThe names differ.",
        "\nI must put the answer inside <COMPLETION> tags and nothing else.\n",
        "嗯，用户需要补全光标处的代码。先看上下文。",
    ),
    think_gaps=("\n\n", "", " "),
    fence_names={
        "python": ("py", "python3", "Python"),
        "javascript": ("js", "jsx", "node"),
        "typescript": ("ts", "tsx"),
        "lua": ("Lua", "luau"),
        "c": ("C", "h"),
        "cpp": ("c++", "cc", "hpp"),
        "java": ("Java", "jav"),
        "shellscript": ("sh", "shell", "zsh", "console"),
        "go": ("golang",),
        "rust": ("rs",),
        "ruby": ("rb",),
    },
    fence_closes=("\n```\n", "\n````", "", "\n``", "\n~~~"),
    junk=(
        "<|im_end|>",
        "<|user|>",
        "</s>",
        "<｜end▁of▁sentence｜>",
        "<|eot_id|>",
        "</completion>",
        "<|observation|>",
        "<|im_end|>\n<|endoftext|>",
        "[END]",
    ),
    junk_gaps=("", "\n\n", " ", "\n"),
    shifts=(),
    echo_chars=(),
    echo_styles=("chain", "newline", "dedented", "line"),
    prev_lines=(1, 2, 3),
    suffix_lines=(1, 3),
    extra_lines=(1, 2),
    tab_width=8,
    delta_sizes=(2, 11),
)

_TWO_CHAR_OPERATORS = re.compile(r"==|!=|<=|>=|->|=>|&&|\|\||::|\+=|-=|\*=|:=|<<|>>|\.\.")


def fence(d: Draft, ctx: Context, rng: random.Random) -> Draft:
    """A markdown fence: a language alias, a file name after it, tildes or four backticks, a
    line break between the tag and the fence, a close that is missing or only partial."""
    names = (*ctx.pools.fence_names.get(ctx.cut.language, ()), "")
    name = rng.choice(names)
    if name and rng.random() < 0.25:
        name += ":" + PurePosixPath(ctx.cut.label).name
    style = rng.choice(("```", "```", "````", "~~~"))
    close = rng.choice(ctx.pools.fence_closes)
    if style == "~~~" and close:
        close = "\n~~~"
    elif style == "````" and close.strip() == "```":
        close = "\n````"
    body = d.body[1:] if d.body.startswith("\n") and rng.random() < 0.6 else d.body
    opening = ("\n" if rng.random() < 0.3 else "") + style + name + "\n"
    return replace(d, body=body, fence_open=opening, fence_close=close, tag=rng.random() < 0.6)


def prose(d: Draft, ctx: Context, rng: random.Random) -> Draft:
    """Explanations around the code: sentences, markdown bullets or headings, in English or
    Chinese, before (outside or inside the tag) and/or after."""
    pools = ctx.pools
    where = rng.choice(("before", "after", "both", "after"))
    if where != "after":
        sentence = rng.choice(pools.prose_before) + rng.choice(pools.prose_gaps)
        if rng.random() < pools.prose_inside_tag:
            d = replace(d, fence_open=sentence + d.fence_open)
        else:
            d = replace(d, before=sentence)
    if where != "before":
        d = replace(d, after=rng.choice(pools.prose_gaps) + rng.choice(pools.prose_after))
    return d


def think(d: Draft, ctx: Context, rng: random.Random) -> Draft:
    """A reasoning block first: empty, multi-line, quoting code or the tag."""
    thought = rng.choice(ctx.pools.thoughts)
    return replace(d, think=f"<think>{thought}</think>" + rng.choice(ctx.pools.think_gaps))


def junk(d: Draft, ctx: Context, rng: random.Random) -> Draft:
    """Special tokens of other chat templates, a lower-case closing tag, an end marker."""
    return replace(d, junk=rng.choice(ctx.pools.junk_gaps) + rng.choice(ctx.pools.junk))


def truncate(d: Draft, ctx: Context, rng: random.Random) -> Draft:
    """The stream is cut (the host says `length`): inside a word, or inside a two-character
    operator when there is one (`=` of `==`, `-` of `->`)."""
    return replace(d, truncate=rng.random(), finish="length", operator_cut=rng.random() < 0.4)


CORRUPTIONS = {
    "indent_shift": shapes.indent_shift,
    "tabs_spaces": shapes.tabs_spaces,
    "echo_prefix": shapes.echo_prefix,
    "echo_prev": shapes.echo_prev,
    "echo_suffix": shapes.echo_suffix,
    "over_generate": shapes.over_generate,
    "fence": fence,
    "prose": prose,
    "think": think,
    "junk": junk,
    "truncate": truncate,
}
"""In the order `compose` applies them."""


def compose(expected: str, ctx: Context, rng: random.Random) -> tuple[list[str], Draft]:
    """1 to 3 applicable corruptions, or none (about one time in nine: `clean`)."""
    names = [n for n in CORRUPTIONS if applicable(n, ctx)]
    count = 0 if rng.random() < 0.11 else rng.choice((1, 2, 3, 2, 1))
    chosen = set(rng.sample(names, min(count, len(names))))
    draft: Draft = Draft2(body=expected)
    for name, corrupt in CORRUPTIONS.items():
        if name in chosen:
            draft = corrupt(draft, ctx, rng)
    return [n for n in CORRUPTIONS if n in chosen], draft


def _cut_at(tail: str, fraction: float, operator: bool) -> int:
    target = max(1, int(fraction * len(tail)))
    inside = [m.start() + 1 for m in _TWO_CHAR_OPERATORS.finditer(tail)] if operator else []
    if not inside:
        inside = [i for i in range(1, len(tail)) if is_word(tail[i - 1]) and is_word(tail[i])]
    return min(inside, key=lambda i: abs(i - target)) if inside else target


def render(d: Draft) -> str:
    """The text the model streams for draft `d` (CR LF line ends if the draft says so)."""
    head = d.think + d.before + (OPEN_TAG if d.tag else "") + d.fence_open
    tail = d.body + d.fence_close + d.after + d.junk
    if d.truncate is not None and len(tail) > 1:
        tail = tail[: _cut_at(tail, d.truncate, isinstance(d, Draft2) and d.operator_cut)]
    text = head + tail
    return text.replace("\n", "\r\n") if isinstance(d, Draft2) and d.crlf else text


FRESH2 = Family(pools=POOLS, compose=compose, render=render)
