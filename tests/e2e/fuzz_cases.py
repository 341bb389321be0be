"""Property-based fuzzing of the real server process over raw frames (Hypothesis).

A case is a list of steps sent to ``python -m glm_lsp`` (``RawServer``): requests for every
method and command of docs/protocol.md with well-formed, wrong-typed and wrong-shaped params
and out-of-range positions; document open/change/close; ``$/cancelRequest`` of earlier
requests; malformed frames; and, at the end of some cases, ``shutdown`` + ``exit`` or a bare
``exit``. After every step ``glm.status`` must answer; at the end of a case every request still
running is cancelled and then every id sent must have exactly one response, every malformed
frame its error with id null, no response may be an InternalError, every chat turn started
must end with exactly one ``glm/chat/done``, and the server's resident memory must stay under
``RSS_BOUND_KB``.

One server serves many cases (a case that ends it gets a fresh one for the next), so the
state a case leaves behind is part of the next case's input, as in a long editor session. A
fresh server first gets the case's ``early`` steps before ``initialize``: every request must
be answered ServerNotInitialized.
``tests/e2e/test_fuzz.py`` runs a fixed-seed budget in CI; ``bench/fuzz.py`` soaks.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from tests.e2e.raw_client import RawServer, env_for, frame
from tests.glm_replies import Reply

__all__ = ["REPLY", "RSS_BOUND_KB", "Case", "FuzzSession", "cases", "describe"]

REPLY = Reply.stream(["<REPLACEMENT>\n", "x = 1\n", "</REPLACEMENT>\n"], delay=0.02)
"""What the loopback model answers to everything: a short streamed answer."""

RSS_BOUND_KB = 256 * 1024
"""The server's resident memory must stay under this (it stays near 70 MiB under the fuzzer)."""
INTERNAL_ERROR = -32603
SERVER_NOT_INITIALIZED = -32002
HANG_SECONDS = 60.0
"""A hang detector, not a speed requirement."""

COMMANDS = (
    "glm.explain",
    "glm.edit",
    "glm.refactor",
    "glm.fix",
    "glm.docstring",
    "glm.tests",
    "glm.chat.send",
    "glm.chat.cancel",
    "glm.chat.list",
    "glm.chat.history",
    "glm.chat.delete",
    "glm.inline.accepted",
    "glm.context.inspect",
    "glm.status",
    "glm.nope",
)
FILES = ("a.py", "b.py", "notes.md", ".env")
"""Workspace files (``.env`` is excluded from prompts); ``FuzzSession`` writes them."""
FILE_TEXT = {
    "a.py": "import os\n\n\ndef area(r):\n    return 3.14 * r * r\n\n\nprint(area(2))\n",
    "b.py": "class Stack:\n    def __init__(self):\n        self.items = []\n",
    "notes.md": "# Notes\n\nSome text with ünïcödé and 😀 emoji.\n",
    ".env": "API_TOKEN=sk-live-0123456789abcdef0123456789\n",
}


# -- values ------------------------------------------------------------------------------------

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
numbers = st.sampled_from([True] * 19 + [False]).flatmap(
    lambda usual: (
        st.integers(min_value=0, max_value=12)
        if usual
        else st.sampled_from([-1, -(2**31), 2**31 - 1, 2**31, 2**53, 10**30])
    )
)
"""Mostly small line and column numbers; now and then out of range or out of bounds."""
odd_numbers = st.one_of(numbers, st.sampled_from(["1", None, 1.5, True, [], {}]))


messy_text = st.text(
    alphabet=st.characters(categories=["L", "N", "P", "S", "Zs", "Cc", "Cs"]),
    min_size=1,
    max_size=40,
)
"""Text as a broken client may send it: control characters and lone surrogates (JSON can
carry ``\\ud800``) among ordinary characters."""


def positions(strict: bool = True) -> st.SearchStrategy[Any]:
    """``{line, character}``: in range, out of range, or (not strict) of the wrong type."""
    value = numbers if strict else odd_numbers
    shaped = st.fixed_dictionaries({"line": value, "character": value})
    return shaped if strict else st.one_of(shaped, json_values)


def ranges(strict: bool = True) -> st.SearchStrategy[Any]:
    shaped = st.fixed_dictionaries({"start": positions(strict), "end": positions(strict)})
    return shaped if strict else st.one_of(shaped, json_values)


