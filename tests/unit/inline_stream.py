"""What the editor would show for a raw model stream at a cursor: the whole inline pipeline
(analysis, stream stop fed five characters at a time, then the filters), shared by the shape
tests."""

from __future__ import annotations

from glm_lsp.inline import StreamStop, analyze, postprocess


def shown(lines: list[str], line: int, character: int, language: str, raw: str) -> str | None:
    """The suggestion shown for `raw` streamed at (line, character) of `lines`, host reason stop."""
    hole = analyze(lines, line, character, language=language)
    stop = StreamStop(hole)
    for start in range(0, len(raw), 5):
        if stop.feed(raw[start : start + 5]):
            break
    return postprocess(stop.finish("stop"), hole)
