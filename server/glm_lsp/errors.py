"""Errors that reach the user, each one naming its remedy.

Hierarchy::

    GlmLspError                      anything glm-lsp reports to the user
    ├── ConfigError                  a setting is invalid (names the key)
    ├── NeedsKeyError                no API key is configured
    └── UpstreamError                the model host failed a request
        ├── TransportError           no usable HTTP exchange
        │   ├── ConnectError         could not connect
        │   ├── ConnectTimeout       connecting took too long
        │   ├── FirstByteTimeout     connected, but no first event in time
        │   ├── StreamStalled        the gap between two chunks was too long
        │   └── StreamBroken         the connection dropped mid-stream
        ├── ApiError                 the host answered with an error body
        │   ├── AuthError            1000-1004, 401: bad or expired key
        │   ├── BillingError         1113, 402: balance, plan or endpoint mismatch
        │   ├── QuotaError           1304, 1308, 1310: a usage window is exhausted
        │   ├── RateLimitError       1302, 1303, 1305, 1312, 429: retryable
        │   ├── ModelError           1211, 1311, 404: unknown or not included model
        │   ├── ContextTooLong       1261, model_context_window_exceeded
        │   ├── ContentBlocked       1301, sensitive
        │   ├── ServerError          500, 503, 1230, 1234: retryable
        │   └── BadRequestError      any other 4xx / business code
        └── ProtocolError            the host sent something we cannot parse

Every message is written for the person at the editor: what happened, then what to do, and
never the API key (see ``GlmLspError``).
"""

from __future__ import annotations

from glm_lsp.keyguard import mask_secrets

__all__ = [
    "ApiError",
    "AuthError",
    "BadRequestError",
    "BillingError",
    "ConfigError",
    "ConnectError",
    "ConnectTimeout",
    "ContentBlocked",
    "ContextTooLong",
    "FirstByteTimeout",
    "GlmLspError",
    "ModelError",
    "NeedsKeyError",
    "ProtocolError",
    "QuotaError",
    "RateLimitError",
    "ServerError",
    "StreamBroken",
    "StreamStalled",
    "TransportError",
    "UpstreamError",
]


class GlmLspError(Exception):
    """Base class: an error whose message is fit to show the user.

    The message is masked by the key guard when the error is built and again whenever it is
    shown (a key remembered later is masked too), so ``str(error)`` never holds a key.
    """

    retryable: bool = False

    def __init__(self, message: str = "") -> None:
        super().__init__(mask_secrets(str(message)))

    def __str__(self) -> str:
        return mask_secrets(super().__str__())


class ConfigError(GlmLspError):
    """A setting is invalid; the message names the key and the fix."""

    def __init__(self, message: str, *, key: str | None = None) -> None:
        super().__init__(message)
        self.key = key


class NeedsKeyError(GlmLspError):
    """No API key is configured for the chosen provider."""

    def __init__(self, provider: str, env_vars: tuple[str, ...]) -> None:
        names = " or ".join(env_vars) if env_vars else "GLM_API_KEY"
        super().__init__(
            f"no API key: set {names} in the environment, or the key in your editor "
            f'(VS Code: run "GLM: Set API Key"; others: the glm.apiKey setting) for provider '
            f"{provider!r}; `glm-lsp doctor` checks it"
        )
        self.provider = provider
        self.env_vars = env_vars


class UpstreamError(GlmLspError):
    """The model host failed a request."""


class TransportError(UpstreamError):
    """No usable HTTP exchange with the host."""

    retryable = True


class ConnectError(TransportError):
    """The host could not be reached."""


class ConnectTimeout(TransportError):
    """Connecting to the host took longer than the connect timeout."""


class FirstByteTimeout(TransportError):
    """The host accepted the request but sent no first event in time."""


class StreamStalled(TransportError):
    """The host stopped sending in the middle of a stream."""


class StreamBroken(TransportError):
    """The connection dropped in the middle of a stream."""


class ProtocolError(UpstreamError):
    """The host sent a reply we cannot parse."""


class ApiError(UpstreamError):
    """The host answered with an error body (HTTP status and business code)."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.retry_after = retry_after


class AuthError(ApiError):
    """The key was rejected."""


class BillingError(ApiError):
    """The account cannot pay for this request, or the key belongs to another endpoint."""


class QuotaError(ApiError):
    """A daily, 5-hour, weekly or monthly usage window is exhausted."""


class RateLimitError(ApiError):
    """Too many requests or too much concurrency; worth retrying after a pause."""

    retryable = True


class ModelError(ApiError):
    """The model does not exist or the plan does not include it."""


class ContextTooLong(ApiError):
    """The prompt is longer than the model accepts."""


class ContentBlocked(ApiError):
    """The host's moderation blocked the prompt or the answer."""


class ServerError(ApiError):
    """The host had an internal failure; worth retrying."""

    retryable = True


class BadRequestError(ApiError):
    """The host rejected the request's parameters."""