@st.composite
def uris(draw: st.DrawFn, workspace: str = "{root}") -> str:
    """A workspace file, an unopened or odd URI, or garbage."""
    return draw(
        st.one_of(
            st.sampled_from([f"{workspace}/{name}" for name in FILES]),
            st.sampled_from(
                [
                    f"{workspace}/missing.py",
                    f"{workspace}/../outside.py",
                    "untitled:Untitled-1",
                    "file:///",
                    "not a uri",
                    "",
                ]
            ),
        )
    )


def document_id(strict: bool = True) -> st.SearchStrategy[Any]:
    ident = st.fixed_dictionaries({"uri": uris()})
    return ident if strict else st.one_of(ident, json_values)


def command_arguments(command: str) -> st.SearchStrategy[Any]:
    """Arguments for ``command``: as documented, with wrong shapes, or anything."""
    ranged = st.fixed_dictionaries(
        {"uri": uris(), "range": ranges()},
        optional={
            "instruction": st.text(max_size=40),
            "diagnostics": st.lists(
                st.fixed_dictionaries({"range": ranges(), "message": st.text(max_size=20)}),
                max_size=2,
            ),
        },
    )
    documented: dict[str, st.SearchStrategy[Any]] = {
        "glm.chat.send": st.fixed_dictionaries(
            {"message": st.one_of(st.text(min_size=1, max_size=60), messy_text)},
            optional={"chatId": st.sampled_from(["c1", "c2"]), "uri": uris(), "range": ranges()},
        ),
        "glm.chat.cancel": st.fixed_dictionaries(
            {}, optional={"chatId": st.sampled_from(["c1", "c2"]), "turnId": st.text(max_size=8)}
        ),
        "glm.chat.list": st.just({}),
        "glm.chat.history": st.fixed_dictionaries({"chatId": st.sampled_from(["c1", "c2", "x"])}),
        "glm.chat.delete": st.fixed_dictionaries({"chatId": st.sampled_from(["c1", "c2", "x"])}),
        "glm.inline.accepted": st.fixed_dictionaries({"id": st.text(max_size=10)}),
        "glm.context.inspect": st.fixed_dictionaries(
            {
                "uri": uris(),
                "position": positions(),
                "feature": st.sampled_from(["inline", "chat", "edit", "other"]),
            }
        ),
        "glm.status": st.just({}),
    }
    good = documented.get(command, ranged)
    return st.one_of(
        st.tuples(good).map(list),
        st.tuples(good).map(list),
        st.tuples(good).map(list),
        st.lists(json_values, max_size=3),
        json_values,
    )


# -- steps -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One thing the fuzzing client does."""

    kind: str
    """``request``, ``notify``, ``frame``, ``cancel``, ``reply`` or a document event
    (``open``, ``change``, ``close``)."""
    method: str = ""
    params: Any = None
    data: bytes = b""
    null_errors: int = 0
    """Errors with id null this step must cause (frames)."""
    with_params: bool = True


def _request(method: str, params: st.SearchStrategy[Any]) -> st.SearchStrategy[Step]:
    return st.builds(Step, kind=st.just("request"), method=st.just(method), params=params)


def _with_context(strict: bool) -> st.SearchStrategy[Any]:
    context = st.fixed_dictionaries({"triggerKind": st.sampled_from([1, 2])})
    return context if strict else st.one_of(context, json_values)


def _position_params(
    extra: dict[str, st.SearchStrategy[Any]], strict: bool
) -> st.SearchStrategy[Any]:
    shaped = st.fixed_dictionaries(
        {"textDocument": document_id(strict), "position": positions(strict), **extra}
    )
    return shaped if strict else st.one_of(shaped, json_values)


