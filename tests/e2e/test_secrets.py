"""Secrets never go upstream: every secret shape of the corpus (tests/secrets_corpus), put in
a workspace, opened in the editor, attached with ``#file:``/``#selection``, read by the
model's ``read_file`` and found by its ``search_text``, and the endpoint's records checked.

The real server runs against the loopback GLM endpoint; nothing of ours is replaced.
"""

from __future__ import annotations

import fnmatch
import json
import os
from pathlib import Path

from glm_lsp.context.exclusions import BUILTIN_EXCLUDES
from tests.e2e.harness import StartServer, open_doc
from tests.e2e.test_chat import command, encode, finished, start
from tests.glm_endpoint import GlmEndpoint
from tests.glm_replies import Reply
from tests.secrets_corpus import Case, load

CASES = load("tuned", "secrets") + load("heldout", "secrets")
BATCH = 10
CALLS_PER_STEP = 6
SEARCHES = ("PRIVATE KEY", "==", "password", "value:", "EOF", "Authorization", "-p")


def disk_name(case: Case, index: int) -> str:
    """A workspace path for the case: its own file name, unless that name is on the built-in
    exclusion list (then nothing would be read at all and redaction would go untested)."""
    name = os.path.basename(case.file)
    if name.startswith("."):
        name = "dot" + name
    if any(fnmatch.fnmatch(name, p) for p in BUILTIN_EXCLUDES if "/" not in p):
        name += ".txt"
    return f"corpus/{index:03d}-{case.id}/{name}"


def whole(text: str) -> dict[str, dict[str, int]]:
    lines = text.split("\n")
    return {
        "start": {"line": 0, "character": 0},
        "end": {"line": len(lines) - 1, "character": len(lines[-1])},
    }


async def test_no_corpus_secret_reaches_the_endpoint(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure no secret substring of any corpus case is in any request body, whether the file
    is the current document with a whole-file selection, a ``#file:`` reference, a
    ``read_file`` result or a ``search_text`` hit, while every file was really sent."""
    root = tmp_path / "ws"
    paths = {}
    for index, case in enumerate(CASES):
        rel = disk_name(case, index)
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(case.text)
        paths[case] = rel
    client = await start(start_server, glm_endpoint, root=root)

    for first in range(0, len(CASES), BATCH):
        batch = CASES[first : first + BATCH]
        glm_endpoint.enqueue(Reply.stream(["ok"]))
        current = root / paths[batch[0]]
        uri = open_doc(client, current, "plaintext")
        refs = " ".join(f"#file:{paths[c]}" for c in batch[1:])
        started = await command(
            client,
            "glm.chat.send",
            {
                "message": f"Review {refs} and #selection",
                "uri": uri,
                "range": whole(current.read_text()),
            },
        )
        await finished(client, started["turnId"])

    calls = [("read_file", {"path": paths[c]}) for c in CASES]
    calls += [("search_text", {"query": q}) for q in SEARCHES]
    steps = [calls[i : i + CALLS_PER_STEP] for i in range(0, len(calls), CALLS_PER_STEP)]
    for turn in range(0, len(steps), 3):
        for n, step in enumerate(steps[turn : turn + 3]):
            glm_endpoint.enqueue(
                Reply.tool_calls(
                    [
                        (f"c{turn}-{n}-{k}", name, json.dumps(args))
                        for k, (name, args) in enumerate(step)
                    ]
                )
            )
        glm_endpoint.enqueue(Reply.stream(["done"]))
        started = await command(client, "glm.chat.send", {"message": "Read them."})
        await finished(client, started["turnId"])

    bodies = [encode(r.body) for r in glm_endpoint.requests]
    sent = "\n".join(bodies)
    leaks = [(c.id, s) for c in CASES for s in c.secrets if encode(s)[1:-1] in sent]
    assert leaks == []
    missing = [c.id for c in CASES if paths[c] not in sent]
    assert missing == []
    assert sent.count("[REDACTED]") >= len(CASES)
