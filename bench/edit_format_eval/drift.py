"""The drift classes: how a model's blocks differ from the clean ones, and what the strict
judge expects (`apply`: the intended text; `refuse`: nothing applied)."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace

from glm_lsp.chat.edit_match import is_elision

from .cases import Block, lead
from .families import Family, comments

CLASSES = (
    "clean",
    "indent",
    "trailing",
    "tabs",
    "crlf",
    "elided",
    "out-of-order",
    "mixed",
    "blank-edges",
    "markers",
    "short-anchor",
    "typo",
    "wrong-line",
    "elided-typo",
)
REFUSED = frozenset({"short-anchor", "typo", "wrong-line", "elided-typo"})


@dataclass(frozen=True)
class Sent:
    """The blocks as the model sends them and the line ending of the file and of the blocks."""

    blocks: tuple[Block, ...]
    file_eol: str = "\n"
    block_eol: str = "\n"
    markers: bool = False
    """Sent as `<<<<<<< SEARCH` text rather than a JSON list."""


Drift = Callable[[Sent, random.Random, Family, str], Sent | None]


def _each(block: Block, fix: Callable[[str], str]) -> Block:
    return replace(
        block,
        search=tuple(fix(s) for s in block.search),
        replace=tuple(fix(r) for r in block.replace),
    )


def _indent(sent: Sent, rng: random.Random, family: Family, language: str) -> Sent | None:
    shift = rng.choice(family.shifts)
    out = []
    for block in sent.blocks:
        rows = [r for r in block.search + block.replace if r.strip()]
        common = min((len(lead(r)) for r in rows), default=0)
        if shift > 0:
            out.append(_each(block, lambda s: " " * shift + s if s.strip() else s))
            continue
        cut = common if shift == -99 else -shift
        if cut == 0 or cut > common or any("\t" in lead(r)[:cut] for r in rows):
            return None
        out.append(_each(block, lambda s, cut=cut: s[cut:] if s.strip() else s))
    return replace(sent, blocks=tuple(out))


def _trailing(sent: Sent, rng: random.Random, family: Family, language: str) -> Sent:
    def pad(s: str) -> str:
        return s + rng.choice(family.trailing) if rng.random() < 0.5 else s

    return replace(sent, blocks=tuple(_each(b, pad) for b in sent.blocks))


def _tabs(sent: Sent, rng: random.Random, family: Family, language: str) -> Sent | None:
    rows = [r for b in sent.blocks for r in b.search if r.strip()]
    if any("\t" in lead(r) for r in rows):

        def to_spaces(s: str) -> str:
            return lead(s).expandtabs(4) + s[len(lead(s)) :]

        return replace(sent, blocks=tuple(_each(b, to_spaces) for b in sent.blocks))
    if not any(len(lead(r)) >= 4 for r in rows):
        return None

    def to_tabs(s: str) -> str:
        ws = lead(s)
        return "\t" * (len(ws) // 4) + " " * (len(ws) % 4) + s[len(ws) :]

    return replace(sent, blocks=tuple(_each(b, to_tabs) for b in sent.blocks))


def _crlf(sent: Sent, rng: random.Random, family: Family, language: str) -> Sent:
    if rng.random() < 0.5:
        return replace(sent, file_eol="\r\n")
    return replace(sent, block_eol="\r\n")


def _elided(sent: Sent, rng: random.Random, family: Family, language: str) -> Sent | None:
    """Middle lines the change leaves alone become a marker (in the replacement too, or not)."""
    block = sent.blocks[0]
    same = 0
    while same < min(len(block.search), len(block.replace)) and (
        block.search[same] == block.replace[same]
    ):
        same += 1
    head = rng.choice((1, 2))
    if same - head < 2:
        return None
    line, o, e = comments(language)
    marker = rng.choice(family.markers).format(c=line, o=o, e=e).strip()
    marker = lead(block.search[head]) + marker
    search = (*block.search[:head], marker, *block.search[same:])
    if rng.choice(family.elide_replace):
        new = (*block.replace[:head], marker, *block.replace[same:])
    else:
        new = block.replace
    return replace(sent, blocks=(replace(block, search=search, replace=new), *sent.blocks[1:]))


def _reverse(sent: Sent, rng: random.Random, family: Family, language: str) -> Sent | None:
    return replace(sent, blocks=sent.blocks[::-1]) if len(sent.blocks) > 1 else None


def _mixed(sent: Sent, rng: random.Random, family: Family, language: str) -> Sent | None:
    shifted = _indent(sent, rng, family, language)
    return (
        _crlf(_trailing(shifted, rng, family, language), rng, family, language) if shifted else None
    )


def _typo(sent: Sent, rng: random.Random, family: Family, language: str) -> Sent | None:
    block = sent.blocks[0]
    rows = [i for i, s in enumerate(block.search) if sum(c.isalnum() for c in s) >= 3]
    if not rows:
        return None
    i = rng.choice(rows)
    spots = [k for k, c in enumerate(block.search[i]) if c.isalnum()]
    k = rng.choice(spots)
    old = block.search[i][k]
    new_char = "x" if old != "x" else "q"
    row = block.search[i][:k] + new_char + block.search[i][k + 1 :]
    search = (*block.search[:i], row, *block.search[i + 1 :])
    return replace(sent, blocks=(replace(block, search=search), *sent.blocks[1:]))


def _blank_edges(sent: Sent, rng: random.Random, family: Family, language: str) -> Sent:
    """Blank lines around search and replacement that the file does not have there."""
    pad = ("",) * rng.choice((1, 2))
    out = tuple(
        replace(b, search=pad + b.search + pad, replace=pad + b.replace + pad) for b in sent.blocks
    )
    return replace(sent, blocks=out)


def _markers(sent: Sent, rng: random.Random, family: Family, language: str) -> Sent | None:
    shifted = _trailing(sent, rng, family, language)
    return replace(shifted, markers=True)


def _elided_typo(sent: Sent, rng: random.Random, family: Family, language: str) -> Sent | None:
    """An elided search whose last quoted part has one wrong character."""
    elided = _elided(sent, rng, family, language)
    if elided is None:
        return None
    block = elided.blocks[0]
    marked = [i for i, s in enumerate(block.search) if is_elision(s)]
    if not marked:
        return None
    cut = marked[-1]
    rest = replace(block, search=block.search[cut + 1 :])
    broken = _typo(replace(elided, blocks=(rest,)), rng, family, language)
    if broken is None:
        return None
    search = block.search[: cut + 1] + broken.blocks[0].search
    return replace(elided, blocks=(replace(block, search=search),))


def _wrong_line(sent: Sent, rng: random.Random, family: Family, language: str) -> Sent | None:
    """One search line is another line of the file (the model misremembered it)."""
    return None  # built in run.py, which knows the file's lines


DRIFTS: dict[str, Drift] = {
    "clean": lambda s, r, f, lang: s,
    "indent": _indent,
    "trailing": _trailing,
    "tabs": _tabs,
    "crlf": _crlf,
    "elided": _elided,
    "out-of-order": _reverse,
    "mixed": _mixed,
    "short-anchor": lambda s, r, f, lang: s,
    "typo": _typo,
    "blank-edges": _blank_edges,
    "markers": _markers,
    "elided-typo": _elided_typo,
}