def requests() -> st.SearchStrategy[Step]:
    """Requests for every method of the surface, well-formed or not."""
    strict = st.booleans()

    def inline(ok: bool) -> st.SearchStrategy[Any]:
        return _position_params({"context": _with_context(ok)}, ok)

    def code_action(ok: bool) -> st.SearchStrategy[Any]:
        shaped = st.fixed_dictionaries(
            {
                "textDocument": document_id(ok),
                "range": ranges(ok),
                "context": st.fixed_dictionaries(
                    {
                        "diagnostics": st.lists(
                            st.fixed_dictionaries(
                                {"range": ranges(), "message": st.text(max_size=20)}
                            ),
                            max_size=2,
                        )
                    }
                ),
            }
        )
        return shaped if ok else st.one_of(shaped, json_values)

    good_command = st.sampled_from(COMMANDS).flatmap(
        lambda name: st.fixed_dictionaries(
            {"command": st.just(name), "arguments": command_arguments(name)}
        )
    )
    bad_command = st.one_of(
        st.fixed_dictionaries({"arguments": st.lists(json_values, max_size=2)}),
        st.fixed_dictionaries({"command": json_values}),
        json_values,
    )
    unknown = st.builds(
        Step,
        kind=st.just("request"),
        method=st.sampled_from(["glm/unknown", "$/custom", "", "textDocument/didSave"]),
        params=json_values,
        with_params=st.booleans(),
    )
    # Weighted towards requests the server serves, so the handlers behind them are fuzzed too.
    return st.one_of(
        _request("textDocument/inlineCompletion", inline(True)),
        _request("textDocument/inlineCompletion", inline(True)),
        _request("textDocument/inlineCompletion", inline(False)),
        strict.flatmap(lambda ok: _request("textDocument/completion", _position_params({}, ok))),
        _request("textDocument/codeAction", code_action(True)),
        _request("textDocument/codeAction", code_action(False)),
        _request("workspace/executeCommand", good_command),
        _request("workspace/executeCommand", good_command),
        _request("workspace/executeCommand", good_command),
        _request("workspace/executeCommand", bad_command),
        _request("initialize", st.one_of(st.just({"capabilities": {}}), json_values)),
        _request("textDocument/hover", json_values),
        unknown,
    )


def notifications() -> st.SearchStrategy[Step]:
    """Notifications of the surface with good and bad params."""

    def note(method: str, params: st.SearchStrategy[Any]) -> st.SearchStrategy[Step]:
        return st.builds(Step, kind=st.just("notify"), method=st.just(method), params=params)

    return st.one_of(
        note(
            "textDocument/didSave",
            st.one_of(st.fixed_dictionaries({"textDocument": document_id()}), json_values),
        ),
        note(
            "textDocument/didFocus",
            st.one_of(st.fixed_dictionaries({"textDocument": document_id()}), json_values),
        ),
        note("workspace/didChangeConfiguration", st.one_of(st.just({"settings": {}}), json_values)),
        note(
            "window/workDoneProgress/cancel",
            st.one_of(st.fixed_dictionaries({"token": st.text(max_size=8)}), json_values),
        ),
        note("$/cancelRequest", st.one_of(st.fixed_dictionaries({"id": odd_numbers}), json_values)),
        note("textDocument/didOpen", json_values),
        note("textDocument/didChange", json_values),
        note("initialized", json_values),
        note("glm/unknownNotification", json_values),
    )


def _frames() -> st.SearchStrategy[Step]:
    """Malformed frames, each with the number of id-null errors it must cause."""
    request = b'{"jsonrpc": "2.0", "id": 424242, "method": "shutdown"}'

    def bad(data: bytes, errors: int = 1) -> Step:
        return Step(kind="frame", data=data, null_errors=errors)

    return st.one_of(
        st.binary(min_size=1, max_size=40).map(lambda b: bad(frame(b"\xff" + b))),
        st.text(max_size=20).map(lambda t: bad(frame(("{" + t).encode()))),
        st.integers(min_value=600, max_value=5000).map(
            lambda depth: bad(frame(b"[" * depth + b"]" * depth))
        ),
        st.sampled_from([b"[]", b"5", b'"x"', b"null", b"[1, 2]", b"{}"]).map(
            lambda body: bad(frame(body))
        ),
        st.sampled_from(
            [
                b"Content-Length: abc\r\n\r\n{}",
                b"Content-Length: \r\n\r\n",
                b"Content-Length: -3\r\n\r\n{}",
                b"Content-Length: 99999999999999999999999\r\n\r\n{}",
                b"Content-Length: 300000000\r\n\r\n{}",
                b"garbage without a header\r\n",
                b"Content-Type: text/plain\r\n\r\n",
            ]
        ).map(bad),
        st.integers(min_value=70_000, max_value=400_000).map(lambda n: bad(b"Z" * n)),
        st.just(bad(b"Z" * (2 * 65536 - 3))),
        st.just(bad(b"Content-Length: %d\r\n\r\n" % (len(request) - 5) + request, errors=2)),
    )


@dataclass
class Case:
    """Steps and how the case ends."""

    steps: list[Step]
    ending: str
    """``keep`` (the server serves the next case), ``shutdown`` (+ exit) or ``exit``."""
    early: list[Step] = field(default_factory=list)
    """Sent before ``initialize`` when the case starts a fresh server: every request must get
    ServerNotInitialized, every notification is dropped."""


