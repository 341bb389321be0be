"""Model-chosen patterns and call storms cannot freeze the server or blow up a request.

The loopback endpoint scripts a model that asks ``search_text`` for a catastrophic regex
(``(a+)+$`` against long runs of ``a``), a glob with many stars (``*a*a*a…z`` against a long
file name) and a back-reference RE2 refuses, one that asks for 500 tool calls in one step, and
one that searches for the short last line of a PEM key body. What the endpoint recorded shows
the answers; ``glm.status`` answers during and after each turn.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from tests.e2e.harness import StartServer
from tests.e2e.test_chat import command, encode, events_of, field, finished, start
from tests.e2e.test_hostile_paths import status_answers, tool_results
from tests.glm_endpoint import GlmEndpoint
from tests.glm_replies import Reply

LONG_NAME = "a" * 200
CATASTROPHIC_GLOB = "*a" * 24 + "*z"
PEM_LAST_LINE = "q9ZLastLineOfTheKey=="
KEY_LINE = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC"


def search_workspace(tmp_path: Path) -> Path:
    """Files whose lines make backtracking engines explode, one honest match, a long name."""
    root = tmp_path / "ws"
    (root / "data").mkdir(parents=True)
    runs = "\n".join("a" * 60 + "!" for _ in range(40))
    (root / "data" / "runs.txt").write_text(runs + "\nneedle here\n")
    (root / "data" / LONG_NAME).write_text("long name\n")
    return root


async def test_catastrophic_regex_and_glob_answer_and_the_server_keeps_serving(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure search_text with (a+)+$ over long runs of 'a', list_files and search_text with a
    24-star glob over a 200-character name, and a back-reference regex all answer (results,
    or a clear refusal naming RE2), and glm.status answers while the turn runs and after."""
    root = search_workspace(tmp_path)
    calls = [
        ("r1", "search_text", json.dumps({"query": "(a+)+$", "regex": True})),
        ("r2", "search_text", json.dumps({"query": "(a|aa)+!$", "regex": True})),
        ("g1", "list_files", json.dumps({"glob": CATASTROPHIC_GLOB})),
        ("g2", "search_text", json.dumps({"query": "long", "glob": CATASTROPHIC_GLOB})),
        ("g3", "list_files", json.dumps({"glob": "**/" + "*a" * 20 + "*"})),
        ("b1", "search_text", json.dumps({"query": r"(a)\1", "regex": True})),
        ("n1", "search_text", json.dumps({"query": "needle"})),
    ]
    glm_endpoint.enqueue(Reply.tool_calls(calls), Reply.stream(["done"]))
    client = await start(start_server, glm_endpoint, root=root)
    started = await command(client, "glm.chat.send", {"message": "Search."})
    during = asyncio.ensure_future(status_answers(client))
    await finished(client, started["turnId"], timeout=60)
    assert await during
    plus, alternation, glob_list, glob_search, deep_glob, backref, needle = tool_results(
        glm_endpoint, 1
    )
    assert plus.startswith("(no matches)")
    assert alternation.startswith("data/runs.txt:1: ")
    assert glob_list.startswith("(no files)")
    assert glob_search.startswith("(no matches)")
    assert f"data/{LONG_NAME}" in deep_glob
    assert backref.startswith("error:") and "RE2" in backref
    assert needle.startswith("data/runs.txt:41: needle here")
    assert await status_answers(client)


async def test_five_hundred_tool_calls_in_one_step_keep_the_next_request_bounded(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure a reply asking for 500 read_file calls runs only the first 16, answers the rest
    with an error naming the cap, keeps the tools' output within the 64 KB turn budget (past
    it: "budget exhausted"), and the next upstream request stays small."""
    root = tmp_path / "ws"
    (root / "src").mkdir(parents=True)
    big = "\n".join(f"line_{i} = '{'x' * 60}'" for i in range(400))
    for i in range(20):
        (root / "src" / f"m{i}.py").write_text(big)
    calls = [(f"c{i}", "read_file", json.dumps({"path": f"src/m{i % 20}.py"})) for i in range(500)]
    glm_endpoint.enqueue(Reply.tool_calls(calls), Reply.stream(["done"]))
    client = await start(start_server, glm_endpoint, root=root)
    started = await command(client, "glm.chat.send", {"message": "Read everything."})
    done = await finished(client, started["turnId"], timeout=60)
    assert field(done, "error") is None
    results = tool_results(glm_endpoint, 1)
    assert len(results) == 500
    ran = [r for r in results[:16] if not r.startswith("error: not run")]
    exhausted = [r for r in results[:16] if "budget exhausted" in r]
    assert ran and exhausted and len(ran) + len(exhausted) == 16
    assert all("at most 16 tool calls" in r for r in results[16:])
    assert sum(len(r) for r in ran) <= 64_000 + 200
    next_request = len(encode(glm_endpoint.requests[1].body))
    first_request = len(encode(glm_endpoint.requests[0].body))
    assert next_request - first_request < 64_000 + 500 * 300
    notices = [field(p, "notice") for _, p in events_of(client, started["turnId"])]
    assert any(n and "500 tool calls" in n for n in notices)
    assert await status_answers(client)


async def test_search_never_finds_the_short_last_line_of_a_key_body(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure search_text matches the redacted text of a file, redacted as a whole: the short
    last line of a private key body (harmless-looking on its own) is neither found nor sent."""
    root = tmp_path / "ws"
    (root / "docs").mkdir(parents=True)
    body = "\n".join(
        "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC" + str(i) for i in range(5)
    )
    pem = (
        "-----BEGIN PRIVATE KEY-----\n" + body + "\n" + PEM_LAST_LINE + "\n"
        "-----END PRIVATE KEY-----\n"
    )
    (root / "docs" / "deploy.md").write_text("# Deploy\n\n" + pem)
    calls = [
        ("p1", "search_text", json.dumps({"query": "LastLine"})),
        ("p2", "search_text", json.dumps({"query": "==$", "regex": True})),
        ("p3", "search_text", json.dumps({"query": "PRIVATE KEY"})),
    ]
    glm_endpoint.enqueue(Reply.tool_calls(calls), Reply.stream(["done"]))
    client = await start(start_server, glm_endpoint, root=root)
    started = await command(client, "glm.chat.send", {"message": "Find keys."})
    await finished(client, started["turnId"], timeout=60)
    for request in glm_endpoint.requests:
        assert PEM_LAST_LINE not in encode(request.body)
        assert KEY_LINE not in encode(request.body)
    last_line, ends_with, markers = tool_results(glm_endpoint, 1)
    assert last_line.startswith("(no matches)")
    assert ends_with.startswith("(no matches)")
    assert "docs/deploy.md:3: -----BEGIN PRIVATE KEY-----" in markers
