"""The unseen seed family `fresh9`: only issue 14's eleven corruption classes, realised anew.

Each class adds the file's own text (plainly before or past the hole), changes only whitespace,
or adds text that is plainly not code, so that a careful reader of the window and the raw stream
can always give the true text back. `build` draws 1 to 3 applicable classes (none about one
sample in eight) from a generator salted for the family, applies them in the order a model's
answer is laid out (indentation, echoes, over-generation, then fence, reasoning, prose, junk) and
`render` lays the parts out; a cut stream stops mid-token inside the code.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from glm_lsp.inline import Mode

from . import fresh9_words as words
from .corruptions import OPEN_TAG, Context, Draft
from .corruptions import deltas as split_stream
from .family import NO_POOLS, Family
from .holes import indent
from .lexical import is_word, token_boundary

CLASSES = (
    "indent_shift",
    "tabs_spaces",
    "echo_prefix",
    "echo_prev",
    "echo_suffix",
    "over_generate",
    "fence",
    "think",
    "prose",
    "junk",
    "truncate",
)
"""Issue 14's classes, in the order `build` applies them."""
SALT = "fresh9:7d31"
CLOSERS = ("}", "end", "fi", "done", "esac", ")", "];", "});", "};", "end)", "until")


@dataclass
class Raw(Draft):
    """A `Draft` that may open its fence before the tag or reason inside it."""

    fence_before_tag: bool = False
    think_inside: bool = False


def _lines_of_body(ctx: Context) -> int:
    """Index of the first body line an indentation class may move (a block's answer starts with
    a line break: its first line is empty)."""
    return 1 if ctx.cut.kind == "block" else 0


def applicable(name: str, ctx: Context) -> bool:
    """Whether class `name` can change this hole's answer in a way a reader can undo."""
    expected = ctx.cut.expected
    if name == "indent_shift":
        return ctx.starts_lines and (ctx.cut.kind == "block" or bool(ctx.line_prefix))
    if name == "tabs_spaces":
        later = [ln for ln in expected.split("\n")[1:] if ln[:1] in (" ", "\t")]
        return ctx.starts_lines and (bool(later) or bool(ctx.line_prefix))
    if name == "echo_prefix":
        return bool(ctx.line_prefix.strip())
    if name == "echo_prev":
        return any(ln.strip() for ln in ctx.cut.lines[: ctx.cut.line])
    if name == "echo_suffix":
        return bool(ctx.line_suffix.strip()) or any(ln.strip() for ln in ctx.lines_after[:3])
    if name == "truncate":
        return any(is_word(a) and is_word(b) for a, b in zip(expected, expected[1:], strict=False))
    return True