@st.composite
def _document_steps(draw: st.DrawFn) -> Step:
    name = draw(st.sampled_from(FILES + ("never-opened.py",)))
    kind = draw(st.sampled_from(["open", "change", "change", "close"]))
    if kind == "open":
        text = draw(st.one_of(st.just(FILE_TEXT.get(name, "")), st.text(max_size=200)))
        return Step(kind="open", method=name, params=text)
    if kind == "change":
        change = draw(
            st.one_of(
                st.fixed_dictionaries({"range": ranges(), "text": st.text(max_size=30)}),
                st.fixed_dictionaries({"text": st.text(max_size=200)}),
            )
        )
        return Step(kind="change", method=name, params=change)
    return Step(kind="close", method=name)


def steps() -> st.SearchStrategy[Step]:
    return st.one_of(
        requests(),
        requests(),
        notifications(),
        _frames(),
        _document_steps(),
        _document_steps(),
        st.builds(Step, kind=st.just("cancel"), params=st.integers(min_value=0, max_value=8)),
        st.builds(Step, kind=st.just("reply"), params=json_values),
    )


def cases(max_steps: int = 25) -> st.SearchStrategy[Case]:
    """Cases of up to ``max_steps`` steps; about one in ten ends the server."""
    return st.builds(
        Case,
        steps=st.lists(steps(), min_size=1, max_size=max_steps),
        ending=st.sampled_from(["keep"] * 18 + ["shutdown", "exit"]),
        early=st.lists(steps().filter(lambda step: step.method != "initialize"), max_size=4),
    )


# -- running -----------------------------------------------------------------------------------


def _fill(value: Any, root: str) -> Any:
    """``value`` with the ``{root}`` placeholder replaced by the workspace URI."""
    if isinstance(value, str):
        return value.replace("{root}", root)
    if isinstance(value, list):
        return [_fill(v, root) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, root) for k, v in value.items()}
    return value


@dataclass
class Stats:
    """What a session did, for reports."""

    cases: int = 0
    steps: int = 0
    requests: int = 0
    servers: int = 0
    peak_rss_kb: int = 0
    codes: dict[int, int] = field(default_factory=dict)


