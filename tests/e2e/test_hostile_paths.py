"""A hostile workspace, built for real: links to secrets and outside files, FIFOs, /dev/stdin.

Each test starts the real server on a workspace holding real symlinks (to `.env`, to a file
outside the workspace, to `/etc/passwd`, to `/dev/stdin`, to `/proc/self/environ`, linked
directories pointing outside and in loops), a real FIFO and a file under a name the model
asks for, drives chat (tool calls scripted through the loopback endpoint), `#file:`
references, `glm.context.inspect` and `glm.tests`, and checks from what the endpoint recorded
that no byte of a secret or outside file went upstream, that every refusal says why, and that
the server still answers `glm.status` afterwards (nothing read its stdin or blocked it).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from pytest_lsp import LanguageClient

from tests.e2e.harness import StartServer
from tests.e2e.test_chat import command, encode, field, finished, open_doc, start
from tests.glm_endpoint import GlmEndpoint
from tests.glm_replies import Reply

ENV_SECRET = "sk-live-LINKED-ENV-SECRET-5c1f9e"
OUTSIDE_SECRET = "OUTSIDE-WORKSPACE-SECRET-88ab31"
ENVIRON_CANARY = "environ-canary-41d7b2e9"
PASSWD_LINE = "root:x:0"

HOSTILE_PATHS = {
    "link_env.txt": "a link to .env",
    "settings_link.py": "a link to .env under a harmless name",
    "outside_link.txt": "a link to a file outside the workspace",
    "passwd_link": "a link to /etc/passwd",
    "outdir/secret.txt": "a file under a linked directory that points outside",
    "loop_a": "a link loop",
    "pipe.py": "a FIFO",
    "stdin_link.py": "a link to /dev/stdin",
    "environ_link": "a link to /proc/self/environ",
}


def hostile_workspace(tmp_path: Path) -> Path:
    """A git repository with every hostile path of HOSTILE_PATHS, plus one honest file."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(f"{OUTSIDE_SECRET}\n")
    root = tmp_path / "ws"
    (root / "src").mkdir(parents=True)
    (root / "src" / "app.py").write_text("def total(items):\n    return sum(items)\n")
    (root / ".env").write_text(f"API_TOKEN={ENV_SECRET}\n")
    (root / "link_env.txt").symlink_to(".env")
    (root / "settings_link.py").symlink_to(root / ".env")
    (root / "outside_link.txt").symlink_to(outside / "secret.txt")
    (root / "passwd_link").symlink_to("/etc/passwd")
    (root / "outdir").symlink_to(outside, target_is_directory=True)
    (root / "selfdir").symlink_to(root, target_is_directory=True)
    (root / "loop_a").symlink_to(root / "loop_b")
    (root / "loop_b").symlink_to(root / "loop_a")
    os.mkfifo(root / "pipe.py")
    (root / "stdin_link.py").symlink_to("/dev/stdin")
    (root / "environ_link").symlink_to("/proc/self/environ")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


def leaked(bodies: list[str]) -> list[str]:
    """Which secrets appear in any of the request bodies."""
    secrets = (ENV_SECRET, OUTSIDE_SECRET, ENVIRON_CANARY, PASSWD_LINE)
    return [s for s in secrets if any(s in body for body in bodies)]


def tool_results(endpoint: GlmEndpoint, request: int) -> list[str]:
    return [
        str(m["content"])
        for m in endpoint.requests[request].body["messages"]
        if m["role"] == "tool"
    ]


async def status_answers(client: LanguageClient) -> bool:
    """glm.status answers (the server is alive and its stdin still carries LSP)."""
    result = await command(client, "glm.status", {})
    return isinstance(result, dict) or hasattr(result, "provider")


async def start_hostile(
    start_server: StartServer, endpoint: GlmEndpoint, root: Path
) -> LanguageClient:
    return await start(start_server, endpoint, root=root, env={"HOSTILE_CANARY": ENVIRON_CANARY})


