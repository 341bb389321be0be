"""The seed families: `dev` (dev.py, tune against it) and `heldout` (heldout.py, the headline).

Authors of `propose`'s filters read only `dev.py`; `heldout.py` has its own sentences, fence
spellings and places, shift sizes, echo sizes and labels. The corpus is split the same way: dev
runs commits whose hash starts with 0-3, held-out the others (`corpus.sample`).
"""

from __future__ import annotations

from .corruptions import Pools
from .dev import DEV
from .heldout import HELDOUT

FAMILIES: dict[str, Pools] = {"dev": DEV, "heldout": HELDOUT}
