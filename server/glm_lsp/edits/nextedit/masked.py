"""What the next-edit prompt shows of a document: secrets masked, and which lines they were on."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import attrs

from glm_lsp.edits.nextedit.history import Hunk
from glm_lsp.edits.nextedit.prompt import ABOVE_LINES, BELOW_LINES
from glm_lsp.edits.nextedit.propose import Proposed
from glm_lsp.edits.nextedit.region import Region, plain

__all__ = ["Masked"]


@attrs.frozen
class Masked:
    """What the prompt shows: the region, the lines around it and the hunks, secrets masked."""

    region: Region
    lines: Sequence[str]
    hunks: Sequence[Hunk]
    secret_lines: frozenset[int]
    """Region lines that redaction changed: no edit may touch them."""

    @classmethod
    def of(
        cls,
        uri: str,
        doc: Sequence[str],
        region: Region,
        hunks: Sequence[Hunk],
        redact: Callable[[str, int, str], str],
    ) -> Masked:
        """Mask the lines the prompt shows (``redact(uri, first_line, text)``) and the hunks."""
        first = max(0, region.start_line - ABOVE_LINES)
        last = min(len(doc), region.end_line + BELOW_LINES)
        window = [plain(doc[i]) for i in range(first, last)]
        masked = redact(uri, first, "\n".join(window)).split("\n")
        if len(masked) != len(window):
            masked = ["" for _ in window]  # a redaction that moved lines: show none of them
        lines: list[str] = [""] * len(doc)
        lines[first:last] = masked
        secret = frozenset(
            i for i in range(region.start_line, region.end_line) if lines[i] != window[i - first]
        )
        shown = Region(
            region.start_line, region.end_line, tuple(lines[region.start_line : region.end_line])
        )
        masked_hunks = [
            attrs.evolve(
                h,
                old_text=redact(uri, h.start_line, h.old_text),
                new_text=redact(uri, h.start_line, h.new_text),
            )
            for h in hunks
        ]
        return cls(shown, lines, masked_hunks, secret)

    def touches_secret(self, edit: Proposed) -> bool:
        """The edit starts, ends or spans a line whose text was masked in the prompt."""
        return any(edit.start_line <= line <= edit.end_line for line in self.secret_lines)
