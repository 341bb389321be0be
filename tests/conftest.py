"""Root fixtures: the loopback GLM endpoint every suite talks to instead of a real host."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.glm_endpoint import GlmEndpoint

BENCH = Path(__file__).resolve().parents[1] / "bench"
"""The benchmarks' folder: the evaluation tests import its packages (ghost_eval, next_edit_eval)."""
if str(BENCH) not in sys.path:
    sys.path.append(str(BENCH))  # appended: bench/secrets.py must not shadow the stdlib secrets


@pytest.fixture
def glm_endpoint() -> Iterator[GlmEndpoint]:
    """A fresh loopback endpoint on 127.0.0.1 (port 0); ``glm_endpoint.url`` is the base URL."""
    endpoint = GlmEndpoint().start()
    try:
        yield endpoint
    finally:
        endpoint.stop()
