"""Root fixtures: the loopback GLM endpoint every suite talks to instead of a real host."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.glm_endpoint import GlmEndpoint


@pytest.fixture
def glm_endpoint() -> Iterator[GlmEndpoint]:
    """A fresh loopback endpoint on 127.0.0.1 (port 0); ``glm_endpoint.url`` is the base URL."""
    endpoint = GlmEndpoint().start()
    try:
        yield endpoint
    finally:
        endpoint.stop()
