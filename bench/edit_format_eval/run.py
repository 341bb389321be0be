"""Cases built from real files of every language and judged strictly: `exact` (the result is
the intended text), `refused` (nothing applied, a reason given) or `wrong` (anything else)."""

from __future__ import annotations

import random
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace

from ghost_eval import corpus
from glm_lsp.chat.edit_blocks import EditBlock, EditResult, apply_edits, parse_edit_arguments

from .cases import (
    KINDS,
    Block,
    Change,
    apply_change,
    bare_block,
    clean_block,
    make_change,
    occurrences,
)
from .drift import DRIFTS, Sent
from .families import Family


@dataclass(frozen=True)
class Case:
    """One evaluation case: the file as the engine sees it, the model's blocks, the intent."""

    language: str
    label: str
    drift: str
    kind: str
    text: str
    intended: str
    edits: tuple[EditBlock, ...]


@dataclass(frozen=True)
class Outcome:
    case: Case
    verdict: str
    result: EditResult


def sources(language: str, family: Family, wanted: int) -> list[tuple[str, list[str]]]:
    """Up to `wanted` usable files of `language` from the family's half, in a seeded order."""
    try:
        listed = corpus.files(language)
    except FileNotFoundError:  # a file vanished during the walk (an npm install): walk again
        corpus.files.cache_clear()
        corpus._by_suffix.cache_clear()
        listed = corpus.files(language)
    files = [f for f in listed if zlib.crc32(f.label.encode()) % 2 == family.half]
    random.Random(f"{family.seed}:{language}").shuffle(files)
    found: list[tuple[str, list[str]]] = []
    for source in files:
        lines = corpus.usable(source.read(), language)
        if lines is not None and len(lines) >= 30:
            found.append((source.label, lines))
        if len(found) >= wanted:
            break
    return found


def _one(
    lines: list[str], kind: str, rng: random.Random, family: Family, at: int
) -> tuple[Change, Block] | None:
    change = make_change(lines, kind, rng, at)
    if change is None:
        return None
    block = clean_block(lines, change, rng.choice(family.context), rng.choice(family.context))
    return (change, block) if block else None


def _short(lines: list[str], rng: random.Random) -> tuple[Change, Block] | None:
    keys = [line.strip() for line in lines]
    repeated = [i for i, k in enumerate(keys) if len(k) >= 3 and keys.count(k) >= 2]
    if not repeated:
        return None
    i = rng.choice(repeated[:200])
    change = Change(i, i + 1, (lines[i] + " " + "/* changed */",))
    block = bare_block(lines, change)
    return (change, block) if occurrences(lines, list(block.search)) >= 2 else None


def _wrong_line(lines: list[str], block: Block, rng: random.Random) -> Block | None:
    rows = [i for i, s in enumerate(block.search) if s.strip()]
    others = [
        ln for ln in lines if ln.strip() and ln.strip() not in {s.strip() for s in block.search}
    ]
    if len(rows) < 2 or not others:
        return None
    i = rng.choice(rows)
    search = (*block.search[:i], rng.choice(others), *block.search[i + 1 :])
    return replace(block, search=search)


def _changes(
    lines: list[str], drift: str, kind: str, rng: random.Random, family: Family
) -> list[tuple[Change, Block]] | None:
    if drift == "short-anchor":
        one = _short(lines, rng)
        return [one] if one else None
    if drift == "out-of-order":
        first = _one(lines, kind, rng, family, rng.randrange(len(lines) // 2))
        if first is None:
            return None
        second = _one(lines, rng.choice(KINDS), rng, family, first[1].end + 2)
        if second is None or second[1].start <= first[1].end:
            return None
        return [first, second]
    one = _one(lines, kind, rng, family, rng.randrange(len(lines)))
    return [one] if one else None


def build(
    lines: list[str], drift: str, kind: str, rng: random.Random, family: Family, language: str
) -> tuple[Sent, list[str]] | None:
    """The blocks the model sends for a fresh change, and the intended lines."""
    changes = _changes(lines, drift, kind, rng, family)
    if not changes:
        return None
    intended = list(lines)
    for change, _ in sorted(changes, key=lambda c: -c[0].start):
        intended = apply_change(intended, change)
    sent: Sent | None = Sent(tuple(block for _, block in changes))
    if drift == "wrong-line":
        wrong = _wrong_line(lines, changes[0][1], rng)
        sent = Sent((wrong,)) if wrong else None
    elif sent is not None:
        sent = DRIFTS[drift](sent, rng, family, language)
    return (sent, intended) if sent else None


def _case(
    label: str, language: str, lines: list[str], drift: str, index: int, family: Family
) -> Case | None:
    kind = KINDS[index % len(KINDS)]
    for attempt in range(6):
        rng = random.Random(f"{family.seed}:{label}:{drift}:{index}:{attempt}")
        built = build(lines, drift, kind, rng, family, language)
        if built is None:
            continue
        sent, intended = built
        e = sent.block_eol
        if sent.markers:
            edits = parse_edit_arguments({"path": label, "blocks": _conflict_text(sent, rng)})
        else:
            edits = [
                EditBlock(e.join(b.search) + e, e.join(b.replace) + e if b.replace else "")
                for b in sent.blocks
            ]
        text = sent.file_eol.join(lines)
        return Case(language, label, drift, kind, text, sent.file_eol.join(intended), tuple(edits))
    return None


def _conflict_text(sent: Sent, rng: random.Random) -> str:
    """The blocks as Aider/Cline SEARCH/REPLACE text, the way a model writes it in prose."""
    fence = rng.choice(("```", "```diff", ""))
    out = ["Here is the change:", ""]
    for block in sent.blocks:
        body = ["<<<<<<< SEARCH", *block.search, "=======", *block.replace, ">>>>>>> REPLACE"]
        out += [fence, *body, fence, ""] if fence else [*body, ""]
    return "\n".join(out)


def cases(language: str, family: Family, per_drift: int, drifts: tuple[str, ...]) -> Iterator[Case]:
    """`per_drift` cases of each drift class, each from its own file where there are enough."""
    files = sources(language, family, per_drift * 2)
    if not files:
        return
    for drift in drifts:
        made = 0
        for index in range(per_drift * 3):
            if made >= per_drift:
                break
            label, lines = files[index % len(files)]
            case = _case(label, language, lines, drift, index, family)
            if case is not None:
                made += 1
                yield case


def judge(case: Case) -> Outcome:
    """Apply the case's blocks and judge the result strictly."""
    result = apply_edits(case.text, case.edits)
    if not result.applied:
        verdict = "refused"
    elif result.text == case.intended:
        verdict = "exact"
    else:
        verdict = "wrong"
    return Outcome(case, verdict, result)
