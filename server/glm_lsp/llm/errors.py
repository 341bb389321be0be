"""Turn a host's error answer into one of our errors, by business code first, status second.

Z.ai answers 429 both for "slow down" (1302, retry) and for "no money" (1113, do not retry), so
the HTTP status alone cannot decide; the business code inside ``{"error": {"code", "message"}}``
does (glm-api.md §4.3). OpenRouter puts the HTTP status in an integer ``code``, DeepInfra may
answer ``{"detail": ...}``; both fall back to the status table. Every message names the remedy
and quotes the host's own words masked by the key guard first, cut to 300 characters after.
"""

from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Mapping
from typing import Any

import httpx

from glm_lsp.errors import (
    ApiError,
    AuthError,
    BadRequestError,
    BillingError,
    ConnectError,
    ConnectTimeout,
    ContentBlocked,
    ContextTooLong,
    FirstByteTimeout,
    ModelError,
    QuotaError,
    RateLimitError,
    ServerError,
    StreamBroken,
    StreamStalled,
    UpstreamError,
)
from glm_lsp.keyguard import mask_secrets, mask_then_cut, remember
from glm_lsp.llm.providers import ProviderPreset

__all__ = [
    "HOST_MESSAGE_CHARS",
    "error_from_body",
    "error_from_payload",
    "host_label",
    "retry_after_seconds",
    "transport_error",
]

HOST_MESSAGE_CHARS = 300
"""How much of the host's own message an error quotes (after masking)."""
HOST_CODE_CHARS = 40

_LABELS = {
    "zai": "Z.ai",
    "zai-coding": "Z.ai",
    "bigmodel": "BigModel",
    "deepinfra": "DeepInfra",
    "together": "Together",
    "openrouter": "OpenRouter",
}

_AUTH = (
    "the API key was rejected — check {keys} or glm.apiKey "
    "(keys of z.ai, bigmodel.cn and the GLM Coding Plan are not interchangeable)"
)
_ACCOUNT = (
    "the account behind this key is inactive, locked or missing — check it on the provider's site"
)
_PARAMS = (
    "the host rejected the request parameters — likely a glm-lsp bug; please report it with the log"
)
_SERVER = "the host had an internal error — retried; if it persists, try again later"
_NO_API = "this API is not available to the key — check glm.provider and glm.baseUrl"
_RESETS = "wait until it resets (the time is in the host's message)"

_ZAI_CODES: Mapping[int, tuple[type[ApiError], str]] = {
    **{code: (AuthError, _AUTH) for code in (1000, 1001, 1002, 1003, 1004)},
    **{code: (AuthError, _ACCOUNT) for code in (1100, 1110, 1111, 1112, 1121)},
    1113: (BillingError, "{billing}"),
    1120: (ServerError, "the account could not be reached — retried; try again later"),
    **{code: (BadRequestError, _PARAMS) for code in (1200, 1210, 1212, 1213, 1214, 1215, 1231)},
    1211: (ModelError, "the model does not exist on this host — check glm.model"),
    **{code: (ModelError, _NO_API) for code in (1220, 1221, 1222)},
    500: (ServerError, _SERVER),
    1230: (ServerError, _SERVER),
    1234: (ServerError, "the host reported a network error — retried; try again later"),
    1261: (ContextTooLong, "the prompt is longer than the model accepts — send less context"),
    1300: (ContentBlocked, "the host's policy blocked the request — rephrase it"),
    1301: (ContentBlocked, "the host's moderation flagged the prompt or answer — rephrase it"),
    1302: (RateLimitError, "too many concurrent requests — wait a moment, or run fewer at once"),
    1303: (RateLimitError, "requests are too frequent — wait a moment"),
    1304: (QuotaError, "the daily call limit is reached — wait until tomorrow or upgrade the plan"),
    1305: (RateLimitError, "the model is overloaded — wait a moment and try again"),
    1308: (QuotaError, "the plan's usage window is exhausted — " + _RESETS),
    1309: (BillingError, "the GLM Coding Plan has expired — renew it, or use provider zai"),
    1310: (QuotaError, "the weekly or monthly limit is exhausted — " + _RESETS),
    1311: (ModelError, "the plan does not include this model — choose another glm.model"),
    1312: (RateLimitError, "the model is under high traffic — wait, or choose another glm.model"),
    1313: (QuotaError, "the account is rate-restricted (Fair Use Policy) — contact Z.ai support"),
}


def host_label(preset: ProviderPreset) -> str:
    """How messages name the host: ``Z.ai``, ``OpenRouter``, ..."""
    return _LABELS.get(preset.name, "the host")


def _billing_remedy(preset: ProviderPreset) -> str:
    if preset.name == "zai-coding":
        return (
            "account balance or plan does not cover this endpoint — check the GLM Coding Plan "
            "subscription, or use provider zai for a pay-as-you-go key"
        )
    return (
        "account balance or plan does not cover this endpoint — top up, or use provider "
        "zai-coding for a GLM Coding Plan key"
    )


