"""The diagnostics the editor last sent with a code action request, per open document.

Other servers' diagnostics reach us only through ``textDocument/codeAction``; ``GLM: Fix``
and chat's ``#diagnostics`` use the last ones seen. A document's entry goes when it closes.
"""

from __future__ import annotations

from typing import Any

__all__ = ["RememberedDiagnostics"]


class RememberedDiagnostics:
    """Diagnostics (as JSON objects, client positions) by document URI."""

    def __init__(self) -> None:
        self._by_uri: dict[str, list[dict[str, Any]]] = {}

    def remember(self, uri: str, diagnostics: list[dict[str, Any]]) -> None:
        """Keep ``diagnostics`` as the ones the editor last reported for ``uri``."""
        self._by_uri[uri] = diagnostics

    def touching(self, uri: str, first_line: int, last_line: int) -> list[dict[str, Any]]:
        """Diagnostics last reported for ``uri`` that touch lines first..last."""
        found: list[dict[str, Any]] = []
        for diag in self._by_uri.get(uri, []):
            span = diag.get("range", {})
            start = span.get("start", {}).get("line", -1)
            end = span.get("end", {}).get("line", -1)
            if start <= last_line and end >= first_line:
                found.append(diag)
        return found

    def forget(self, uri: str) -> None:
        """Drop what was remembered for ``uri`` (the document closed)."""
        self._by_uri.pop(uri, None)

    def clear(self) -> None:
        """Drop everything (shutdown)."""
        self._by_uri.clear()

    def __len__(self) -> int:
        return len(self._by_uri)
