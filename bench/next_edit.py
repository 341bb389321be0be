"""Next-edit figures: ``.venv/bin/python bench/next_edit.py [--rounds N] [--model-ms MS]``.

Runs the real server (``python -m glm_lsp``) over stdio against the loopback GLM endpoint, in a
git workspace with one Python file of small functions that each use a counter (``count_N``).
A round renames one function's counter on its first line, as a user would, and asks
``glm/nextEdit`` at the end of that line. The endpoint plays a model that reads the region out
of the prompt and answers it with the next line that still uses the old name renamed
(``<rewrite>`` tags), so every answer is one edit and accepting it leads to the next one.

a. Overhead: ``glm/nextEdit`` request-to-answer through glm-lsp minus a direct HTTP request with
   the same body (as the endpoint received it) to the same loopback endpoint, in the same
   round, against an endpoint that answers at once; debounce 0 (``inline.debounceMs: 0``, the
   wait next-edit shares): a chosen wait, not cost. p50 and p90 (goal p50 < 15 ms). The
   direct request waits for the server's speculative request on the answer to end first.
b. Prefetch: the endpoint takes ``--model-ms`` to its first token (default 300). The first
   suggestion of a round is shown for ``--show-ms`` (the user reading it: 0, and 600 ms, a
   realistic time to read and press Tab), then the editor applies it (``didChange``), runs
   the item's command (``glm.nextEdit.accepted``) and, after a pause counted from the accept,
   asks ``glm/nextEdit`` at the end of the accepted text, as the Neovim client does (it asks
   20 ms after a change). The share of these follow-ups answered within 50 ms of being asked
   (goal >= 50 %), for pauses of 20, 250 and 500 ms (``--pauses``); beside it the same round
   without the command (the edit applied all the same), and the server's ``glm.status``
   next-edit counters. The server starts the follow-up when it returns a suggestion (its
   speculation), so with a model of latency L a follow-up is ready within 50 ms when the
   time shown plus the pause is at least about L - 50 ms plus the server's own time: the
   figure is given per time shown and pause, never as one number.
c. The next-edit evaluation (``bench/next_edit_eval.py``, held-out family), its headline;
   skipped with ``--no-eval``.

The endpoint and the client share this process (and its GIL): figures are upper bounds.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchlib import percentile

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import httpx  # noqa: E402
from lsprotocol import types  # noqa: E402
from tests.glm_endpoint import GlmEndpoint  # noqa: E402
from tests.glm_replies import Reply  # noqa: E402

from glm_lsp.edits.nextedit.prompt import CURSOR, REGION_CLOSE, REGION_OPEN, TAG  # noqa: E402
from inline import KEY, Editor  # noqa: E402

FUNCTIONS = 400
WARMUP = 5
READY_MS = 50.0
PAUSES_MS = "20,250,500"
SHOW_MS = "0,600"
"""How long the user reads a suggestion before Tab: at once, and a realistic 0.6 s."""
PREFETCH_FIRST = 200
"""Functions below this are the overhead rounds'."""
_OLD = re.compile(r"\bcount_(\d+)\b")


def source() -> str:
    """Functions of seven lines, each with a counter used four times after its definition."""
    parts = ['"""Bench workspace for next-edit suggestions."""\n']
    for i in range(FUNCTIONS):
        parts.append(
            f"\n\ndef step_{i}(items):\n    count_{i} = 0\n    for item in items:\n"
            f"        count_{i} += item.weight\n    if count_{i} > 10:\n"
            f"        return count_{i} * 2\n    return count_{i}\n"
        )
    return "".join(parts)


def build_workspace(root: Path) -> Path:
    root.mkdir(parents=True)
    path = root / "steps.py"
    path.write_text(source())
    for args in (
        ("init", "-q", "-b", "main"),
        ("-c", "user.email=bench@example.com", "-c", "user.name=bench", "add", "."),
        ("-c", "user.email=bench@example.com", "-c", "user.name=bench", "commit", "-qm", "ws"),
    ):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)
    return path


