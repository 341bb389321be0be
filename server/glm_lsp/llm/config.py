"""What a GlmClient is configured with: host, key, preset, timeouts, retries, concurrency."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from glm_lsp import __version__
from glm_lsp.llm.providers import ProviderPreset

if TYPE_CHECKING:
    from glm_lsp.settings import Settings

__all__ = ["ClientConfig", "client_config_for"]


@attrs.frozen
class ClientConfig:
    """Everything the client needs; replace it whole with ``GlmClient.update_config``."""

    base_url: str
    """The client POSTs ``{base_url}/chat/completions``."""
    api_key: str = attrs.field(repr=False)
    """Sent as ``Authorization: Bearer``; never in repr or logs. Empty only for ``custom``."""
    preset: ProviderPreset
    connect_timeout: float = 5.0
    first_byte_timeout: float = 30.0
    """Seconds from the first try until an event reaches the consumer, retries included."""
    chunk_gap_timeout: float = 30.0
    """Seconds allowed between two SSE events."""
    max_retries: int = 2
    """Retries after the first try, for retryable errors before the first event only."""
    max_concurrency: int = 4
    """Requests upstream at once; more wait (queue) for a slot."""
    user_agent: str = f"glm-lsp/{__version__}"
    backoff_base: float = 0.5
    """First backoff in seconds; doubles per retry, with up to 25% jitter."""
    backoff_max: float = 8.0
    max_retry_after: float = 10.0
    """Cap on a host's ``Retry-After``."""


def client_config_for(settings: Settings, **overrides: Any) -> ClientConfig:
    """The client configuration for ``settings``; ``overrides`` set other ClientConfig fields."""
    config = ClientConfig(
        base_url=settings.effective_base_url,
        api_key=settings.api_key or "",
        preset=settings.preset,
    )
    return attrs.evolve(config, **overrides) if overrides else config
