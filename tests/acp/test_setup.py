"""``glm-lsp acp`` start-up: what initialize advertises, a missing key, and the doctor line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from acp import PROTOCOL_VERSION, RequestError, text_block

from tests.acp.harness import KEY, AcpClient, agent, agent_env
from tests.glm_endpoint import GlmEndpoint
from tests.glm_replies import Reply


async def test_initialize_advertises_what_the_agent_supports(
    tmp_path: Path, glm_endpoint: GlmEndpoint
) -> None:
    """initialize answers the protocol version, loadSession, embedded context (no image or
    audio), session listing and an auth method that explains how to give the key; a new
    session offers the thinking modes and the GLM-4.6/GLM-4.7 model option."""
    async with agent(AcpClient(), agent_env(glm_endpoint, tmp_path)) as conn:
        answer = await conn.initialize(protocol_version=PROTOCOL_VERSION)
        session = await conn.new_session(cwd=str(tmp_path), mcp_servers=[])
    caps = answer.agent_capabilities
    assert answer.protocol_version == PROTOCOL_VERSION
    assert caps is not None and caps.load_session is True
    assert caps.prompt_capabilities is not None
    assert caps.prompt_capabilities.embedded_context is True
    assert not caps.prompt_capabilities.image and not caps.prompt_capabilities.audio
    assert caps.session_capabilities is not None and caps.session_capabilities.list is not None
    assert answer.auth_methods and "GLM_API_KEY" in (answer.auth_methods[0].description or "")
    assert session.modes is not None
    assert {m.id for m in session.modes.available_modes} == {"auto", "think", "fast"}
    assert session.config_options is not None
    model = session.config_options[0]
    assert [o.value for o in model.options] == ["glm-4.6", "glm-4.7"]  # type: ignore[union-attr]


async def test_missing_key_is_an_auth_error_naming_the_remedy(
    tmp_path: Path, glm_endpoint: GlmEndpoint
) -> None:
    """Without a key (provider zai) a prompt fails with ACP's auth_required error whose message
    names GLM_API_KEY, nothing is sent upstream, and the agent keeps serving."""
    env = agent_env(glm_endpoint, tmp_path)
    env.pop("GLM_API_KEY")
    env["GLM_PROVIDER"] = "zai"
    async with agent(AcpClient(), env) as conn:
        session = await conn.new_session(cwd=str(tmp_path), mcp_servers=[])
        with pytest.raises(RequestError) as caught:
            await conn.prompt(session_id=session.session_id, prompt=[text_block("hi")])
        again = await conn.new_session(cwd=str(tmp_path), mcp_servers=[])
    assert caught.value.code == -32000
    assert "GLM_API_KEY" in str(caught.value.data)
    assert again.session_id != session.session_id
    assert glm_endpoint.requests == []


def test_doctor_reports_the_acp_mode(tmp_path: Path) -> None:
    """glm-lsp doctor has an acp line saying the mode can start and which SDK version."""
    env = {"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-m", "glm_lsp", "doctor", "--no-network"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("acp:")]
    assert lines and "glm-lsp acp ready (agent-client-protocol 0.12." in lines[0]


async def test_upstream_failure_is_an_error_naming_the_remedy_and_the_agent_goes_on(
    tmp_path: Path, glm_endpoint: GlmEndpoint
) -> None:
    """A rejected key (401) answers the prompt with a JSON-RPC error whose message names the
    remedy, without the key in it; the next prompt in the same session is answered."""
    glm_endpoint.enqueue(Reply.error(401, "1002"), Reply.stream(["back"]))
    client = AcpClient()
    async with agent(client, agent_env(glm_endpoint, tmp_path)) as conn:
        session = await conn.new_session(cwd=str(tmp_path), mcp_servers=[])
        with pytest.raises(RequestError) as caught:
            await conn.prompt(session_id=session.session_id, prompt=[text_block("hi")])
        answer = await conn.prompt(session_id=session.session_id, prompt=[text_block("again")])
    assert "key was rejected" in str(caught.value)
    assert KEY not in str(caught.value)
    assert answer.stop_reason == "end_turn" and client.text() == "back"


async def test_bad_requests_get_clear_errors(tmp_path: Path, glm_endpoint: GlmEndpoint) -> None:
    """A prompt to an unknown session, a relative cwd, an unknown mode and an empty prompt are
    invalid params naming what to do; nothing is sent upstream, and the session still takes
    the next prompt."""
    async with agent(AcpClient(), agent_env(glm_endpoint, tmp_path)) as conn:
        errors = []
        session = await conn.new_session(cwd=str(tmp_path), mcp_servers=[])
        for call in (
            conn.prompt(session_id="nope", prompt=[text_block("hi")]),
            conn.new_session(cwd="relative/dir", mcp_servers=[]),
            conn.set_session_mode(session_id=session.session_id, mode_id="turbo"),
            conn.prompt(session_id=session.session_id, prompt=[text_block("  ")]),
        ):
            with pytest.raises(RequestError) as caught:
                await call
            errors.append(caught.value)
        sent_before = len(glm_endpoint.requests)
        glm_endpoint.enqueue(Reply.stream(["fine"]))
        answer = await conn.prompt(session_id=session.session_id, prompt=[text_block("ok?")])
    assert sent_before == 0 and answer.stop_reason == "end_turn"
    assert [e.code for e in errors] == [-32602] * 4
    messages = [str(e.data) for e in errors]
    assert "create one or load it" in messages[0]
    assert "absolute" in messages[1]
    assert "think" in messages[2]
    assert "empty" in messages[3]


async def test_model_option_and_fast_mode_shape_the_request(
    tmp_path: Path, glm_endpoint: GlmEndpoint
) -> None:
    """Choosing GLM-4.7 with session/set_config_option and the fast mode (thinking off) sends
    the next turn to glm-4.7 with thinking disabled; an unknown model is invalid params."""
    glm_endpoint.enqueue(Reply.stream(["fast"]))
    async with agent(AcpClient(), agent_env(glm_endpoint, tmp_path)) as conn:
        session = await conn.new_session(cwd=str(tmp_path), mcp_servers=[])
        sid = session.session_id
        chosen = await conn.set_config_option(config_id="model", session_id=sid, value="glm-4.7")
        await conn.set_session_mode(session_id=sid, mode_id="fast")
        with pytest.raises(RequestError):
            await conn.set_config_option(config_id="model", session_id=sid, value="gpt-5")
        await conn.prompt(session_id=sid, prompt=[text_block("quick")])
    assert chosen.config_options[0].current_value == "glm-4.7"  # type: ignore[union-attr]
    body = glm_endpoint.requests[0].body
    assert body["model"] == "glm-4.7"
    assert body.get("thinking", {}).get("type") == "disabled"