def is_next_edit(body: Any) -> bool:
    return REGION_OPEN in str(body)


def rewrite(body: Any) -> str:
    """The model's answer: the region with the first line that still uses a renamed counter
    renamed (the region unchanged when there is none)."""
    prompt = str(body["messages"][-1]["content"])
    region = prompt.split(REGION_OPEN + "\n", 1)[1].split(REGION_CLOSE, 1)[0]
    lines = region.replace(CURSOR, "").split("\n")
    renamed = {m.group(1) for line in lines for m in re.finditer(r"\btotal_(\d+)\b", line)}
    for row, line in enumerate(lines):
        match = _OLD.search(line)
        if match and match.group(1) in renamed:
            lines[row] = _OLD.sub(lambda m: f"total_{m.group(1)}", line)
            break
    return "\n".join(lines)


def handler(first_delay: float) -> Any:
    def answer(body: Any) -> Reply | None:
        if not is_next_edit(body):
            return None
        text = rewrite(body)
        cut = len(text) // 2
        pieces = [f"<{TAG}>\n", text[:cut], text[cut:], f"</{TAG}>"]
        return Reply.stream(pieces, first_delay=first_delay, delay=0.005)

    return answer


class NextEditor(Editor):
    """The inline bench's editor, asking ``glm/nextEdit`` and applying its edits."""

    def ask_next(self, uri: str, position: types.Position, msg_id: str) -> asyncio.Future[Any]:
        assert self.client is not None
        params = {
            "textDocument": {"uri": uri, "version": self.versions[uri]},
            "position": {"line": position.line, "character": position.character},
        }
        return asyncio.ensure_future(
            self.client.protocol.send_request_async("glm/nextEdit", params, msg_id=msg_id)
        )

    def apply(self, uri: str, edit: dict[str, Any]) -> types.Position:
        """Apply one suggested edit (ASCII text: code points are UTF-16 units); the end of it."""
        start, end = edit["range"]["start"], edit["range"]["end"]
        lines = self.texts[uri]
        head = lines[start["line"]][: start["character"]]
        tail = lines[end["line"]][end["character"] :]
        new = (head + edit["text"] + tail).split("\n")
        lines[start["line"] : end["line"] + 1] = new
        self.versions[uri] += 1
        assert self.client is not None
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(
                    uri=uri, version=self.versions[uri]
                ),
                content_changes=[
                    types.TextDocumentContentChangePartial(
                        range=types.Range(start=types.Position(**start), end=types.Position(**end)),
                        text=edit["text"],
                    )
                ],
            )
        )
        last = (head + edit["text"]).split("\n")
        return types.Position(line=start["line"] + len(last) - 1, character=len(last[-1]))

    async def accepted(self, edit: dict[str, Any]) -> None:
        assert self.client is not None
        command = edit["command"]
        await self.client.workspace_execute_command_async(
            types.ExecuteCommandParams(command=command["command"], arguments=command["arguments"])
        )

    async def status(self) -> Any:
        assert self.client is not None
        return await self.client.workspace_execute_command_async(
            types.ExecuteCommandParams(command="glm.status", arguments=[])
        )


def edits_of(result: Any) -> list[dict[str, Any]]:
    """The result's edits as plain dicts (pygls hands unknown results back as objects)."""
    raw = result if isinstance(result, dict) else _plain(result)
    return list(raw.get("edits") or [])


def _plain(value: Any) -> Any:
    if hasattr(value, "_asdict"):
        return {k: _plain(v) for k, v in value._asdict().items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "__dict__"):
        return {k: _plain(v) for k, v in vars(value).items()}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def rename_line(editor: NextEditor, uri: str, index: int) -> types.Position:
    """The user renames function ``index``'s counter on its first line."""
    row = editor.texts[uri].index(f"def step_{index}(items):") + 1
    return editor.set_line(uri, row, f"    total_{index} = 0")


