"""Fixtures for the end-to-end suite (see ``harness.py``)."""

from tests.e2e.harness import start_server

__all__ = ["start_server"]
