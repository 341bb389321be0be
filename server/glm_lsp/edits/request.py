"""The file window shown around an edit's range (the commands' arguments are read by
``glm_lsp.lsp.arguments``)."""

from __future__ import annotations

__all__ = ["local_window"]


def local_window(
    text: str, start: int, end: int, *, before: int = 80, after: int = 40, max_chars: int = 12000
) -> tuple[str, str]:
    """Up to ``before`` lines above the range and ``after`` below, within ``max_chars`` each."""
    prefix_start = start
    for _ in range(before):
        found = text.rfind("\n", 0, max(prefix_start - 1, 0))
        if found < 0 or prefix_start <= 0:
            prefix_start = 0
            break
        prefix_start = found + 1
    prefix_start = max(prefix_start, start - max_chars)
    suffix_end = end
    for _ in range(after):
        found = text.find("\n", suffix_end)
        if found < 0:
            suffix_end = len(text)
            break
        suffix_end = found + 1
    suffix_end = min(suffix_end, end + max_chars)
    return text[prefix_start:start], text[end:suffix_end]