def _status_rule(status: int, payload: Any) -> tuple[type[ApiError], str]:
    if status == 401:
        return AuthError, _AUTH
    if status == 402:
        return BillingError, "out of credits — top up the account"
    if status == 403:
        error = payload.get("error") if isinstance(payload, dict) else None
        if isinstance(error, dict) and isinstance(error.get("metadata"), dict):
            return ContentBlocked, "the host's moderation blocked the request — rephrase it"
        return AuthError, "the key may not use this model or endpoint — check glm.apiKey"
    if status == 404:
        return ModelError, "model or endpoint not found — check glm.model and glm.baseUrl"
    if status == 408:
        return ServerError, "the host timed out — retried; try again later"
    if status == 413:
        return ContextTooLong, "the request is too large for the host — send less context"
    if status == 429:
        return RateLimitError, "rate limited — wait a moment, or run fewer requests at once"
    if 400 <= status < 500:
        return BadRequestError, _PARAMS
    return ServerError, _SERVER


def _code_and_message(payload: Any) -> tuple[Any, str]:
    if not isinstance(payload, dict):
        return None, "" if payload is None else str(payload)
    error = payload.get("error")
    if isinstance(error, dict):
        message = error.get("message") or error.get("msg") or ""
        return error.get("code"), str(message)
    if isinstance(error, str):
        return payload.get("code"), error
    detail = payload.get("detail")
    if isinstance(detail, str):
        return None, detail
    if isinstance(detail, dict):
        return detail.get("code"), str(detail.get("error") or detail.get("message") or detail)
    if isinstance(detail, list):
        parts = [
            str(item.get("msg", item)) if isinstance(item, dict) else str(item) for item in detail
        ]
        return None, "; ".join(parts)
    return payload.get("code"), str(payload.get("message") or "")


def _as_int(code: Any) -> int | None:
    try:
        return int(str(code).strip())
    except ValueError:
        return None


def error_from_payload(
    preset: ProviderPreset,
    status: int | None,
    payload: Any,
    *,
    retry_after: float | None = None,
    secret: str = "",
) -> ApiError:
    """The error for an error body (``status`` is None for an error frame inside a stream)."""
    raw_code, host_message = _code_and_message(payload)
    remember(secret)
    if raw_code is not None and not isinstance(raw_code, int):
        raw_code = mask_then_cut(str(raw_code), HOST_CODE_CHARS)
    number = _as_int(raw_code) if raw_code is not None else None
    rule: tuple[type[ApiError], str] | None = None
    label = ""
    if number is not None and number in _ZAI_CODES:
        rule = _ZAI_CODES[number]
        label = str(number)
    elif number is not None and 400 <= number < 600:
        rule = _status_rule(number, payload)
        label = f"HTTP {status or number}"
    if rule is None and status is not None:
        rule = _status_rule(status, payload)
        label = f"HTTP {status}" if raw_code is None else f"HTTP {status} {raw_code}"
    if rule is None:
        rule = (ServerError, "the host reported an error mid-stream — try again")
        label = "error" if raw_code is None else str(raw_code)
    cls, remedy = rule
    remedy = remedy.format(keys=" or ".join(preset.key_env_vars), billing=_billing_remedy(preset))
    message = f"{host_label(preset)} {label}: {remedy}"
    # The host's words are untrusted and may echo the key: mask, then cut. The first cut, far
    # beyond the quote, only bounds the work: the guard masks a key's head at a cut end.
    host_message = mask_secrets(host_message[: HOST_MESSAGE_CHARS * 16])
    host_message = mask_then_cut(" ".join(host_message.split()), HOST_MESSAGE_CHARS)
    if host_message:
        message += f" (host said: {host_message})"
    code = None if raw_code is None else str(raw_code)
    return cls(message, status=status, code=code, retry_after=retry_after)


def error_from_body(
    preset: ProviderPreset,
    status: int,
    body: bytes,
    headers: Mapping[str, str],
    *,
    secret: str = "",
) -> ApiError:
    """The error for a non-2xx (or non-SSE) HTTP answer with ``body``."""
    text = body.decode("utf-8", errors="replace")
    try:
        payload: Any = json.loads(text)
    except ValueError:
        text = mask_then_cut(text.strip()[: HOST_MESSAGE_CHARS * 16], HOST_MESSAGE_CHARS)
        payload = {"error": {"message": text}} if text else None
    return error_from_payload(
        preset, status, payload, retry_after=retry_after_seconds(headers), secret=secret
    )


def retry_after_seconds(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds the host asks us to wait (``Retry-After-Ms`` or ``Retry-After``), if it says."""
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            return max(float(millis) / 1000.0, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - (time.time() if now is None else now), 0.0)


def transport_error(exc: Exception, base_url: str, *, started: bool) -> UpstreamError:
    """Our error for an httpx failure or a timeout; ``started``: the first event had come."""
    if isinstance(exc, httpx.ConnectTimeout):
        return ConnectTimeout(
            f"could not connect to {base_url} in time — check glm.baseUrl and the network"
        )
    if isinstance(exc, httpx.ConnectError):
        return ConnectError(
            f"could not connect to {base_url} ({exc}) — check glm.baseUrl and the network"
        )
    if isinstance(exc, (TimeoutError, httpx.TimeoutException)):
        if started:
            return StreamStalled("the host stopped sending mid-answer — try again")
        return FirstByteTimeout(
            "the host accepted the request but did not start answering in time — try again later"
        )
    return StreamBroken(
        f"the connection to the host broke ({type(exc).__name__}: {exc}) — try again"
    )
