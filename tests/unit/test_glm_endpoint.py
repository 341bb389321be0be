"""The loopback endpoint itself, seen through raw httpx: wire format, keep-alive, standalone."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
from tests.glm_endpoint import GlmEndpoint
from tests.glm_replies import Reply

ENDPOINT_SCRIPT = Path(__file__).resolve().parents[1] / "glm_endpoint.py"


def sse_data(text: str) -> list[str]:
    return [line[len("data: ") :] for line in text.splitlines() if line.startswith("data: ")]


def post(client: httpx.Client, url: str, content: str, stream: bool = True) -> httpx.Response:
    body = {
        "model": "glm-4.6",
        "stream": stream,
        "messages": [{"role": "user", "content": content}],
    }
    headers = {"Authorization": "Bearer sk-endpoint-test"}
    return client.post(url + "/chat/completions", json=body, headers=headers)


def test_stream_is_zai_wire_format_and_the_connection_is_kept_alive(
    glm_endpoint: GlmEndpoint,
) -> None:
    """Chunks without ``object``, usage with the finish chunk, [DONE]; two requests, one socket."""
    glm_endpoint.enqueue(Reply.stream(["Hi"], reasoning=["r"]))
    with httpx.Client() as client:
        first = post(client, glm_endpoint.url, "one")
        second = post(client, glm_endpoint.url, "two")
    assert first.headers["content-type"].startswith("text/event-stream")
    data = sse_data(first.text)
    assert data[-1] == "[DONE]"
    chunks = [json.loads(d) for d in data[:-1]]
    assert "object" not in chunks[0]
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant", "reasoning_content": "r"}
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"
    assert chunks[-1]["usage"]["prompt_tokens_details"] == {"cached_tokens": 0}
    assert sse_data(second.text)[-1] == "[DONE]"
    one, two = glm_endpoint.requests
    assert one.peer == two.peer
    assert one.finished is not None and one.gone is None
    assert one.body["messages"][0]["content"] == "one"


def test_non_stream_request_gets_an_assembled_completion(glm_endpoint: GlmEndpoint) -> None:
    """``stream: false`` gets one chat.completion with content, reasoning and joined tool calls."""
    glm_endpoint.enqueue(Reply.tool_stream([("call-1", "write", ['{"a":', "1}"])]))
    with httpx.Client() as client:
        answer = post(client, glm_endpoint.url, "x", stream=False).json()
    choice = answer["choices"][0]
    assert choice["finish_reason"] == "tool_calls"
    call = choice["message"]["tool_calls"][0]
    assert (call["id"], call["function"]) == ("call-1", {"name": "write", "arguments": '{"a":1}'})
    assert answer["usage"]["total_tokens"] == 17


def test_error_reply_has_zai_body_and_retry_after(glm_endpoint: GlmEndpoint) -> None:
    """A scripted 429/1302 is a JSON Z.ai error body with the Retry-After header."""
    glm_endpoint.enqueue(Reply.error(429, "1302", retry_after=2))
    with httpx.Client() as client:
        answer = post(client, glm_endpoint.url, "x")
    assert answer.status_code == 429
    assert answer.headers["retry-after"] == "2"
    assert answer.json()["error"]["code"] == "1302"


def test_handler_answers_by_content_after_the_queue(glm_endpoint: GlmEndpoint) -> None:
    """Queued replies go first, then the handler's choice, then the default."""

    def handler(body: Any) -> Reply | None:
        return Reply.stream(["sunny"]) if "weather" in json.dumps(body) else None

    glm_endpoint.handler = handler
    glm_endpoint.enqueue(Reply.stream(["queued"]))
    with httpx.Client() as client:
        texts = [post(client, glm_endpoint.url, q).text for q in ("weather", "weather", "other")]
    assert ['"queued"' in texts[0], '"sunny"' in texts[1], '"Hello"' in texts[2]] == [True] * 3


def test_standalone_endpoint_plays_a_script_and_masks_the_key(tmp_path: Path) -> None:
    """``python tests/glm_endpoint.py --script`` serves queue, rules and default; the record file
    never holds the key."""
    script = {
        "default": {"text": "default reply", "chunkSize": 4},
        "queue": [{"error": {"status": 503, "code": None, "message": "warming up"}}],
        "rules": [{"contains": "weather", "reply": {"content": ["sun", "ny"]}}],
    }
    (tmp_path / "script.json").write_text(json.dumps(script))
    record = tmp_path / "requests.jsonl"
    args = [sys.executable, str(ENDPOINT_SCRIPT), "--port", "0"]
    args += ["--script", str(tmp_path / "script.json"), "--record", str(record)]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().split()[-1]
        with httpx.Client() as client:
            answers = [post(client, url, q) for q in ("hi", "weather?", "hi")]
    finally:
        proc.terminate()
        proc.wait(10)
    assert answers[0].status_code == 503
    assert (
        "".join(
            json.loads(d)["choices"][0]["delta"].get("content", "")
            for d in sse_data(answers[1].text)[:-1]
        )
        == "sunny"
    )
    assert len(sse_data(answers[2].text)) == 6  # "defa", "ult ", "repl", "y", finish, [DONE]
    lines = record.read_text().splitlines()
    assert len(lines) == 3
    assert "sk-endpoint-test" not in record.read_text()
    assert json.loads(lines[0])["headers"]["authorization"] == "Bearer ***"
