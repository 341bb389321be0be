"""The seed families. `dev` is what the engine was tuned against; `heldout` has its own seed,
its own half of the files, context sizes, indentation shifts, trailing whitespace and elision
markers (the engine's authors ran it only to report it)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Family:
    """The choices a family draws from; `half` picks its files (crc32(label) % 2)."""

    name: str
    seed: int
    half: int
    context: tuple[int, ...]
    shifts: tuple[int, ...]
    """Indentation added (>0) or cut (<0) on every block line; -99 writes the block flush left."""
    trailing: tuple[str, ...]
    markers: tuple[str, ...]
    """Elision lines; `{c}` is the language's line comment, `{o}`/`{e}` its block comment."""
    elide_replace: tuple[bool, ...]
    """Whether the replacement elides too (True) or is written in full (False)."""


DEV = Family(
    name="dev",
    seed=1616,
    half=0,
    context=(1, 2),
    shifts=(-99, 4),
    trailing=(" ",),
    markers=("{c} ... existing code ...", "..."),
    elide_replace=(True, False),
)

HELDOUT = Family(
    name="heldout",
    seed=6161,
    half=1,
    context=(0, 1, 3),
    shifts=(2, 8, -2),
    trailing=("  ", "\t", " \t "),
    markers=("{c} … rest of the code unchanged …", "{o} ... {e}", "{c} ..."),
    elide_replace=(True, True, False),
)

FAMILIES = {"dev": DEV, "heldout": HELDOUT}

_HASH = ("python", "shellscript", "ruby")
_DASH = ("lua",)


def comments(language: str) -> tuple[str, str, str]:
    """The line comment and block comment delimiters of `language`."""
    if language in _HASH:
        return "#", "#", ""
    if language in _DASH:
        return "--", "--[[", "]]"
    return "//", "/*", "*/"
