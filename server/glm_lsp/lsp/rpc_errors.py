"""Reading what a client sent wrong: message ids, params errors, rejected command arguments.

Helpers of ``CancellableProtocol`` (``protocol.py``), free of pygls' protocol state.
"""

from __future__ import annotations

import asyncio
import functools
import re
from collections.abc import Callable
from typing import Any, Union

import cattrs
from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams

__all__ = [
    "MsgId",
    "argument_errors",
    "describe_params_error",
    "is_notification_method",
    "is_request_method",
    "readable_id",
]

MsgId = Union[int, str]  # noqa: UP007 - a runtime alias on Python 3.10


def readable_id(message: Any) -> MsgId | None:
    """The message's id when it is a valid JSON-RPC id (an integer or a string)."""
    if not isinstance(message, dict):
        return None
    msg_id = message.get("id")
    if isinstance(msg_id, bool) or not isinstance(msg_id, (int, str)):
        return None
    return msg_id


def _camel(path: str) -> str:
    return re.sub(r"_([a-z])", lambda m: m.group(1).upper(), path)


def describe_params_error(method: str, exc: BaseException) -> str:
    """``exc`` (from structuring params) as one line naming the fields at fault."""
    if isinstance(exc, (cattrs.ClassValidationError, cattrs.IterableValidationError)):
        problems = [_camel(p) for p in cattrs.transform_error(exc, path="$")]
        problems = [
            p.replace(" @ $.params.", " @ ").replace(" @ $.params", " @ params") for p in problems
        ]
        text = "; ".join(problems[:4]) + ("; ..." if len(problems) > 4 else "")
    else:
        text = f"{type(exc).__name__}: {exc}"
    return f"invalid params for {method}: {text}"[:600]


def is_notification_method(method: str) -> bool:
    """A method the LSP defines as a notification."""
    known = types.METHOD_TO_TYPES.get(method)
    return known is not None and known[1] is None


def is_request_method(method: str) -> bool:
    """A method the LSP defines as a request."""
    known = types.METHOD_TO_TYPES.get(method)
    return known is not None and known[1] is not None


def argument_errors(command: str, handler: Callable[..., Any]) -> Callable[..., Any]:
    """``handler`` with its ``ValueError`` (a rejected argument) raised as ``InvalidParams``."""

    def refused(exc: ValueError) -> JsonRpcInvalidParams:
        return JsonRpcInvalidParams(f"{command}: {exc}")

    if asyncio.iscoroutinefunction(handler):

        @functools.wraps(handler)
        async def run_async(*args: Any, **kwargs: Any) -> Any:
            try:
                return await handler(*args, **kwargs)
            except ValueError as exc:
                raise refused(exc) from exc

        return run_async

    @functools.wraps(handler)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return handler(*args, **kwargs)
        except ValueError as exc:
            raise refused(exc) from exc

    return run
