"""One usage tally: requests, tokens and estimated cost summed over many requests.

The client keeps one for the server's life (``glm.status``), a chat turn keeps one for its
requests (``glm/chat/done``); both report it through ``to_json``.
"""

from __future__ import annotations

from typing import Any

import attrs

from glm_lsp.llm.events import Usage

__all__ = ["UsageTally"]


@attrs.define
class UsageTally:
    """Requests, tokens and estimated cost over several requests."""

    requests: int = 0
    """Requests sent (retries of one request not counted)."""
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0
    reasoning_tokens: int = 0
    cost_usd: float | None = None
    """Summed over the requests whose price is known; None while none was."""
    retries: int = 0

    def add(self, usage: Usage | None) -> None:
        """Count the tokens and cost of one request (nothing when the host sent no usage)."""
        if usage is None:
            return
        self.prompt_tokens += usage.prompt_tokens
        self.completion_tokens += usage.completion_tokens
        self.cached_tokens += usage.cached_tokens
        self.reasoning_tokens += usage.reasoning_tokens
        if usage.cost_usd is not None:
            self.cost_usd = (self.cost_usd or 0.0) + usage.cost_usd

    def snapshot(self) -> UsageTally:
        """A copy that later requests do not change."""
        return attrs.evolve(self)

    def to_json(self) -> dict[str, Any]:
        """camelCase counts for the editor; ``costUsd`` (rounded to 6 places) when known."""
        out: dict[str, Any] = {
            "requests": self.requests,
            "promptTokens": self.prompt_tokens,
            "completionTokens": self.completion_tokens,
            "cachedTokens": self.cached_tokens,
            "reasoningTokens": self.reasoning_tokens,
            "retries": self.retries,
        }
        if self.cost_usd is not None:
            out["costUsd"] = round(self.cost_usd, 6)
        return out
