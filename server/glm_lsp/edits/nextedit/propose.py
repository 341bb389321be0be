"""From the model's answer to the smallest edits worth suggesting (pure, no I/O).

``propose`` reads the answer the way models write it (``<rewrite>`` tags, markdown fences, a
``<think>`` block, a sentence around the code, the cursor mark echoed, lines from outside the
region echoed, the indentation shifted), diffs it against the region line by line and then
character by character, and keeps only edits that pass the guards:

* no-op: the answer equals the region (nothing to suggest);
* outside the region: an edit that starts or ends outside the region's lines is dropped;
* undo: an edit that only reverts the user's last edit (the newest hunk) is dropped;
* junk: an empty answer for a non-empty region, or one that rewrites most of the region, is
  dropped whole (a model that lost track, not a next edit).
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from glm_lsp.edits.nextedit.history import Hunk
from glm_lsp.edits.nextedit.region import Region

__all__ = ["Proposed", "propose"]


@attrs.frozen
class Proposed:
    """Replace document text from (start_line, start_char) to (end_line, end_char) by
    ``text``; columns in code points, positions valid in the document the region came from."""

    start_line: int
    start_char: int
    end_line: int
    end_char: int
    text: str


def propose(
    lines: Sequence[str],
    region: Region,
    answer_text: str,
    history_hunks: Sequence[Hunk],
    cursor_line: int,
    cursor_char: int,
) -> list[Proposed]:
    """The edits the answer suggests, in document order, each minimal; [] when none is worth it.

    ``lines`` is the whole document (with or without line breaks) the region was cut from;
    ``answer_text`` the model's whole answer; ``history_hunks`` oldest first.
    """
    raise NotImplementedError
