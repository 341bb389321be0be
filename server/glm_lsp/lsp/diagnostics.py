"""The editor's diagnostics: remembered from code action requests, and asked for by chat.

Other servers' diagnostics reach us through ``textDocument/codeAction``; ``GLM: Fix`` and chat's
``#diagnostics`` use the last ones seen (``RememberedDiagnostics``; a document's entry goes when
it closes). Chat's ``get_diagnostics`` tool asks the editor for the current ones with the
``glm/diagnostics`` request when the client advertised ``experimental.glmDiagnostics``
(``ask_editor``): a bounded wait, and a client error or time-out is reported (with the
remembered ones instead), never a hung turn. After the turn wrote a file (``chat.autoApply``)
the request waits until the editor has reported the new version, then a short settle, so the
language servers have looked at the new text.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from glm_lsp.chat.diagnostics_tool import EditorDiagnostics

__all__ = ["RememberedDiagnostics", "ask_editor", "plain", "supports_request"]

log = logging.getLogger(__name__)

REQUEST = "glm/diagnostics"
CAPABILITY = "glmDiagnostics"
ANSWER_TIMEOUT = 5.0
"""Seconds the editor has to answer ``glm/diagnostics``."""
VERSION_WAIT = 2.0
"""Seconds to wait for the editor to report a written file's new version."""
SETTLE = 0.5
"""Seconds given to the editor's language servers after a written file's new version."""


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

    def all_of(self, uri: str) -> list[dict[str, Any]]:
        """Every diagnostic last reported for ``uri``."""
        return list(self._by_uri.get(uri, []))

    def forget(self, uri: str) -> None:
        """Drop what was remembered for ``uri`` (the document closed)."""
        self._by_uri.pop(uri, None)

    def clear(self) -> None:
        """Drop everything (shutdown)."""
        self._by_uri.clear()

    def __len__(self) -> int:
        return len(self._by_uri)


def supports_request(experimental: Any) -> bool:
    """Whether the client's ``capabilities.experimental`` advertises ``glmDiagnostics``."""
    value = plain(experimental)
    return isinstance(value, dict) and value.get(CAPABILITY) is True


def plain(value: Any) -> Any:
    """``value`` as plain JSON (pygls may hand back objects for an unknown method's answer)."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)) and not hasattr(value, "_asdict"):
        return [plain(v) for v in value]
    if hasattr(value, "_asdict"):
        return plain(value._asdict())
    if hasattr(value, "__dict__") and not isinstance(value, (str, int, float, bool)):
        return {k: plain(v) for k, v in vars(value).items() if not k.startswith("_")}
    return value


async def settle(
    written: Mapping[str, int | None],
    version_of: Callable[[str], int | None],
    *,
    wait: float = VERSION_WAIT,
    delay: float = SETTLE,
) -> None:
    """Wait (bounded) until the editor reported a version after each written file's version
    before the write, then ``delay`` more for its language servers."""
    if not written:
        return
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    for path, before in written.items():
        while before is not None and version_of(path) in (before, None):
            if loop.time() >= deadline:
                break
            await asyncio.sleep(0.02)
    await asyncio.sleep(delay)


async def ask_editor(
    send: Callable[[dict[str, Any]], Any] | None,
    uris: Mapping[str, str],
    remembered: RememberedDiagnostics,
    applied: Iterable[str] = (),
    timeout: float = ANSWER_TIMEOUT,
) -> EditorDiagnostics:
    """The editor's diagnostics of ``uris`` (path -> the editor's URI): asked with ``send``
    (None: the client cannot be asked), else the remembered ones with the reason."""
    done = frozenset(applied)

    def remembered_ones(problem: str) -> EditorDiagnostics:
        found = {path: remembered.all_of(uri) for path, uri in uris.items()}
        return EditorDiagnostics(found, "remembered", problem, done)

    if send is None:
        return remembered_ones(
            "the editor does not support glm/diagnostics (capabilities.experimental.glmDiagnostics)"
        )
    try:
        answer = await asyncio.wait_for(send({"uris": list(uris.values())}), timeout)
    except asyncio.TimeoutError:
        return remembered_ones(f"it did not answer glm/diagnostics within {timeout:g} s")
    except Exception as exc:  # noqa: BLE001 - the client's error is reported to the model
        log.info("glm/diagnostics failed: %s", exc)
        return remembered_ones(f"it answered glm/diagnostics with an error ({exc})")
    return EditorDiagnostics(_by_path(plain(answer), uris), "editor", None, done)


def _by_path(answer: Any, uris: Mapping[str, str]) -> dict[str, Sequence[Mapping[str, Any]]]:
    """The answer's ``items`` by path (entries for URIs not asked about are ignored)."""
    paths = {uri: path for path, uri in uris.items()}
    items = answer.get("items") if isinstance(answer, dict) else None
    out: dict[str, Sequence[Mapping[str, Any]]] = {path: [] for path in uris}
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict) or item.get("uri") not in paths:
            continue
        diags = item.get("diagnostics")
        if isinstance(diags, list):
            out[paths[item["uri"]]] = [d for d in diags if isinstance(d, dict)]
    return out
