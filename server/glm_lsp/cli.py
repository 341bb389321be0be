"""The ``glm-lsp`` command: serve over stdio (default), TCP or WebSocket, or run ``doctor``.

Exit status: 0 after a clean stop, 1 when ``exit`` came without ``shutdown`` (LSP) or doctor
found the setup unusable, 2 for a bad option value (one line on stderr), 130 after Ctrl-C.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import signal
import socket
import sys
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from glm_lsp import __version__

if TYPE_CHECKING:
    from glm_lsp.lsp.server import GlmLanguageServer

__all__ = ["build_parser", "main", "version_line"]

EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

_EPILOG = """\
examples:
  glm-lsp                         serve over stdio (what editors start)
  glm-lsp --tcp --port 2087       serve over TCP on 127.0.0.1:2087
  glm-lsp doctor                  check settings, key, endpoint and git
  glm-lsp doctor --no-network     the same without contacting the endpoint
  glm-lsp acp                     serve the Agent Client Protocol on stdio (Zed, JetBrains, ...)

exit status: 0 ok, 1 unusable (doctor) or exit without shutdown, 2 bad option, 130 Ctrl-C
"""

TERMINAL_HINT = (
    "glm-lsp: this is a language server; it speaks LSP on stdin/stdout, and your editor starts\n"
    "it for you. To check your setup run `glm-lsp doctor`; for the options, `glm-lsp --help`.\n"
    "Press Ctrl-C to quit.\n"
)


class UsageError(Exception):
    """A bad option value: one line for stderr, exit status 2."""


def version_line() -> str:
    """What ``--version`` prints: the version, the Python running it and where it is installed."""
    location = Path(__file__).resolve().parent
    return f"glm-lsp {__version__} (Python {sys.version.split()[0]}) is installed at {location}"


class _VersionAction(argparse.Action):
    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, help="print the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        print(version_line())
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and docs)."""
    parser = argparse.ArgumentParser(
        prog="glm-lsp",
        description="GLM-4.6 / GLM-4.7 coding assistance over the Language Server Protocol.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_VersionAction)
    transport = parser.add_mutually_exclusive_group()
    transport.add_argument("--stdio", action="store_true", help="serve over stdio (default)")
    transport.add_argument("--tcp", action="store_true", help="serve over TCP")
    transport.add_argument("--ws", action="store_true", help="serve over WebSocket")
    parser.add_argument("--host", default="127.0.0.1", help="address for --tcp/--ws")
    parser.add_argument(
        "--port", type=int, default=2087, help="port for --tcp/--ws (0 picks a free one)"
    )
    parser.add_argument("--log-file", metavar="PATH", help="write logs to PATH instead of stderr")
    parser.add_argument(
        "-v", "--verbose", action="count", default=0, help="more logging (-v info, -vv debug)"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    doctor = commands.add_parser(
        "doctor", help="print resolved settings and check the endpoint and git"
    )
    doctor.add_argument(
        "--no-network", action="store_true", help="do not send the 1-token test request"
    )
    commands.add_parser("acp", help="serve the Agent Client Protocol on stdio (docs/acp.md)")
    return parser


def _build_server() -> GlmLanguageServer:
    """Import and build the server, reusing compiled attrs/cattrs code from the last start
    (``codecache``; set GLM_LSP_NO_CODE_CACHE=1 to skip it)."""
    if os.environ.get("GLM_LSP_NO_CODE_CACHE"):
        from glm_lsp.lsp.app import create_server

        return create_server()
    from glm_lsp.codecache import code_cache

    with code_cache():
        from glm_lsp.lsp.app import create_server

        return create_server()


def _check_log_file(path: str | None) -> None:
    if path is None:
        return
    folder = Path(path).expanduser().resolve().parent
    if not folder.is_dir():
        raise UsageError(f"--log-file {path}: the folder {folder} does not exist; create it first")
    try:
        with open(path, "a", encoding="utf-8"):
            pass
    except OSError as exc:
        raise UsageError(f"--log-file {path}: cannot write there ({exc.strerror})") from None


def _claim_port(host: str, port: int) -> int:
    """The port ``--tcp``/``--ws`` will listen on, checked free (0 picks one); UsageError if not."""
    if not 0 <= port <= 65535:
        raise UsageError(f"--port {port}: a port is a number from 0 to 65535 (0 picks a free one)")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        family, kind, proto, _, address = infos[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
            chosen: int = probe.getsockname()[1]
            return chosen
    except socket.gaierror as exc:
        raise UsageError(
            f"--host {host}: not an address of this machine ({exc.strerror})"
        ) from None
    except OSError as exc:
        reason = "already in use" if exc.errno == 98 else exc.strerror
        raise UsageError(
            f"cannot listen on {host}:{port}: {reason}; choose another --port"
        ) from None


def _serve(server: GlmLanguageServer, args: argparse.Namespace) -> int:
    if not (args.tcp or args.ws):
        server.start_io()
        return server.exit_code
    from glm_lsp.lsp.frames import serve_tcp, serve_ws

    scheme = "tcp" if args.tcp else "ws"

    def announce(host: str, port: int) -> None:
        shown = f"[{host}]" if ":" in host else host
        print(f"glm-lsp: listening on {scheme}://{shown}:{port}", file=sys.stderr, flush=True)

    serve = serve_tcp if args.tcp else serve_ws
    serve(server, args.host, args.port, announce)
    return server.exit_code


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``glm-lsp`` executable."""
    args = build_parser().parse_args(argv)
    try:
        _check_log_file(args.log_file)
        if args.tcp or args.ws:
            _claim_port(args.host, args.port)
        if args.ws:
            import websockets  # noqa: F401
    except UsageError as exc:
        print(f"glm-lsp: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ImportError:
        print("glm-lsp: --ws needs the ws extra: pip install 'glm-lsp[ws]'", file=sys.stderr)
        return EXIT_USAGE
    from glm_lsp.logs import configure_logging

    configure_logging(args.verbose, args.log_file)
    if args.command == "doctor":
        from glm_lsp.doctor import run_doctor

        try:
            return run_doctor(network=not args.no_network)
        except BrokenPipeError:  # `glm-lsp doctor | head`
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 0
    if args.command == "acp":
        from glm_lsp.acp import serve

        return serve()
    return _run_server(args)


def _run_server(args: argparse.Namespace) -> int:
    interrupted: list[bool] = []

    def on_interrupt(signum: int, frame: FrameType | None) -> None:
        interrupted.append(True)
        # Tasks cancelled on the way out are expected now; asyncio would log each one.
        logging.getLogger("asyncio").disabled = True
        signal.default_int_handler(signum, frame)

    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, on_interrupt)
    stdio = not (args.tcp or args.ws)
    try:
        if stdio and sys.stdin.isatty():
            sys.stderr.write(TERMINAL_HINT)
            sys.stderr.flush()
        server = _build_server()
        # Start-up objects live as long as the process: keep the collector from rescanning them
        # (full collections in worker threads otherwise stall the event loop).
        gc.freeze()
        status = _serve(server, args)
    except UsageError as exc:
        print(f"glm-lsp: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        interrupted.append(True)
    if not interrupted:
        return status
    if stdio:
        # The stdin reader thread is blocked in a read that holds stdin's lock; a normal
        # interpreter shutdown would abort on it ("Fatal Python error"), so leave at once.
        logging.shutdown()
        sys.stderr.flush()
        os._exit(EXIT_INTERRUPTED)
    return EXIT_INTERRUPTED
