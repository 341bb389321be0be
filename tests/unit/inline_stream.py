"""What the editor would show for a raw model stream at a cursor: the whole inline pipeline
(analysis, stream stop fed five characters at a time, then the filters), shared by the shape
tests."""

from __future__ import annotations

from glm_lsp.inline import StreamStop, analyze, postprocess


def shown(  # noqa: PLR0913 - the document, the cursor, the answer and the delta size
    lines: list[str], line: int, character: int, language: str, raw: str, piece: int = 5
) -> str | None:
    """The suggestion shown for `raw` streamed `piece` characters at a time at (line, character)
    of `lines`, host reason stop."""
    hole = analyze(lines, line, character, language=language)
    stop = StreamStop(hole)
    for start in range(0, len(raw), piece):
        if stop.feed(raw[start : start + piece]):
            break
    return postprocess(stop.finish("stop"), hole)