class FuzzSession:
    """Runs cases against one server at a time, starting a new one when a case ended it."""

    def __init__(self, workspace: Path, home: Path, endpoint_url: str) -> None:
        self.workspace = workspace
        self.home = home
        self.endpoint_url = endpoint_url
        self.root = workspace.as_uri()
        self.server: RawServer | None = None
        self.stats = Stats()
        for name, text in FILE_TEXT.items():
            (workspace / name).write_text(text, encoding="utf-8")

    async def _server(self, early: list[Step]) -> RawServer:
        """The running server, or a fresh one that got ``early`` before ``initialize``."""
        if self.server is not None and self.server.proc.returncode is None:
            return self.server
        home = self.home / f"server{self.stats.servers}"
        server = self.server = await RawServer.start(home, env_for(self.endpoint_url, self.home))
        self.stats.servers += 1
        sent: list[Any] = []
        null_errors = sum(self._send(server, step, sent) for step in early)
        status = await server.status()
        assert status.get("error", {}).get("code") == SERVER_NOT_INITIALIZED, status
        for msg_id in sent:
            [answer] = server.responses[msg_id]
            code = answer.get("error", {}).get("code")
            assert code == SERVER_NOT_INITIALIZED, f"before initialize: {answer}"
        assert len(server.null_id_errors) == null_errors, server.null_id_errors
        answer = await server.initialize(self.workspace)
        assert "result" in answer, f"initialize answered {answer}"
        return server

    async def close(self) -> None:
        if self.server is not None:
            await self.server.stop()
            self.server = None

    async def run(self, case: Case) -> None:
        """Run one case; AssertionError says what went wrong."""
        server = await self._server(case.early)
        sent: list[Any] = []
        expected_null = len(server.null_id_errors)
        self.stats.cases += 1
        for step in case.steps:
            self.stats.steps += 1
            expected_null += self._send(server, step, sent)
            await self._alive(server, step)
        await self._settle(server, sent, case)
        assert len(server.null_id_errors) == expected_null, (
            f"{len(server.null_id_errors)} errors with id null, {expected_null} expected: "
            f"{server.null_id_errors[-3:]}"
        )
        rss = server.rss_kb() if server.proc.returncode is None else 0
        self.stats.peak_rss_kb = max(self.stats.peak_rss_kb, rss)
        assert rss < RSS_BOUND_KB, f"server RSS {rss} KiB is over {RSS_BOUND_KB} KiB"
        await self._end(server, case.ending)

    def _send(self, server: RawServer, step: Step, sent: list[Any]) -> int:
        root = self.root
        if step.kind == "request":
            msg_id = server.new_id()
            message: dict[str, Any] = {"jsonrpc": "2.0", "id": msg_id, "method": step.method}
            if step.with_params:
                message["params"] = _fill(step.params, root)
            server.send(message)
            sent.append(msg_id)
            self.stats.requests += 1
        elif step.kind == "notify":
            server.send(
                {"jsonrpc": "2.0", "method": step.method, "params": _fill(step.params, root)}
            )
        elif step.kind == "frame":
            server.write(step.data)
            return step.null_errors
        elif step.kind == "cancel":
            target = sent[-1 - step.params] if step.params < len(sent) else 10**9
            server.notify("$/cancelRequest", {"id": target})
        elif step.kind == "reply":
            server.send({"jsonrpc": "2.0", "id": f"stray-{server.new_id()}", "result": step.params})
        else:
            self._document(server, step)
        return 0

    def _document(self, server: RawServer, step: Step) -> None:
        uri = f"{self.root}/{step.method}"
        if step.kind == "open":
            server.open(uri, step.params)
        elif step.kind == "close":
            server.documents.pop(uri, None)
            server.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        else:
            version = server.documents.get(uri, (0, ""))[0] + 1
            if uri in server.documents:
                server.documents[uri] = (version, server.documents[uri][1])
            server.notify(
                "textDocument/didChange",
                {"textDocument": {"uri": uri, "version": version}, "contentChanges": [step.params]},
            )

    async def _alive(self, server: RawServer, step: Step) -> None:
        status = await server.status()
        assert "result" in status, f"glm.status failed after {step}: {status}"

    async def _settle(self, server: RawServer, sent: list[Any], case: Case) -> None:
        """Cancel what still runs; then every request must have exactly one answer."""
        for msg_id in sent:
            if not server.responses.get(msg_id):
                server.notify("$/cancelRequest", {"id": msg_id})
        try:
            await server.until(lambda: all(server.responses.get(i) for i in sent), HANG_SECONDS)
        except AssertionError as exc:
            missing = [i for i in sent if not server.responses.get(i)]
            raise AssertionError(f"requests never answered: {missing} ({exc})") from None
        for msg_id in sent:
            answers = server.responses[msg_id]
            assert len(answers) == 1, f"request {msg_id} got {len(answers)} answers: {answers}"
            error = answers[0].get("error")
            code = error["code"] if error else 0
            self.stats.codes[code] = self.stats.codes.get(code, 0) + 1
            assert code != INTERNAL_ERROR, f"request {msg_id} failed inside the server: {error}"
        unknown = set(server.responses) - set(range(1, server.new_id() + 1))
        assert not unknown, f"responses to ids never sent: {unknown}"
        await self._turns_done(server, sent)

    async def _turns_done(self, server: RawServer, sent: list[Any]) -> None:
        """Every chat turn started (glm.chat.send, glm.explain) ends with exactly one done."""
        turns = set()
        for msg_id in sent:
            result = server.responses[msg_id][0].get("result")
            if isinstance(result, dict) and isinstance(result.get("turnId"), str):
                turns.add(result["turnId"])

        def dones() -> dict[str, int]:
            counts: dict[str, int] = {}
            for note in server.notifications:
                if note["method"] == "glm/chat/done":
                    turn = note["params"]["turnId"]
                    counts[turn] = counts.get(turn, 0) + 1
            return counts

        try:
            await server.until(lambda: turns <= set(dones()), HANG_SECONDS)
        except AssertionError:
            raise AssertionError(f"chat turns without done: {turns - set(dones())}") from None
        twice = {turn: n for turn, n in dones().items() if n > 1}
        assert not twice, f"chat turns with more than one done: {twice}"

    async def _end(self, server: RawServer, ending: str) -> None:
        if ending == "keep":
            return
        if ending == "shutdown":
            answer = await server.call("shutdown")
            assert answer.get("result", "missing") is None, f"shutdown answered {answer}"
            refused = await server.status()
            assert refused.get("error", {}).get("code") == -32600, refused
        server.notify("exit")
        code = await asyncio.wait_for(server.proc.wait(), HANG_SECONDS)
        assert code == (0 if ending == "shutdown" else 1), f"exit status {code} after {ending}"
        await server.stop()


def describe(case: Case) -> str:
    """A short, readable form of a case for reports."""
    parts = []
    for step in case.steps:
        if step.kind == "frame":
            parts.append(f"frame({step.data[:40]!r}...)")
        else:
            shown = json.dumps(step.params, default=repr)[:60]
            parts.append(f"{step.kind}({step.method} {shown})")
    return " -> ".join(parts) + f" -> {case.ending}"
