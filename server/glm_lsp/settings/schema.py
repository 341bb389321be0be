"""The ``glm`` settings object: its attrs classes, their checks and the wording of problems.

Messages name the key and the expected type, never an ``apiKey`` value, and quote another
value only when it is short (a key pasted into the wrong setting is not echoed).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

import attrs

from glm_lsp.llm import PRESETS, ProviderPreset

Thinking = Literal["auto", "on", "off"]

QUOTED_VALUE_CHARS = 24
"""Longer strings are described by their length, not quoted, in settings messages."""


def kind_of(value: object) -> str:
    """What ``value`` is, without any of its content."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return f"a {len(value)}-character string"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, (list, tuple)):
        return "a list"
    return f"a value of type {type(value).__name__}"


def shown(value: object) -> str:
    """``value`` for a settings message: short scalars quoted, anything else described."""
    if value is None or isinstance(value, (bool, int, float)):
        return repr(value)
    if isinstance(value, str) and len(value) <= QUOTED_VALUE_CHARS and value.isprintable():
        return repr(value)
    return kind_of(value)


def _in_range(low: int, high: int) -> Any:
    def check(_: object, attribute: attrs.Attribute[int | None], value: int | None) -> None:
        if value is not None and not low <= value <= high:
            raise ValueError(
                f"{camel(attribute.name)}: must be from {low} to {high}, got {shown(value)}"
            )

    return check


@attrs.frozen
class InlineSettings:
    """Inline completions (ghost text)."""

    enabled: bool = True
    """Offer inline completions at all."""
    model: str | None = None
    """Model for completions; defaults to ``model``. A faster one (``glm-4.5-air``) may suit."""
    debounce_ms: int | None = attrs.field(default=None, validator=_in_range(0, 5000))
    """Pause after the last keystroke before a request; the server picks when unset."""
    max_tokens: int | None = attrs.field(default=None, validator=_in_range(1, 4096))
    """Upper bound on tokens in one suggestion; the server picks per mode when unset."""


@attrs.frozen
class NextEditSettings:
    """Next-edit suggestions (``glm/nextEdit``): the edit that follows from the last ones."""

    enabled: bool = True
    """Offer next-edit suggestions at all; when off, every request answers no edits."""
    model: str | None = None
    """Model for next-edit suggestions; defaults to the inline model (``inline.model``, else
    ``model``)."""


@attrs.frozen
class ChatSettings:
    """Chat and code actions."""

    thinking: Thinking = attrs.field(
        default="auto", validator=attrs.validators.in_(("auto", "on", "off"))
    )
    """``on``/``off`` force the model's reasoning; ``auto`` leaves it to the model and host."""
    auto_apply: bool = False
    """Apply the file changes a chat turn proposes at once, without review (``glm.chat.undo``
    still restores them); off: they wait for ``glm.chat.apply``."""
    max_steps: int = attrs.field(default=8, validator=_in_range(1, 50))
    """Model requests a chat turn may make at most (each tool round trip is one); past it the
    turn ends with ``finishReason: tool_limit``."""
    token_budget: int = attrs.field(default=200_000, validator=_in_range(1000, 100_000_000))
    """Prompt and completion tokens a chat turn may spend over all its steps; past it the turn
    ends with ``finishReason: token_budget`` and a notice."""


@attrs.frozen
class ContextSettings:
    """What the context engine may draw on."""

    git_diff: bool = True
    """Include the working-tree and staged diff where it helps."""
    open_files: bool = True
    """Include snippets of other open documents."""


def _check_provider(_: object, __: attrs.Attribute[str], value: str) -> None:
    if value not in PRESETS:
        raise ValueError(
            f"provider: {shown(value)} is not a known provider; choose one of {', '.join(PRESETS)}"
        )


def _check_url(_: object, __: attrs.Attribute[str | None], value: str | None) -> None:
    if value is not None and not re.match(r"^https?://[^\s/]+", value):
        raise ValueError("baseUrl: not an http(s) URL; it must start with http:// or https://")


@attrs.frozen
class Settings:
    """The whole ``glm`` settings object."""

    provider: str = attrs.field(default="zai", validator=_check_provider)
    """Host preset: zai, zai-coding, bigmodel, deepinfra, together, openrouter or custom."""
    base_url: str | None = attrs.field(default=None, validator=_check_url)
    """OpenAI-compatible base URL; the provider's own when unset."""
    api_key: str | None = attrs.field(default=None, repr=False)
    """API key. Prefer the environment (GLM_API_KEY) or the editor's secret storage."""
    model: str = "glm-4.6"
    """Model for chat and code actions, mapped to the host's id."""
    inline: InlineSettings = attrs.field(factory=InlineSettings)
    """Inline completion settings."""
    next_edit: NextEditSettings = attrs.field(factory=NextEditSettings)
    """Next-edit suggestion settings."""
    chat: ChatSettings = attrs.field(factory=ChatSettings)
    """Chat and code-action settings."""
    context: ContextSettings = attrs.field(factory=ContextSettings)
    """Context settings."""
    exclude: tuple[str, ...] = ()
    """Globs of files never read into a prompt, added to .gitignore and the built-in list."""

    @property
    def preset(self) -> ProviderPreset:
        """The provider preset in force."""
        return PRESETS[self.provider]

    @property
    def effective_base_url(self) -> str:
        """The base URL requests go to."""
        return (self.base_url or self.preset.base_url).rstrip("/")

    @property
    def inline_model(self) -> str:
        """The model used for inline completions."""
        return self.inline.model or self.model

    @property
    def next_edit_model(self) -> str:
        """The model used for next-edit suggestions."""
        return self.next_edit.model or self.inline_model

    def chat_thinking(self) -> bool | None:
        """Thinking switch for chat and actions: None leaves the host's default."""
        return {"auto": None, "on": True, "off": False}[self.chat.thinking]


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def setting_keys(settings: attrs.AttrsInstance | None = None, prefix: str = "") -> tuple[str, ...]:
    """Every key of the ``glm`` settings object, dotted and camelCase as in the protocol
    (``provider``, ``apiKey``, ``inline.debounceMs``, ...): what editor manifests must list."""
    node = Settings() if settings is None else settings
    keys: list[str] = []
    for field in attrs.fields(type(node)):
        key = prefix + camel(field.name)
        value = getattr(node, field.name)
        if attrs.has(type(value)):
            keys.extend(setting_keys(value, key + "."))
        else:
            keys.append(key)
    return tuple(keys)
