"""``glm-lsp`` as a person meets it in a terminal: the hint on a tty, Ctrl-C, bad values, and
the address --tcp/--ws listen on. Every case runs the real executable in a subprocess."""

from __future__ import annotations

import os
import pty
import re
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.harness import clean_env

LISTENING = re.compile(r"glm-lsp: listening on (tcp|ws)://127\.0\.0\.1:(\d+)")


def _default_sigint() -> None:
    # A shell running the suite in the background hands its children SIGINT ignored.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def spawn(tmp_path: Path, *args: str, tty: bool = False) -> subprocess.Popen[bytes]:
    """``python -m glm_lsp *args`` with stderr piped; stdin a pty (``tty``) or a pipe."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    if tty:
        master, slave = pty.openpty()
        stdin: int = slave
    else:
        stdin = subprocess.PIPE
    proc = subprocess.Popen(
        [sys.executable, "-m", "glm_lsp", *args],
        stdin=stdin,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=clean_env(home),
        preexec_fn=_default_sigint,
    )
    if tty:
        os.close(slave)
        proc.pty_master = master  # type: ignore[attr-defined]
    return proc


def read_stderr_until(proc: subprocess.Popen[bytes], marker: bytes) -> bytes:
    """Stderr read line by line until a line holds ``marker`` (the pytest timeout bounds it)."""
    assert proc.stderr is not None
    seen = b""
    while marker not in seen:
        line = proc.stderr.readline()
        assert line, f"stderr ended before {marker!r}: {seen!r}"
        seen += line
    return seen


def interrupt(proc: subprocess.Popen[bytes]) -> tuple[int, str]:
    """One SIGINT (Ctrl-C); the exit status and the rest of stderr."""
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    master = getattr(proc, "pty_master", None)
    if master is not None:
        os.close(master)
    return proc.returncode, err.decode(errors="replace")


def test_bare_glm_lsp_on_a_terminal_says_what_it_is_and_one_ctrl_c_ends_it(
    tmp_path: Path,
) -> None:
    """Ensure glm-lsp with a terminal on stdin prints the short paragraph (LSP on stdio, editors
    start it, doctor / --help) on stderr, and one Ctrl-C ends it with 130 and no traceback."""
    proc = spawn(tmp_path, tty=True)
    hint = read_stderr_until(proc, b"Ctrl-C").decode()
    assert "speaks LSP on stdin/stdout" in hint
    assert "editor starts" in hint
    assert "glm-lsp doctor" in hint and "glm-lsp --help" in hint
    status, rest = interrupt(proc)
    assert status == 130, rest
    assert "Traceback" not in rest and "Fatal Python error" not in rest


def test_bare_glm_lsp_from_an_editor_prints_no_hint(tmp_path: Path) -> None:
    """Ensure the terminal paragraph is not printed when stdin is a pipe (an editor), and that
    closing stdin ends the server with status 0 and an empty stderr."""
    proc = spawn(tmp_path)
    _, err = proc.communicate(b"", timeout=60)
    assert proc.returncode == 0, err
    assert b"language server" not in err
    assert b"Traceback" not in err


@pytest.mark.parametrize("transport", ["--tcp", "--ws"])
def test_network_modes_print_the_address_and_one_ctrl_c_ends_them(
    tmp_path: Path, transport: str
) -> None:
    """Ensure --tcp/--ws with port 0 print the address they listen on (a free port that accepts
    a connection), and one Ctrl-C ends them, a client connected, with 130 and no traceback."""
    proc = spawn(tmp_path, transport, "--port", "0")
    line = read_stderr_until(proc, b"listening on").decode()
    match = LISTENING.search(line)
    assert match is not None, line
    assert match.group(1) == transport[2:]
    port = int(match.group(2))
    assert port > 0
    with socket.create_connection(("127.0.0.1", port), timeout=30):
        status, rest = interrupt(proc)
    assert status == 130, rest
    assert "Traceback" not in rest and "Fatal Python error" not in rest


@pytest.mark.parametrize("transport", ["--tcp", "--ws"])
def test_ctrl_c_in_the_instant_a_client_connects_ends_cleanly_every_time(
    tmp_path: Path, transport: str
) -> None:
    """Ensure Ctrl-C sent at once after a client connects (before the server has taken the
    connection in) ends --tcp/--ws with 130 and nothing on stderr after the address, round after
    round: a connection accepted while the loop shuts down once left a coroutine that died with
    a traceback after the loop closed (seen in CI about one run in ten)."""
    for _ in range(8):
        proc = spawn(tmp_path, transport, "--port", "0")
        match = LISTENING.search(read_stderr_until(proc, b"listening on").decode())
        assert match is not None
        with socket.create_connection(("127.0.0.1", int(match.group(2))), timeout=30):
            status, rest = interrupt(proc)
        assert (status, rest) == (130, "")


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A port on 127.0.0.1 another socket is listening on."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        yield listener.getsockname()[1]


def run_bad(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    return subprocess.run(
        [sys.executable, "-m", "glm_lsp", *args],
        stdin=subprocess.DEVNULL,
        env=clean_env(home),
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--tcp", "--port", "99999"], "--port 99999: a port is a number from 0 to 65535"),
        (["--ws", "--port", "-1"], "--port -1: a port is a number from 0 to 65535"),
        (["--log-file", "/nonexistent-glm-folder/x.log"], "the folder /nonexistent-glm-folder"),
        (["--tcp", "--host", "no-such-host.invalid"], "--host no-such-host.invalid"),
    ],
    ids=["port-too-big", "port-negative", "log-folder-missing", "unknown-host"],
)
def test_bad_values_give_one_line_and_exit_2(tmp_path: Path, args: list[str], words: str) -> None:
    """Ensure each bad value is one line on stderr naming it, exit status 2, no traceback."""
    proc = run_bad(tmp_path, *args)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1, proc.stderr
    assert proc.stderr.startswith("glm-lsp: ")
    assert words in proc.stderr
    assert proc.stdout == ""


def test_a_log_file_that_cannot_be_written_gives_one_line(tmp_path: Path) -> None:
    """Ensure --log-file naming a folder (not a writable file) is one line, exit 2."""
    proc = run_bad(tmp_path, "--log-file", str(tmp_path), "doctor", "--no-network")
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1, proc.stderr
    assert "cannot write there" in proc.stderr


@pytest.mark.parametrize("transport", ["--tcp", "--ws"])
def test_a_port_in_use_gives_one_line_and_exit_2(
    tmp_path: Path, busy_port: int, transport: str
) -> None:
    """Ensure --tcp/--ws on a port another program listens on is one line, exit 2."""
    proc = run_bad(tmp_path, transport, "--port", str(busy_port))
    assert proc.returncode == 2
    assert proc.stderr == (
        f"glm-lsp: cannot listen on 127.0.0.1:{busy_port}: already in use; choose another --port\n"
    )