async def test_read_file_refuses_every_link_and_special_file_with_a_reason(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure read_file on each hostile path (links to .env, outside, /etc/passwd, /dev/stdin,
    /proc/self/environ, a loop, a FIFO, a linked directory) answers an error naming why, that
    nothing of them goes upstream, and that the server still answers glm.status."""
    root = hostile_workspace(tmp_path)
    calls = [
        (f"c{i}", "read_file", json.dumps({"path": path})) for i, path in enumerate(HOSTILE_PATHS)
    ]
    glm_endpoint.enqueue(Reply.tool_calls(calls), Reply.stream(["done"]))
    client = await start_hostile(start_server, glm_endpoint, root)
    started = await command(client, "glm.chat.send", {"message": "Read them all."})
    done = await finished(client, started["turnId"], timeout=60)
    assert field(done, "error") is None
    assert leaked([encode(r.body) for r in glm_endpoint.requests]) == []
    results = dict(zip(HOSTILE_PATHS, tool_results(glm_endpoint, 1), strict=True))
    for path, result in results.items():
        assert result.startswith("error:"), (path, result)
    assert "links to an excluded file" in results["link_env.txt"]
    assert "links to an excluded file" in results["settings_link.py"]
    for path in ("outside_link.txt", "passwd_link", "outdir/secret.txt"):
        assert "outside the workspace" in results[path], results[path]
    assert "not a regular file (a FIFO)" in results["pipe.py"]
    assert "outside the workspace" in results["stdin_link.py"]
    assert "outside the workspace" in results["environ_link"]
    assert "leads nowhere" in results["loop_a"]
    assert await status_answers(client)


async def test_listing_and_search_do_not_follow_links_out_or_in_loops(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure list_files (flat and with a ** glob) and search_text walk the workspace without
    following linked directories out of it or round a loop, leave links to secrets and special
    files out (counted as excluded), find the honest file, and never send a secret."""
    root = hostile_workspace(tmp_path)
    calls = [
        ("l1", "list_files", "{}"),
        ("l2", "list_files", json.dumps({"glob": "**"})),
        ("s1", "search_text", json.dumps({"query": "SECRET"})),
        ("s2", "search_text", json.dumps({"query": "root:"})),
        ("s3", "search_text", json.dumps({"query": "def total"})),
        ("l3", "list_files", json.dumps({"path": "outdir"})),
        ("l4", "list_files", json.dumps({"path": "selfdir", "glob": "**"})),
    ]
    glm_endpoint.enqueue(Reply.tool_calls(calls), Reply.stream(["done"]))
    client = await start_hostile(start_server, glm_endpoint, root)
    started = await command(client, "glm.chat.send", {"message": "Look around."})
    await finished(client, started["turnId"], timeout=60)
    assert leaked([encode(r.body) for r in glm_endpoint.requests]) == []
    flat, deep, secret, passwd, honest, outdir, loop = tool_results(glm_endpoint, 1)
    assert "src/" in flat and "outdir" not in flat and "pipe.py" not in flat
    assert "src/app.py" in deep
    for name in ("link_env.txt", "outside_link.txt", "pipe.py", "outdir/", "selfdir/"):
        assert name not in deep, deep
    assert "excluded file(s) not shown" in deep
    assert secret.startswith("(no matches)") and passwd.startswith("(no matches)")
    assert honest.startswith("src/app.py:1: def total(items):")
    assert outdir.startswith("error:") and "outside the workspace" in outdir
    assert "selfdir/src/app.py" in loop and "selfdir/selfdir" not in loop
    assert await status_answers(client)


async def test_file_references_to_links_and_special_files_are_named_not_read(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure #file: references to a link to .env, /proc/self/environ (directly and through a
    link), /dev/stdin, a FIFO and a file under a linked outside directory attach a note saying
    why instead of the text, and none of their bytes go upstream."""
    root = hostile_workspace(tmp_path)
    glm_endpoint.enqueue(Reply.stream(["ok"]))
    client = await start_hostile(start_server, glm_endpoint, root)
    refs = [
        "link_env.txt",
        "/proc/self/environ",
        "environ_link",
        "/dev/stdin",
        "stdin_link.py",
        "pipe.py",
        "outdir/secret.txt",
    ]
    message = "What is in " + " ".join(f"#file:{ref}" for ref in refs) + " ?"
    started = await command(client, "glm.chat.send", {"message": message})
    await finished(client, started["turnId"], timeout=60)
    assert leaked([encode(r.body) for r in glm_endpoint.requests]) == []
    content = str(glm_endpoint.requests[0].body["messages"][-1]["content"])
    assert content.count("(not included:") == len(refs)
    assert "links to an excluded file" in content
    assert "not a regular file (a FIFO)" in content
    assert "outside the workspace" in content
    assert await status_answers(client)


async def test_document_opened_through_a_link_to_env_is_excluded(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure a document the editor opens through a link to .env is excluded like .env:
    glm.context.inspect names it as excluded, and neither chat about it nor chat about another
    open file sends its text."""
    root = hostile_workspace(tmp_path)
    glm_endpoint.enqueue(Reply.stream(["one"]), Reply.stream(["two"]))
    client = await start_hostile(start_server, glm_endpoint, root)
    link_uri = open_doc(client, root / "settings_link.py", (root / ".env").read_text())
    app_uri = open_doc(client, root / "src" / "app.py")
    inspected = await command(
        client,
        "glm.context.inspect",
        {"uri": link_uri, "position": {"line": 0, "character": 2}, "feature": "chat"},
    )
    as_json = json.loads(json.dumps(inspected, default=lambda o: o.__dict__))
    assert as_json["pieces"] == []
    reasons = [d["reason"] for d in as_json["dropped"]]
    assert any("excluded" in r and "links to an excluded file" in r for r in reasons), reasons
    for uri in (link_uri, app_uri):
        started = await command(client, "glm.chat.send", {"message": "Explain", "uri": uri})
        await finished(client, started["turnId"], timeout=60)
    assert leaked([encode(r.body) for r in glm_endpoint.requests]) == []
    assert await status_answers(client)


async def test_tests_command_refuses_a_test_file_that_links_to_env(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure glm.tests, whose conventional test file (tests/test_app.py) is a link to .env,
    refuses with the reason instead of reading the secret into the prompt or writing into it."""
    root = hostile_workspace(tmp_path)
    (root / "tests").mkdir()
    (root / "tests" / "test_app.py").symlink_to(root / ".env")
    client = await start_hostile(start_server, glm_endpoint, root)
    uri = open_doc(client, root / "src" / "app.py")
    whole = {"start": {"line": 0, "character": 0}, "end": {"line": 2, "character": 0}}
    result = await command(client, "glm.tests", {"uri": uri, "range": whole})
    assert result["uri"] is None
    assert "tests/test_app.py cannot be used" in result["reason"]
    assert "links to an excluded file" in result["reason"]
    assert leaked([encode(r.body) for r in glm_endpoint.requests]) == []
    assert (root / ".env").read_text() == f"API_TOKEN={ENV_SECRET}\n"
    assert await status_answers(client)
