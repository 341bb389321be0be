"""The unseen ghost-text family `fresh4`: its own composition, rendering and streaming.

Each class of damage is drawn on its own with its own rate (about two per sample, some samples
clean), from a generator salted for this family; the code shapes are in `fresh4_code.py`, the
words in `fresh4_text.py`. Run only with `--family fresh4`; filter authors do not open
`fresh4*.py` nor run it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from . import fresh4_code as shapes
from . import fresh4_text as words
from .corruptions import Context
from .family import NO_POOLS, Family
from .lexical import is_word

SALT = "fresh4:tern-0412"
"""Mixed into run.py's per-sample seed: this family shares no random numbers with the others."""

CODE_CLASSES = (
    "echo_prev",
    "echo_prefix",
    "echo_suffix",
    "over_generate",
    "newline",
    "indent_shift",
    "tabs_spaces",
    "backticks",
)
"""In the order they are applied: the echoes and extra code first, so that a shift of the
answer's lines knows what follows it."""
WRAP_CLASSES = ("think", "prose", "fence", "lead_token", "tag_echo", "junk", "truncate")
CLASSES = CODE_CLASSES + WRAP_CLASSES
RATES: tuple[tuple[str, float], ...] = (
    ("indent_shift", 0.22),
    ("tabs_spaces", 0.14),
    ("newline", 0.09),
    ("echo_prev", 0.14),
    ("echo_prefix", 0.16),
    ("echo_suffix", 0.16),
    ("over_generate", 0.15),
    ("backticks", 0.08),
    ("think", 0.17),
    ("prose", 0.18),
    ("fence", 0.2),
    ("lead_token", 0.06),
    ("tag_echo", 0.06),
    ("junk", 0.15),
    ("truncate", 0.16),
)


@dataclass(frozen=True)
class Draft:
    """One answer before rendering, in the order the model writes it."""

    body: str
    lead: str = ""
    tail: str = ""
    token: str = ""
    think: str = ""
    before: str = ""
    before_in_tag: bool = False
    tag: bool = True
    tag_again: bool = False
    """The opening tag written a second time (the prompt already ended with it)."""
    fence_open: str = ""
    fence_close: str = ""
    after: str = ""
    junk: str = ""
    truncate: float | None = None
    """Where the stream stops inside the true text (a fraction of it); None: read to its end."""
    finish: str = "stop"


def _head(d: Draft) -> str:
    """Everything the stream holds before the true text."""
    head = d.token + d.think
    if d.before and not d.before_in_tag:
        head += d.before
    if d.tag:
        head += words.TAG * (1 + d.tag_again)
    if d.before and d.before_in_tag:
        head += d.before
    return head + d.fence_open + d.lead


def render(d: Draft) -> str:
    """The raw stream of `d`; a truncated draft stops strictly inside its true text."""
    head = _head(d)
    whole = head + d.body + d.tail + d.fence_close + d.after + d.junk
    if d.truncate is None:
        return whole
    keep = 1 + int(d.truncate * (len(d.body) - 1))
    return whole[: len(head) + min(keep, len(d.body) - 1)]


def deltas(raw: str, rng: random.Random) -> list[str]:
    """How a host splits the stream: mostly a few characters, sometimes a word, rarely a line."""
    pieces: list[str] = []
    at = 0
    while at < len(raw):
        pick = rng.random()
        size = rng.randint(1, 3) if pick < 0.5 else rng.randint(4, 10) if pick < 0.9 else 30
        pieces.append(raw[at : at + size])
        at += size
    return pieces


def _last_word(prefix: str) -> str:
    end = len(prefix.rstrip())
    start = end
    while start > 0 and is_word(prefix[start - 1]):
        start -= 1
    return prefix[start:end]


def _code(
    expected: str, ctx: Context, rng: random.Random, drawn: set[str]
) -> tuple[list[str], shapes.Code]:
    """The code shapes drawn, applied in the order of CODE_CLASSES; the names that applied."""
    cut = ctx.cut
    unit = shapes.unit_of(cut.lines)
    code = shapes.Code(lead="", body=expected)
    names: list[str] = []
    for name in CODE_CLASSES:
        if name not in drawn:
            continue
        if name == "echo_prefix" and "echo_prev" in names:
            continue
        if name == "backticks" and "fence" in drawn:
            continue
        if name in ("indent_shift", "tabs_spaces"):
            applied = getattr(shapes, name)(code, cut, rng, unit)
        else:
            applied = getattr(shapes, name)(code, cut, rng)
        if applied:
            names.append(name)
    return names, code


@dataclass(frozen=True)
class Composer:
    """Draws each class with its rate and builds the draft of one sample."""

    rates: tuple[tuple[str, float], ...] = RATES

    def __call__(self, expected: str, ctx: Context, rng: random.Random) -> tuple[list[str], Draft]:
        local = random.Random(f"{SALT}:{rng.getrandbits(64)}")
        drawn = {name for name, rate in self.rates if local.random() < rate}
        names, code = _code(expected, ctx, local, drawn)
        cut = ctx.cut
        parts: dict[str, object] = {"tag": local.random() < 0.8}
        if "lead_token" in drawn:
            parts["token"] = local.choice(words.LEAD_TOKENS)
            names.append("lead_token")
        if "think" in drawn:
            token = _last_word(cut.lines[cut.line][: cut.character])
            body = words.thought(local, token)
            parts["think"] = "<think>" + body + "</think>" + local.choice(words.THINK_GAPS)
            names.append("think")
        if "prose" in drawn:
            names.append("prose")
            where = local.random()
            if where < 0.65:
                parts["before"] = local.choice(words.PROSE_BEFORE) + local.choice(
                    words.PROSE_GAPS_BEFORE
                )
                parts["before_in_tag"] = local.random() < 0.5
            if where > 0.45:
                parts["after"] = local.choice(words.PROSE_GAPS_AFTER) + local.choice(
                    words.PROSE_AFTER
                )
        if "tag_echo" in drawn:
            names.append("tag_echo")
            parts["tag"] = True
            lines = code.body.split("\n")
            if len(lines) > 2 and local.random() < 0.5:
                at = local.randrange(2 if lines[0] == "" else 1, len(lines))
                lines[at] = words.TAG + lines[at]
                code.body = "\n".join(lines)
            else:
                parts["tag_again"] = True
        if "fence" in drawn:
            names.append("fence")
            parts["fence_open"] = "```" + words.fence_name(cut.language, local) + "\n"
            parts["fence_close"] = "\n```" + ("\n" if local.random() < 0.3 else "")
            if cut.kind == "block" and code.body.startswith("\n") and local.random() < 0.7:
                code.body = code.body[1:]
        if "junk" in drawn:
            names.append("junk")
            parts["junk"] = local.choice(words.JUNK_GAPS) + local.choice(words.JUNK)
        if "truncate" in drawn and len(code.body.strip()) >= 2:
            names.append("truncate")
            parts["truncate"] = local.random()
            parts["finish"] = "length"
        draft = Draft(body=code.body, lead=code.lead, tail=code.tail, **parts)  # type: ignore[arg-type]
        return names, draft


class Fresh4Family(Family):
    """`Family` with this family's own streaming (how a host splits the stream)."""

    def deltas(self, raw: str, rng: random.Random) -> list[str]:
        return deltas(raw, rng)


FRESH4 = Fresh4Family(NO_POOLS, Composer(), render)  # type: ignore[arg-type]
"""The family as run.py plugs it in."""
