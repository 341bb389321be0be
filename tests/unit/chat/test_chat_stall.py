"""A chat turn against a stalled host: the user is told once, within one budget."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from tests.glm_endpoint import GlmEndpoint
from tests.glm_replies import Reply, Stall
from tests.unit.chat.test_chat_service import Recorder, service, setup

from glm_lsp.chat import ChatService, ChatWorkspace, SendRequest
from glm_lsp.llm import PRESETS, ClientConfig, GlmClient

__all__ = ["service"]


@pytest.fixture
async def patient_client(glm_endpoint: GlmEndpoint) -> AsyncIterator[GlmClient]:
    """Two retries (as in production) and a first-event budget of 0.3 s (30 s in production)."""
    config = ClientConfig(
        glm_endpoint.url,
        "",
        PRESETS["custom"],
        first_byte_timeout=0.3,
        chunk_gap_timeout=60.0,
        max_retries=2,
        backoff_base=0.001,
    )
    glm = GlmClient(config)
    yield glm
    await glm.aclose()


async def test_stalled_host_ends_the_turn_with_one_error_and_one_request(
    service: tuple[ChatService, Recorder],
    patient_client: GlmClient,
    ws: ChatWorkspace,
    glm_endpoint: GlmEndpoint,
) -> None:
    """Ensure a host that sends headers and then nothing ends the turn with an error done
    saying it did not start answering, after one request (a retry would start past the
    budget), instead of one wait per try."""
    svc, rec = service
    glm_endpoint.default = Reply([Stall(30)])
    started = svc.send(SendRequest("hello?"), setup(patient_client, ws))
    done = await rec.done(started["turnId"])
    assert done["finishReason"] == "error"
    assert "did not start answering" in done["error"]
    assert len(glm_endpoint.requests) == 1
    assert len(rec.of(started["turnId"], "glm/chat/done")) == 1
