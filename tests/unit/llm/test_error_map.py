"""Error answers are classified by business code first, HTTP status second, with a remedy."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from glm_lsp.errors import (
    AuthError,
    BadRequestError,
    BillingError,
    ConnectError,
    ContentBlocked,
    ContextTooLong,
    ModelError,
    QuotaError,
    RateLimitError,
    ServerError,
)
from glm_lsp.llm import PRESETS, error_from_body, error_from_payload, retry_after_seconds


def zai(code: Any, message: str = "msg") -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}


ROWS = [
    (
        "zai",
        401,
        zai("1002"),
        AuthError,
        "Z.ai 1002: the API key was rejected — check GLM_API_KEY or ZAI_API_KEY",
    ),
    (
        "zai",
        429,
        zai("1113"),
        BillingError,
        "Z.ai 1113: account balance or plan does not cover this endpoint — top up, "
        "or use provider zai-coding",
    ),
    ("zai-coding", 429, zai("1113"), BillingError, "use provider zai for a pay-as-you-go key"),
    ("zai", 429, zai("1302"), RateLimitError, "Z.ai 1302: too many concurrent requests"),
    ("zai", 429, zai(1305), RateLimitError, "Z.ai 1305: the model is overloaded"),
    ("zai", 429, zai("1312"), RateLimitError, "choose another glm.model"),
    ("zai", 429, zai("1304"), QuotaError, "daily call limit"),
    ("zai", 429, zai("1308"), QuotaError, "wait until it resets"),
    ("zai", 429, zai("1310"), QuotaError, "weekly or monthly"),
    ("zai", 429, zai("1313"), QuotaError, "Fair Use Policy"),
    ("zai", None, zai("1309"), BillingError, "Coding Plan has expired"),
    ("zai", 400, zai("1261"), ContextTooLong, "send less context"),
    ("zai", 400, zai("1301"), ContentBlocked, "moderation"),
    ("zai", 400, zai("1211"), ModelError, "check glm.model"),
    ("zai", 400, zai("1214", "Invalid messages"), BadRequestError, "host said: Invalid messages"),
    ("zai", 500, zai("500"), ServerError, "Z.ai 500: the host had an internal error"),
    ("zai", 400, zai("9999"), BadRequestError, "Z.ai HTTP 400 9999"),
    (
        "openrouter",
        402,
        zai(402, "Insufficient credits"),
        BillingError,
        "OpenRouter HTTP 402: out of credits",
    ),
    (
        "openrouter",
        403,
        {"error": {"code": 403, "message": "flagged", "metadata": {"reasons": ["x"]}}},
        ContentBlocked,
        "moderation",
    ),
    ("openrouter", None, zai(502, "Provider disconnected"), ServerError, "OpenRouter HTTP 502"),
    ("openrouter", None, {"error": {"message": "boom"}}, ServerError, "mid-stream"),
    (
        "deepinfra",
        429,
        {"detail": "Rate limited"},
        RateLimitError,
        "DeepInfra HTTP 429: rate limited — wait a moment, or run fewer requests at once "
        "(host said: Rate limited)",
    ),
    ("deepinfra", 422, {"detail": [{"msg": "field required"}]}, BadRequestError, "field required"),
    ("deepinfra", 404, {"detail": {"error": "model not found"}}, ModelError, "model not found"),
    ("together", 503, None, ServerError, "Together HTTP 503"),
    ("custom", 401, {"error": "bad key"}, AuthError, "the host HTTP 401"),
]


@pytest.mark.parametrize(("provider", "status", "payload", "cls", "text"), ROWS)
def test_error_classification_and_remedy(
    provider: str, status: int | None, payload: Any, cls: type[Exception], text: str
) -> None:
    """Each host's error shape maps to the right class, with a message naming the remedy."""
    error = error_from_payload(PRESETS[provider], status, payload)
    assert type(error) is cls
    assert text in str(error)


@pytest.mark.parametrize(
    ("code", "retryable"),
    [("1302", True), ("1303", True), ("1305", True), ("1312", True), ("500", True),
     ("1113", False), ("1304", False), ("1308", False), ("1002", False), ("1261", False)],
)  # fmt: skip
def test_only_retryable_business_codes_are_retryable(code: str, retryable: bool) -> None:
    """Behind the same HTTP 429, rate limits retry and billing or quota errors do not."""
    assert error_from_payload(PRESETS["zai"], 429, zai(code)).retryable is retryable


def test_error_body_keeps_status_code_and_retry_after() -> None:
    """An HTTP answer's status, business code and Retry-After reach the error."""
    body = b'{"error":{"code":"1305","message":"busy"},"request_id":"20260408"}'
    error = error_from_body(PRESETS["zai"], 429, body, httpx.Headers({"Retry-After": "3"}))
    assert (error.status, error.code, error.retry_after) == (429, "1305", 3.0)


def test_non_json_error_body_is_quoted_briefly() -> None:
    """A proxy's HTML 502 becomes a ServerError quoting the start of the body."""
    error = error_from_body(PRESETS["zai"], 502, b"<html>Bad gateway</html>" * 50, {})
    assert isinstance(error, ServerError)
    assert "host said: <html>Bad gateway" in str(error)
    assert len(str(error)) < 500


def test_the_key_is_scrubbed_from_host_messages() -> None:
    """A host that echoes the key does not get it into our message."""
    error = error_from_payload(
        PRESETS["zai"], 401, zai("1002", "bad token sk-abc123"), secret="sk-abc123"
    )
    assert "sk-abc123" not in str(error) and "***" in str(error)


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"retry-after": "2"}, 2.0),
        ({"retry-after": "0.5"}, 0.5),
        ({"retry-after-ms": "250", "retry-after": "9"}, 0.25),
        ({"retry-after": "Wed, 21 Oct 2026 07:28:10 GMT"}, 10.0),
        ({"retry-after": "soon"}, None),
        ({}, None),
    ],
)
def test_retry_after_forms(headers: dict[str, str], seconds: float | None) -> None:
    """Retry-After in seconds or as an HTTP date, and Retry-After-Ms, are understood."""
    now = 1792567680.0  # 2026-10-21 07:28:00 UTC
    assert retry_after_seconds(headers, now=now) == seconds


def test_transport_errors_name_the_setting() -> None:
    """A refused connection names glm.baseUrl."""
    from glm_lsp.llm import transport_error

    error = transport_error(httpx.ConnectError("refused"), "http://h/v1", started=False)
    assert isinstance(error, ConnectError) and "glm.baseUrl" in str(error)
