"""Start-up laziness: slow libraries load on first use or in the warm-up thread, not at start."""

from __future__ import annotations

import inspect
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from detect_secrets.util.filetype import determine_file_type
from tests.glm_endpoint import GlmEndpoint
from tests.glm_replies import Reply

from glm_lsp.context.secrets import FILE_KINDS, kind_for_path
from glm_lsp.llm import PRESETS, ChatRequest, ClientConfig, GlmClient
from glm_lsp.warmup import wait_warm, warm_in_background, warm_timings

ROOT = Path(__file__).resolve().parents[2]
SLOW = ("detect_secrets", "git", "httpx", "httpcore", "httpx_sse", "requests")
KEY = "sk-test-0123456789abcdef"
HELLO = [{"role": "user", "content": "hi"}]


def run_python(code: str) -> str:
    """Run ``code`` in a fresh interpreter (nothing imported yet) and return its stdout."""
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout.strip()


def test_building_the_server_imports_none_of_the_slow_libraries() -> None:
    """Ensure create_server() (all that answering initialize needs) imports neither
    detect-secrets, GitPython nor the HTTP stack; a feature module that imports one at
    its top level makes this fail."""
    loaded = run_python(
        "import sys\n"
        "from glm_lsp.lsp.app import create_server\n"
        "create_server()\n"
        f"print(','.join(m for m in {SLOW!r} if m in sys.modules))\n"
    )
    assert loaded == ""


def test_redactor_loads_detect_secrets_on_its_first_scan() -> None:
    """Ensure a Redactor is built without detect-secrets and still finds a vendor key (found
    by a detect-secrets plugin only) on its first scan, importing detect-secrets then."""
    out = run_python(
        "import sys\n"
        "from glm_lsp.context.secrets import Redactor\n"
        "r = Redactor()\n"
        "print('detect_secrets' in sys.modules)\n"
        "print(r.redact('aws = \"AKIAIOSFODNN7EXAMPLE\"'))\n"
        "print('detect_secrets' in sys.modules)\n"
    )
    assert out.splitlines() == ["False", 'aws = "[REDACTED]"', "True"]


def test_git_reader_never_imports_gitpython() -> None:
    """Ensure finding a repository runs the git CLI through the guard and never imports
    GitPython (its in-process config parser would follow a hostile include.path)."""
    out = run_python(
        "import sys\n"
        "from glm_lsp.context.git import find_root\n"
        "print(find_root('server') is not None)\n"
        "print('git' in sys.modules)\n"
    )
    assert out.splitlines() == ["True", "False"]


def test_file_kind_table_is_detect_secrets_own() -> None:
    """Ensure our copy of detect-secrets' extension table names the same file type for every
    extension detect-secrets knows, and OTHER for the rest."""
    source = inspect.getsource(determine_file_type)
    theirs = re.findall(r"'(\.[A-Za-z0-9_+-]+)'\s*:", source)
    assert theirs and sorted(theirs) == sorted(FILE_KINDS)
    for ext in [*theirs, ".rs", ".PY", ""]:
        path = f"/src/name{ext}"
        assert kind_for_path(path) == determine_file_type(path).name
    assert kind_for_path(None) == "OTHER"


def test_warm_up_jobs_run_in_order_once_each_and_survive_a_failure() -> None:
    """Ensure queued jobs run in order in one thread other than the caller's, a name queued
    twice runs once, and a failing job does not stop the ones after it."""
    ran: list[tuple[str, str]] = []

    def job(name: str) -> None:
        ran.append((name, threading.current_thread().name))

    def fail() -> None:
        raise RuntimeError("boom")

    warm_in_background("test-a", lambda: job("a"))
    warm_in_background("test-fail", fail)
    warm_in_background("test-a", lambda: job("a again"))
    warm_in_background("test-b", lambda: job("b"))
    assert wait_warm(timeout=30)
    assert [name for name, _ in ran] == ["a", "b"]
    assert {thread for _, thread in ran} == {"glm-lsp-warm-up"}
    assert {"test-a", "test-fail", "test-b"} <= set(warm_timings())


async def test_configured_client_warms_its_pool_and_streams(glm_endpoint: GlmEndpoint) -> None:
    """Ensure a client given a usable key builds its pool in the warm-up thread, and the first
    request after that streams normally."""
    glm_endpoint.enqueue(Reply.stream(["Hi"]))
    config = ClientConfig(glm_endpoint.url, "", PRESETS["zai"], first_byte_timeout=5.0)
    client = GlmClient(config)
    try:
        client.update_config(ClientConfig(glm_endpoint.url, KEY, PRESETS["zai"]))
        assert wait_warm(timeout=30)
        assert f"http pool {id(client):x}" in warm_timings()
        completion = await client.complete(ChatRequest(HELLO))
        assert completion.text == "Hi"
    finally:
        await client.aclose()


async def test_client_closed_before_any_request_refuses_new_ones(
    glm_endpoint: GlmEndpoint,
) -> None:
    """Ensure a client closed before its first request closes cleanly and then refuses to
    send, as a client whose pool was closed does."""
    client = GlmClient(ClientConfig(glm_endpoint.url, KEY, PRESETS["zai"]))
    await client.aclose()
    with pytest.raises(RuntimeError, match="closed"):
        await client.complete(ChatRequest(HELLO))
    assert glm_endpoint.requests == []
