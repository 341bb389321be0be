"""Commands that report on the server itself: ``glm.status``."""

from __future__ import annotations

from typing import Any

from glm_lsp.keyguard import mask_secrets
from glm_lsp.lsp.server import GlmLanguageServer


def _camel_keys(counters: dict[str, int]) -> dict[str, int]:
    out: dict[str, int] = {}
    for name, value in counters.items():
        head, *rest = name.split("_")
        out[head + "".join(part.title() for part in rest)] = value
    return out


def _next_edit_report(server: GlmLanguageServer) -> dict[str, int] | None:
    """The next-edit counters; ``shown`` = edits sent to the editor (handed out, not stale)."""
    engine = server.next_edit
    if engine is None:
        return None
    counters = _camel_keys(engine.stats())
    counters["shown"] = counters.get("suggested", 0) - counters.get("stale", 0)
    return counters


def status_report(server: GlmLanguageServer) -> dict[str, Any]:
    """The ``glm.status`` result (protocol §4); never contains the key (nor a credential in
    the base URL)."""
    settings = server.settings
    usage = server.usage_totals()
    session = server.inline
    return {
        "provider": settings.provider,
        "model": settings.model,
        "inlineModel": settings.inline_model,
        "baseUrl": mask_secrets(settings.effective_base_url),
        "keyPresent": bool(settings.api_key),
        "keyMissing": server.key_missing(),
        "state": server.status.state,
        "usage": usage,
        "inline": session.stats.to_json() if session is not None else None,
        "nextEdit": _next_edit_report(server),
    }


def register(server: GlmLanguageServer) -> None:
    """Status command."""

    @server.command("glm.status")
    def glm_status(ls: GlmLanguageServer, *_: Any) -> dict[str, Any]:
        return status_report(ls)