def _pad(columns: int, ctx: Context) -> str:
    return "\t" * (columns // 4) + " " * (columns % 4) if ctx.unit == "\t" else " " * columns


def _moved(line: str, columns: int, ctx: Context) -> str:
    if not line.strip():
        return line
    if columns >= 0:
        return _pad(columns, ctx) + line
    return line[min(-columns, indent(line)) :]


def indent_shift(d: Raw, ctx: Context, rng: random.Random) -> Raw:
    """Lines start at the wrong column: all off by a level (deeper, or shallower where they
    can be), by a few spaces, only the first, or the lines after the first written as if the
    first stood at column 0."""
    lines = d.body.split("\n")
    width = 4 if ctx.unit == "\t" else len(ctx.unit)
    first = _lines_of_body(ctx)
    at_cursor = ctx.cut.kind in ("blank", "block_blank")
    way = rng.choice(("deeper", "shallower", "few", "first", "relative"))
    if way == "relative" and at_cursor and len(lines) > 1 and ctx.line_prefix:
        cut = len(ctx.line_prefix)
        rest = [ln[cut:] if ln.startswith(ctx.line_prefix) else ln for ln in lines[1:]]
        return replace(d, body="\n".join([lines[0], *rest]))
    columns = width if way != "few" else rng.choice((1, 2, 3)) * (4 if ctx.unit == "\t" else 1)
    drop = 1 if ctx.unit == "\t" else width  # one level of leading characters
    shallow_ok = all(indent(ln) >= drop for ln in lines[first:] if ln.strip()) and not at_cursor
    if way == "shallower" and shallow_ok:
        columns = -drop
    if way in ("first", "relative") or at_cursor and rng.random() < 0.5:
        index = next((i for i in range(first, len(lines)) if lines[i].strip()), first)
        lines[index] = _moved(lines[index], columns, ctx)
        return replace(d, body="\n".join(lines))
    body = [ln if i < first else _moved(ln, columns, ctx) for i, ln in enumerate(lines)]
    return replace(d, body="\n".join(body))


def tabs_spaces(d: Raw, ctx: Context, rng: random.Random) -> Raw:
    """Tabs where the file indents with spaces, or spaces (2, 4 or 8 a tab) where it uses tabs;
    on a line of its own the answer may write the cursor's indentation again, the other way."""
    width = rng.choice((4, 4, 8, 2))
    step = len(ctx.unit) if ctx.unit != "\t" else 1

    def swap(lead: str) -> str:
        if ctx.unit == "\t" or "\t" in lead:
            return lead.replace("\t", " " * width)
        return "\t" * (len(lead) // step) + " " * (len(lead) % step)

    lines = d.body.split("\n")
    changed = [lines[0]]
    if ctx.cut.kind in ("blank", "block_blank") and ctx.line_prefix and rng.random() < 0.6:
        changed[0] = swap(ctx.line_prefix) + lines[0]
    for line in lines[1:]:
        lead = line[: indent(line)]
        changed.append(swap(lead) + line[len(lead) :])
    if changed == lines and ctx.line_prefix:
        changed[0] = swap(ctx.line_prefix) + lines[0]
    return replace(d, body="\n".join(changed))


def echo_prefix(d: Raw, ctx: Context, rng: random.Random, whole: bool = False) -> Raw:
    """The text before the cursor typed again: the whole line, the line without its
    indentation, or its last words from a token boundary; sometimes with a space after commas."""
    before = ctx.line_prefix
    way = "whole" if whole else rng.choice(("whole", "bare", "bare", "words"))
    echo = before
    if way == "bare":
        echo = before.lstrip()
    elif way == "words":
        start = max(indent(before), len(before) - rng.choice((4, 9, 16, 30)))
        while start > indent(before) and not token_boundary(before, start):
            start -= 1
        echo = before[start:]
    if rng.random() < 0.25:
        echo = ", ".join(part.lstrip(" ") if i else part for i, part in enumerate(echo.split(",")))
    return replace(d, body=echo + d.body)


def echo_prev(d: Raw, ctx: Context, rng: random.Random, head: bool = True) -> Raw:
    """The line above (or the two above, blank lines between them kept) written again, then
    the cursor line from its start; the first line may lose its indentation."""
    above = list(ctx.cut.lines[: ctx.cut.line])
    starts = [i for i, ln in enumerate(above) if ln.strip()]
    count = rng.choice((1, 1, 2))
    previous = above[starts[-count] if len(starts) >= count else starts[0] :]
    if rng.random() < 0.3:
        previous[0] = previous[0].lstrip()
    lead = ctx.line_prefix if head else ""
    return replace(d, body="\n".join(previous) + "\n" + lead + d.body)


def echo_suffix(d: Raw, ctx: Context, rng: random.Random) -> Raw:
    """The code after the cursor written again after the answer: the rest of the line, the
    rest of the line and the next lines, or only the next lines as the file has them (blank
    lines between them kept)."""
    count = rng.choice((1, 2, 3))
    starts = [i for i, ln in enumerate(ctx.lines_after) if ln.strip()]
    following = ctx.lines_after[: starts[min(count, len(starts)) - 1] + 1] if starts else []
    tail = ctx.line_suffix
    if not tail.strip():
        tail = ""
    if following and (not tail or rng.random() < 0.5):
        tail += "\n" + "\n".join(following)
    return replace(d, body=d.body + tail)


def _far_statements(ctx: Context) -> list[str]:
    """Simple statements of the file away from the hole, none of them a line of the answer."""
    own = {ln.strip() for ln in ctx.cut.expected.split("\n")}
    found = []
    for i, line in enumerate(ctx.cut.lines):
        text = line.strip()
        if abs(i - ctx.cut.line) <= 4 or text in own or not 4 <= len(text) <= 72:
            continue
        if text.endswith(("{", ":", "(", ",", "\\", "[", "then", "do")):
            continue
        if text.startswith(("}", "#", "//", "/*", "*", "--", "end", "@", ")", "]")):
            continue
        balanced = all(text.count(a) == text.count(b) for a, b in ("()", "[]", "{}"))
        if balanced and any(ch in text for ch in "=(;") and any(is_word(ch) for ch in text):
            found.append(text)
    return found


def over_generate(d: Raw, ctx: Context, rng: random.Random) -> Raw:
    """The model goes on past the unit: further statements at the cursor's depth on new lines;
    for a block, the block's closing line from the file and then more code at the closer's
    depth, or a new top-level unit."""
    pool = _far_statements(ctx)
    cursor_line = ctx.line_prefix + ctx.cut.expected.split("\n")[0]
    multi = ctx.hole.mode is Mode.MULTI_LINE
    depth = cursor_line[: indent(cursor_line)]
    if multi and ctx.cut.kind != "block" and ctx.lines_before:
        depth = ctx.lines_before[-1][: indent(ctx.lines_before[-1])]
    extra = [depth + rng.choice(pool) for _ in range(rng.choice((1, 2, 3)))] if pool else []
    if multi:
        closer = next((ln for ln in ctx.lines_after if ln.strip()), "")
        trailer = words.TRAILERS.get(ctx.cut.language, ())
        if closer.strip() in CLOSERS and indent(closer) <= len(depth):
            extra = [closer, "", *extra]
        elif not extra or rng.random() < 0.4 and trailer:
            extra = ["", "", *trailer] if trailer else ["", depth + "pass"]
        else:
            extra = ["", *extra]
    elif not extra:
        extra = [depth + "return"]
    return replace(d, body=d.body + "\n" + "\n".join(extra))


def fence(d: Raw, ctx: Context, rng: random.Random) -> Raw:
    """A markdown fence around the code: with a language or without, in several spellings,
    inside the tag, opened before the tag (no closing tag then), or with no tag at all."""
    names = words.FENCE_NAMES.get(ctx.cut.language, (ctx.cut.language,))
    name = rng.choice((*names, ""))
    opener, closer = rng.choice(words.FENCE_STYLES)
    body = d.body
    if body.startswith("\n") and rng.random() < 0.5:
        body = body[1:]
    where = rng.choice(("inside", "inside", "before_tag", "no_tag"))
    return replace(
        d,
        body=body,
        fence_open=opener.format(name),
        fence_close=closer,
        fence_before_tag=where == "before_tag",
        tag=where != "no_tag",
    )


def think(d: Raw, ctx: Context, rng: random.Random) -> Raw:
    """Reasoning before the answer in the spellings models use, sometimes empty, sometimes
    just inside the tag."""
    opener, closer = rng.choice(words.THINK_SPELLINGS)
    thought = rng.choice(words.THOUGHTS).format(lang=ctx.cut.language)
    block = opener + thought + closer + rng.choice(words.THINK_GAPS)
    return replace(d, think=block, think_inside=rng.random() < 0.2)


def prose(d: Raw, ctx: Context, rng: random.Random) -> Raw:
    """A sentence before and/or after the code, in one of several human languages, on its own
    line; the one before sometimes inside the tag."""
    where = rng.choice(("before", "after", "both"))
    if where != "after":
        sentence = rng.choice(words.PROSE_BEFORE) + rng.choice(words.PROSE_GAPS)
        if rng.random() < 0.3:
            d = replace(d, fence_open=sentence + d.fence_open)
        else:
            d = replace(d, before=sentence)
    if where != "before":
        d = replace(d, after=rng.choice(words.PROSE_GAPS) + rng.choice(words.PROSE_AFTER))
    return d


def junk(d: Raw, ctx: Context, rng: random.Random) -> Raw:
    """End tokens, chat-template debris or stray markup after everything else."""
    return replace(d, junk=rng.choice(words.JUNK_GAPS) + rng.choice(words.JUNK))


def truncate(d: Raw, ctx: Context, rng: random.Random) -> Raw:
    """The stream stops mid-token inside the code (max_tokens); the host says `length`."""
    return replace(d, truncate=rng.random(), finish="length")


def build(
    expected: str, ctx: Context, rng: random.Random, forced: tuple[str, ...] | None = None
) -> tuple[list[str], Raw]:
    """The classes drawn for a sample (or `forced`, those of them that apply) and its draft."""
    own = random.Random(f"{SALT}:{rng.getrandbits(64)}")
    names = [n for n in CLASSES if applicable(n, ctx)]
    if forced is None:
        count = 0 if own.random() < 0.125 else own.choice((1, 1, 2, 2, 3))
        chosen = set(own.sample(names, min(count, len(names))))
    else:
        chosen = set(forced) & set(names)
    draft = Raw(body=expected)
    steps = {
        "indent_shift": indent_shift,
        "tabs_spaces": tabs_spaces,
        "echo_suffix": echo_suffix,
        "over_generate": over_generate,
        "fence": fence,
        "think": think,
        "prose": prose,
        "junk": junk,
        "truncate": truncate,
    }
    for name in CLASSES:
        if name not in chosen:
            continue
        if name == "echo_prefix":
            draft = echo_prefix(draft, ctx, own, whole="echo_prev" in chosen)
        elif name == "echo_prev":
            draft = echo_prev(draft, ctx, own, head="echo_prefix" not in chosen)
        else:
            draft = steps[name](draft, ctx, own)
    return [n for n in CLASSES if n in chosen], draft


def compose(expected: str, ctx: Context, rng: random.Random) -> tuple[list[str], Draft]:
    """`build` with the classes drawn."""
    return build(expected, ctx, rng)


def _cut(code: str, fraction: float) -> str:
    """`code` stopped between two word characters near `fraction` of its length."""
    if len(code) <= 1:
        return code
    target = max(1, int(fraction * len(code)))
    inside = [i for i in range(1, len(code)) if is_word(code[i - 1]) and is_word(code[i])]
    return code[: min(inside, key=lambda i: abs(i - target)) if inside else target]


def render(d: Draft) -> str:
    """The text the model streams: reasoning, prose, tag and fence (in the drawn order), the
    code, then the fence's close, prose and junk; a cut stream ends inside the code."""
    raw = d if isinstance(d, Raw) else Raw(**vars(d))
    tag = OPEN_TAG if raw.tag else ""
    outer_think = "" if raw.think_inside else raw.think
    inner_think = raw.think if raw.think_inside else ""
    if raw.fence_before_tag:
        head = outer_think + raw.before + raw.fence_open + tag + inner_think
    else:
        head = outer_think + raw.before + tag + inner_think + raw.fence_open
    if raw.truncate is not None:
        return head + _cut(raw.body, raw.truncate)
    return head + raw.body + raw.fence_close + raw.after + raw.junk


FRESH9 = Family(replace(NO_POOLS, delta_sizes=(1, 9)), compose, render)


def deltas(raw: str, rng: random.Random) -> list[str]:
    """`raw` in the pieces a stream delivers (1 to 9 characters)."""
    return split_stream(raw, FRESH9.pools, rng)
