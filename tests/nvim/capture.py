"""Text captures of the glm plugin in a real terminal Neovim (tmux capture-pane).

    .venv/bin/python -m tests.nvim.capture [ghost|chat ...]

Runs Neovim in a detached tmux session against glm-lsp and the loopback GLM endpoint, types
like a user, and writes what the terminal shows to ``editors/nvim/captures/<name>.txt``.
Ghost text is drawn in the Comment colour, which a text capture cannot show: the captured
line reads as if the suggestion were typed, the lines around it show it is not.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.glm_endpoint import GlmEndpoint
from tests.glm_replies import Reply
from tests.nvim.harness import NVIM, ROOT, nvim_env, workspace

OUT = ROOT / "editors" / "nvim" / "captures"
WIDTH, HEIGHT = 100, 24

FIB = "def fib(n):\n"
FIB_BODY = "if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)"
SAMPLE = (
    'def add(a, b):\n    """Return the sum of a and b."""\n    return a + b\n\n\nprint(add(2, 3))\n'
)


class Tmux:
    """One detached tmux session running Neovim."""

    def __init__(self, name: str, env: dict[str, str], cwd: Path, argv: list[str]) -> None:
        self.name = name
        self.socket = cwd.parent / "tmux.sock"
        env_args = [arg for key, value in env.items() for arg in ("-e", f"{key}={value}")]
        self._tmux(
            "new-session", "-d", "-s", name, "-x", str(WIDTH), "-y", str(HEIGHT),
            "-c", str(cwd), *env_args, " ".join(argv),
        )  # fmt: skip

    def _tmux(self, *args: str) -> str:
        out = subprocess.run(
            ["tmux", "-S", str(self.socket), *args], capture_output=True, text=True, check=True
        )
        return out.stdout

    def keys(self, *keys: str, literal: bool = False) -> None:
        self._tmux("send-keys", "-t", self.name, *(["-l"] if literal else []), *keys)

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", self.name)

    def wait(self, predicate: Callable[[str], bool], timeout: float = 20.0) -> str:
        end = time.monotonic() + timeout
        while True:
            text = self.screen()
            if predicate(text):
                return text
            if time.monotonic() > end:
                raise TimeoutError(f"screen never matched:\n{text}")
            time.sleep(0.1)

    def close(self) -> None:
        self.keys("Escape")
        self.keys(":qa!", "Enter")
        time.sleep(1.0)  # Neovim stops glm-lsp, which closes its connections to the endpoint
        subprocess.run(["tmux", "-S", str(self.socket), "kill-server"], capture_output=True)


def _session(tmp: Path, endpoint: GlmEndpoint, files: dict[str, str], open_file: str) -> Tmux:
    ws = workspace(tmp, files)
    env = nvim_env(tmp, GLM_BASE_URL=endpoint.url, TERM="xterm-256color")
    keep = ("HOME", "TERM", "PATH", "GLM_PY", "GLM_PLUGIN", "GLM_BASE_URL", "GLM_LSP_CONFIG")
    env = {k: v for k, v in env.items() if k.startswith("XDG_") or k in keep}
    demo = Path(__file__).with_name("demo.lua")
    return Tmux("glm", env, ws, [str(NVIM), "--clean", "-u", str(demo), open_file])


def _save(name: str, screen: str, note: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    lines = [line.rstrip() for line in screen.rstrip("\n").split("\n")]
    (OUT / f"{name}.txt").write_text(f"# {note}\n" + "\n".join(lines) + "\n")
    print(f"wrote {OUT / name}.txt")


def capture_ghost(tmp: Path) -> None:
    """Ghost text for a function body (first line inline, the rest as virtual lines)."""

    def handler(body: Any) -> Reply | None:
        if "<COMPLETION>" in json.dumps(body):
            return Reply.stream(["<COMPLETION>", FIB_BODY, "</COMPLETION>"])
        return None

    with GlmEndpoint() as endpoint:
        endpoint.handler = handler
        tmux = _session(tmp, endpoint, {"fib.py": FIB}, "fib.py")
        try:
            tmux.wait(lambda s: "GLM" in s and "fib.py" in s)
            tmux.keys("o")
            shown = tmux.wait(lambda s: "return fib(n - 1)" in s)
            _save(
                "ghost",
                shown,
                "Ghost text after `o` in an empty function: the suggested body is not in the "
                "buffer yet (its lines have no numbers); <Tab> accepts it",
            )
            tmux.keys("Tab")
            accepted = tmux.wait(lambda s: re.search(r"^\s*4\s+return fib", s, re.M) is not None)
            _save("ghost-accepted", accepted, "After <Tab>: the suggestion is in the buffer")
        finally:
            tmux.close()


def capture_chat(tmp: Path) -> None:
    """A chat answer streaming in, and the finished answer with its reasoning folded."""
    reply = Reply.stream(
        [
            "`add(a, b)` returns the sum ",
            "of its two arguments",
            " with `+`, so it also joins strings and lists:\n\n",
            "```python\nadd(2, 3)        # 5\nadd('a', 'b')    # 'ab'\n```\n\n",
            "The call at the bottom prints `5`.",
        ],
        reasoning=["The user asks what add does. ", "It returns a + b."],
        delay=0.6,
    )
    with GlmEndpoint(default=reply) as endpoint:
        tmux = _session(tmp, endpoint, {"sample.py": SAMPLE}, "sample.py")
        try:
            tmux.wait(lambda s: "GLM" in s and "sample.py" in s)
            tmux.keys(":GlmChat", "Enter")
            tmux.wait(lambda s: "## You" in s)
            tmux.keys("i")
            tmux.keys("What does add do in #file:sample.py?", literal=True)
            tmux.keys("C-s")
            streaming = tmux.wait(lambda s: "of its two arguments" in s, 30)
            _save("chat-streaming", streaming, ":GlmChat while the answer streams in")
            done = tmux.wait(lambda s: "prints `5`" in s and s.count("## You") >= 2, 30)
            _save("chat", done, ":GlmChat after the answer: reasoning folded, next message below")
        finally:
            tmux.close()


CAPTURES = {"ghost": capture_ghost, "chat": capture_chat}
README = ROOT / "editors" / "nvim" / "README.md"
BEGIN, END = "<!-- captures: written by tests/nvim/capture.py -->", "<!-- /captures -->"
ORDER = ["ghost", "ghost-accepted", "chat-streaming", "chat"]


def update_readme() -> None:
    """Put the saved captures between the README's capture markers."""
    blocks = []
    for name in ORDER:
        path = OUT / f"{name}.txt"
        if path.exists():
            note, _, screen = path.read_text().partition("\n")
            blocks.append(f"{note.removeprefix('# ')}:\n\n```text\n{screen}```\n")
    text = README.read_text()
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    README.write_text(f"{head}{BEGIN}\n" + "\n".join(blocks) + f"{END}{tail}")
    print(f"updated {README}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", choices=[*CAPTURES, []], default=list(CAPTURES))
    args = parser.parse_args(argv)
    if not shutil.which("tmux"):
        print("tmux not found: apt-get install -y tmux", file=sys.stderr)
        return 2
    for name in args.names or list(CAPTURES):
        with tempfile.TemporaryDirectory() as tmp:
            CAPTURES[name](Path(tmp))
    update_readme()
    return 0


if __name__ == "__main__":
    sys.exit(main())
