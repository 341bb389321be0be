"""Fixtures for the context engine tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from glm_lsp.context import ContextEngine


@pytest.fixture
def engine() -> Iterator[ContextEngine]:
    eng = ContextEngine()
    yield eng
    eng.close()
