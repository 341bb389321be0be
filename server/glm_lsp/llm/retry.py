"""The time and retry budget of one request, and what its tokens cost.

``first_byte_timeout`` is one budget for the whole "nothing arrived yet" phase, tries and
backoffs included; once an event has reached the consumer only ``chunk_gap_timeout`` applies
and nothing is retried. A retry waits for the host's ``Retry-After`` (capped) or an exponential
backoff with up to 25% jitter, and is not made when it could not start within the budget.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

import attrs

from glm_lsp.errors import ApiError, UpstreamError
from glm_lsp.llm.config import ClientConfig
from glm_lsp.llm.providers import ProviderPreset
from glm_lsp.llm.wire import ChatRequest

__all__ = ["TryBudget", "pricer"]


@attrs.define
class TryBudget:
    """Deadlines and retries left for one request (all its tries)."""

    deadline: float
    """``time.monotonic()`` by which the first event must reach the consumer."""
    gap: float
    """Seconds allowed between two events."""
    retries: int
    delivered: bool = False
    """An event reached the consumer: no more retries, only the gap applies."""

    @classmethod
    def start(cls, request: ChatRequest, cfg: ClientConfig) -> TryBudget:
        """The budget of ``request`` from now (its own overrides win over ``cfg``)."""
        retries = cfg.max_retries if request.max_retries is None else request.max_retries
        gap = request.chunk_gap_timeout or cfg.chunk_gap_timeout
        deadline = time.monotonic() + (request.first_byte_timeout or cfg.first_byte_timeout)
        return cls(deadline, gap, retries)

    def next_timeout(self) -> float:
        """Seconds to wait for the next event."""
        return self.gap if self.delivered else min(self.gap, self.deadline - time.monotonic())

    def may_retry(self, err: UpstreamError, attempts: int) -> bool:
        """Whether ``err`` on try number ``attempts`` may be retried at all."""
        return not self.delivered and err.retryable and attempts <= self.retries

    def retry_delay(self, cfg: ClientConfig, attempts: int, err: UpstreamError) -> float | None:
        """Seconds to wait before the next try; None when it could not start within the budget."""
        delay = backoff(cfg, attempts, err)
        return None if time.monotonic() + delay >= self.deadline else delay


def backoff(cfg: ClientConfig, attempt: int, err: UpstreamError) -> float:
    """The host's ``Retry-After`` (capped), else exponential backoff with jitter."""
    if isinstance(err, ApiError) and err.retry_after is not None:
        return min(err.retry_after, cfg.max_retry_after)
    delay = min(cfg.backoff_base * 2.0 ** (attempt - 1), cfg.backoff_max)
    return delay * (1 - 0.25 * random.random())


def pricer(preset: ProviderPreset, model: str) -> Callable[[int, int, int], float | None]:
    """Cost in US dollars of (prompt, cached, completion) tokens; None when the price is unknown."""
    price = preset.price(model)

    def cost(prompt: int, cached: int, completion: int) -> float | None:
        return None if price is None else price.cost(prompt, cached, completion)

    return cost
