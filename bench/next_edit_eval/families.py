"""The seed families: `dev` (dev.py, tune against it) and `heldout` (heldout.py, the headline).

Authors of `propose`'s filters read only `dev.py`; `heldout.py` has its own sentences, fence
spellings and places, shift sizes, echo sizes and labels. The corpus is split the same way: dev
runs commits whose hash starts with 0-3, held-out the others (`corpus.sample`).
"""

from __future__ import annotations

import random
from collections.abc import Callable

from . import heldout2, heldout3, heldout4
from .cases import Case
from .corruptions import Pools
from .dev import DEV
from .heldout import HELDOUT

FAMILIES: dict[str, Pools] = {"dev": DEV, "heldout": HELDOUT}
GENERATORS: dict[str, Callable[[Case, random.Random], tuple[list[str], str]]] = {
    "heldout2": heldout2.answer,
    "heldout3": heldout3.answer,
    "heldout4": heldout4.answer,
}
"""Families that build the raw answer themselves (no `Pools`): `heldout2.py`, `heldout3.py` and
`heldout4.py`, each written apart."""
PARTS: dict[str, str] = {"heldout2": "heldout", "heldout3": "heldout", "heldout4": "heldout"}
"""The corpus part a family runs on when its name is not one (`corpus.sample`)."""
