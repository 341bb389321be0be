"""What the first-run Neovim tests need around Neovim: a PATH without glm-lsp, and a terminal."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path


def path_without_glm_lsp(bin_dir: Path) -> str:
    """``PATH`` minus every folder holding a ``glm-lsp``, with ``bin_dir`` first holding a
    ``python3`` that is this interpreter's base Python (>= 3.10, with venv and ensurepip)."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    python = bin_dir / "python3"
    if not python.exists():
        base = Path(sys.base_prefix) / "bin" / f"python{sys.version_info[0]}.{sys.version_info[1]}"
        python.symlink_to(base if base.exists() else Path(sys.executable).resolve())
    kept = [
        folder
        for folder in os.environ.get("PATH", "").split(os.pathsep)
        if folder and not (Path(folder) / "glm-lsp").exists()
    ]
    return os.pathsep.join([str(bin_dir), *kept])


def run_in_terminal(
    argv: list[str], env: dict[str, str], cwd: Path, done: Path, rows: int = 24, cols: int = 80
) -> str:
    """Run ``argv`` in a pseudo-terminal of ``rows`` x ``cols`` until the file ``done`` exists
    (60 s hang guard), then quit it with ``:qa!``; returns everything it drew, as text."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    proc = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=cwd, start_new_session=True
    )
    os.close(slave)
    drawn = bytearray()

    def drain(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                try:
                    drawn.extend(os.read(master, 65536))
                except OSError:
                    return

    try:
        guard = time.monotonic() + 60
        while not done.exists() and time.monotonic() < guard and proc.poll() is None:
            drain(0.1)
        drain(0.3)
        os.write(master, b"\x1b:qa!\r")
        drain(0.5)
        proc.wait(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    return drawn.decode("utf-8", "replace")
