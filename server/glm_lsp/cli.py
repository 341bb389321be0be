"""The ``glm-lsp`` command: serve over stdio (default), TCP or WebSocket, or run ``doctor``."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from glm_lsp import __version__

if TYPE_CHECKING:
    from glm_lsp.lsp.server import GlmLanguageServer

__all__ = ["build_parser", "main"]

_EPILOG = """\
examples:
  glm-lsp                         serve over stdio (what editors start)
  glm-lsp --tcp --port 2087       serve over TCP on 127.0.0.1:2087
  glm-lsp doctor                  check settings, key, endpoint and git
  glm-lsp doctor --no-network     the same without contacting the endpoint
"""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and docs)."""
    parser = argparse.ArgumentParser(
        prog="glm-lsp",
        description="GLM-4.6 / GLM-4.7 coding assistance over the Language Server Protocol.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"glm-lsp {__version__}")
    transport = parser.add_mutually_exclusive_group()
    transport.add_argument("--stdio", action="store_true", help="serve over stdio (default)")
    transport.add_argument("--tcp", action="store_true", help="serve over TCP")
    transport.add_argument("--ws", action="store_true", help="serve over WebSocket")
    parser.add_argument("--host", default="127.0.0.1", help="address for --tcp/--ws")
    parser.add_argument("--port", type=int, default=2087, help="port for --tcp/--ws")
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


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``glm-lsp`` executable."""
    args = build_parser().parse_args(argv)
    from glm_lsp.logs import configure_logging

    configure_logging(args.verbose, args.log_file)
    if args.command == "doctor":
        from glm_lsp.doctor import run_doctor

        return run_doctor(network=not args.no_network)

    server = _build_server()
    # Start-up objects live as long as the process: keep the collector from rescanning them
    # (full collections in worker threads otherwise stall the event loop).
    gc.freeze()
    if args.tcp:
        server.start_tcp(args.host, args.port)
    elif args.ws:
        try:
            server.start_ws(args.host, args.port)
        except ImportError:
            print("glm-lsp: --ws needs `pip install 'glm-lsp[ws]'`", file=sys.stderr)
            return 2
    else:
        server.start_io()
    return server.exit_code