def _settled(endpoint: GlmEndpoint, count: int) -> bool:
    """The endpoint got ``count`` requests and answered (or lost) every one of them."""
    records = endpoint.requests
    return len(records) >= count and all(
        r.finished is not None or r.gone is not None for r in records
    )


# -- a. overhead -------------------------------------------------------------------------------


async def overhead(editor: NextEditor, uri: str, rounds: int) -> dict[str, list[float]]:
    endpoint = editor.endpoint
    endpoint.handler = handler(0.0)
    times: dict[str, list[float]] = {"lsp": [], "http": [], "overhead": []}
    async with httpx.AsyncClient() as http:
        for i in range(rounds + WARMUP):
            position = rename_line(editor, uri, i)
            await asyncio.sleep(0.02)
            seen = len(endpoint.requests)
            started = time.perf_counter()
            result = await editor.ask_next(uri, position, f"overhead-{i}")
            lsp_ms = (time.perf_counter() - started) * 1000
            assert edits_of(result), f"no edit suggested: {result}"
            body = endpoint.requests[seen].body
            # the server's speculation on this answer, done before the direct request runs
            await endpoint.until(lambda e, n=seen + 2: _settled(e, n), 10)
            started = time.perf_counter()
            async with http.stream(
                "POST",
                endpoint.url + "/chat/completions",
                json=body,
                headers={"Authorization": f"Bearer {KEY}"},
            ) as response:
                async for _ in response.aiter_lines():
                    pass
            http_ms = (time.perf_counter() - started) * 1000
            if i >= WARMUP:
                times["lsp"].append(lsp_ms)
                times["http"].append(http_ms)
                times["overhead"].append(lsp_ms - http_ms)
    return times


# -- b. prefetch -------------------------------------------------------------------------------


async def follow_up(
    editor: NextEditor, uri: str, index: int, arm: tuple[int, int, bool]
) -> tuple[float, bool] | None:
    """(ms from asking the follow-up to its answer, whether it holds an edit), or None when the
    round's first request suggested nothing. ``arm``: (ms the suggestion is shown before the
    accept, ms from the accept to the follow-up, whether the accept command runs)."""
    show_ms, pause_ms, accept = arm
    position = rename_line(editor, uri, index)
    first = edits_of(await editor.ask_next(uri, position, f"first-{index}"))
    if not first:
        return None
    await asyncio.sleep(show_ms / 1000)
    end = editor.apply(uri, first[0])
    if accept:
        await editor.accepted(first[0])
    await asyncio.sleep(pause_ms / 1000)
    started = time.perf_counter()
    result = await editor.ask_next(uri, end, f"follow-{index}")
    return (time.perf_counter() - started) * 1000, bool(edits_of(result))


Arm = tuple[int, int, bool]
"""(ms shown before the accept, ms from the accept to the follow-up, accept command run)."""


async def prefetch(
    editor: NextEditor, uri: str, rounds: int, model_ms: float, arms: list[Arm]
) -> dict[Arm, list[tuple[float, bool]]]:
    editor.endpoint.handler = handler(model_ms / 1000)
    out: dict[Arm, list[tuple[float, bool]]] = {}
    index = PREFETCH_FIRST
    for arm in arms:
        for _ in range(rounds):
            got = await follow_up(editor, uri, index, arm)
            index += 1
            if got is not None:
                out.setdefault(arm, []).append(got)
            await asyncio.sleep(0.05)
    return out


def _label(arm: Arm) -> str:
    show, pause, accept = arm
    return f"shown {show:>3} ms, pause {pause:>3} ms, {'accepted' if accept else 'no command'}"


# -- main --------------------------------------------------------------------------------------


def _ms(values: list[float]) -> str:
    return f"p50 {percentile(values, 0.5):7.2f} ms  p90 {percentile(values, 0.9):7.2f} ms"


async def run(args: argparse.Namespace) -> None:
    pauses = [int(p) for p in args.pauses.split(",") if p]
    shows = [int(p) for p in args.show_ms.split(",") if p]
    arms = [(show, pause, accept) for show in shows for pause in pauses for accept in (True, False)]
    endpoint = GlmEndpoint().start()
    with tempfile.TemporaryDirectory(prefix="glm-bench-next-") as tmp:
        root, home = Path(tmp) / "ws", Path(tmp) / "home"
        path = build_workspace(root)
        editor = NextEditor(endpoint, home, root, debounce_ms=0)
        await editor.start()
        try:
            uri = editor.open(path)
            await editor.settle([uri])
            times = await overhead(editor, uri, args.rounds)
        finally:
            await editor.stop()
        print(f"a. glm/nextEdit overhead over a direct HTTP request ({args.rounds} rounds,")
        print("   endpoint answering at once, debounce 0)")
        for label in ("lsp", "http", "overhead"):
            print(f"   {label:<9} {_ms(times[label])}")
        p50 = percentile(times["overhead"], 0.5)
        print(f"   overhead p50 {p50:.2f} ms (goal < 15 ms)")
        editor = NextEditor(endpoint, home, root, debounce_ms=None)
        await editor.start()
        try:
            uri = editor.open(path)
            await editor.settle([uri])
            found = await prefetch(editor, uri, args.prefetch_rounds, args.model_ms, arms)
            status = await editor.status()
        finally:
            await editor.stop()
    endpoint.stop()
    print(
        f"\nb. follow-up after an accept: model {args.model_ms:g} ms to its first token,"
        " default (adaptive) debounce; ready = answered within 50 ms of being asked"
    )
    for arm, got in found.items():
        ready = sum(ms <= READY_MS for ms, _ in got)
        edits = sum(has for _, has in got)
        print(
            f"   {_label(arm)}: ready {ready}/{len(got)} ({100 * ready / len(got):5.1f} %),"
            f" {_ms([ms for ms, _ in got])}, with an edit {edits}/{len(got)}"
        )
    met = [
        _label(arm).rsplit(",", 1)[0]
        for arm, got in found.items()
        if arm[2] and sum(ms <= READY_MS for ms, _ in got) * 2 >= len(got)
    ]
    print(f"   goal (>= 50 % of accepted follow-ups ready within 50 ms) met at: {met or 'none'}")
    late = [
        arm[0] + arm[1] + ms
        for arm, got in found.items()
        if arm[2]
        for ms, _ in got
        if ms > READY_MS
    ]
    if late:
        lead = percentile(late, 0.5)
        print(
            f"   follow-up ready {lead:.0f} ms after the suggestion was shown (p50 of the rounds"
            f" not ready at once: shown + pause + answer time): the model's {args.model_ms:g} ms"
            f" + {lead - args.model_ms:.0f} ms"
        )
    print(f"   glm.status nextEdit: {_plain(status).get('nextEdit')}")
    if not args.no_eval:
        print("\nc. ", end="")
        from next_edit_eval.report import main as evaluate

        harmful = evaluate([])
        print(f"   harmful (held-out): {harmful:.2f} % (goal <= 1 %)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=100, help="overhead rounds (<= 190)")
    parser.add_argument("--prefetch-rounds", type=int, default=10, help="rounds per pause/arm")
    parser.add_argument("--model-ms", type=float, default=300.0, help="endpoint's first token")
    parser.add_argument("--pauses", default=PAUSES_MS, help="ms from accept to the follow-up")
    parser.add_argument(
        "--show-ms", default=SHOW_MS, help="ms a suggestion is shown before its accept"
    )
    parser.add_argument("--no-eval", action="store_true", help="skip the next-edit evaluation")
    args = parser.parse_args()
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
