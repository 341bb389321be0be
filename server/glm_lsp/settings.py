"""Settings: one ``glm`` object with camelCase keys, gathered from five sources.

Later sources override earlier ones, key by key::

    defaults < user file (config.toml) < environment < initializationOptions.glm
             < workspace/configuration "glm"

Each source is validated as it arrives. An update that would make the settings invalid is
refused whole: the message names the bad key and the settings in force before it stay.
Messages name the key and the expected type, never an ``apiKey`` value, and quote another
value only when it is short (a key pasted into the wrong setting is not echoed); every
``apiKey`` value, even a wrongly typed one, is given to the key guard before it is checked.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import attrs
import cattrs
from cattrs.errors import AttributeValidationNote, IterableValidationNote
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from glm_lsp.errors import ConfigError
from glm_lsp.keyguard import remember, remember_environ
from glm_lsp.llm.providers import PRESETS, ProviderPreset

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

__all__ = [
    "SOURCES",
    "ChatSettings",
    "ContextSettings",
    "InlineSettings",
    "Settings",
    "SettingsStore",
    "env_layer",
    "flatten",
    "mask_key",
    "structure_settings",
    "unstructure_settings",
    "user_config_path",
]

Thinking = Literal["auto", "on", "off"]

SOURCES = ("default", "file", "env", "initializationOptions", "workspace")
"""Source names, lowest precedence first."""

QUOTED_VALUE_CHARS = 24
"""Longer strings are described by their length, not quoted, in settings messages."""
_PRINTABLE_KEY = re.compile(r"[\x21-\x7e]+")


def _kind(value: object) -> str:
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


def _shown(value: object) -> str:
    """``value`` for a settings message: short scalars quoted, anything else described."""
    if value is None or isinstance(value, (bool, int, float)):
        return repr(value)
    if isinstance(value, str) and len(value) <= QUOTED_VALUE_CHARS and value.isprintable():
        return repr(value)
    return _kind(value)


def _in_range(low: int, high: int) -> Any:
    def check(_: object, attribute: attrs.Attribute[int | None], value: int | None) -> None:
        if value is not None and not low <= value <= high:
            raise ValueError(
                f"{_camel(attribute.name)}: must be from {low} to {high}, got {_shown(value)}"
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
class ChatSettings:
    """Chat and code actions."""

    thinking: Thinking = attrs.field(
        default="auto", validator=attrs.validators.in_(("auto", "on", "off"))
    )
    """``on``/``off`` force the model's reasoning; ``auto`` leaves it to the model and host."""


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
            f"provider: {_shown(value)} is not a known provider; choose one of {', '.join(PRESETS)}"
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

    def chat_thinking(self) -> bool | None:
        """Thinking switch for chat and actions: None leaves the host's default."""
        return {"auto": None, "on": True, "off": False}[self.chat.thinking]


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _require_mapping(inner: Any) -> Any:
    def structure(value: object, cls: type) -> Any:
        if not isinstance(value, Mapping):
            raise ValueError(f"expected an object with keys, got {_kind(value)}")
        return inner(value, cls)

    return structure


def _make_converter() -> cattrs.Converter:
    converter = cattrs.Converter(forbid_extra_keys=True)

    def structure_str(value: object, _: type) -> str:
        if not isinstance(value, str):
            raise ValueError(f"expected a string, got {_shown(value)}")
        return value

    def structure_bool(value: object, _: type) -> bool:
        if not isinstance(value, bool):
            raise ValueError(f"expected true or false, got {_shown(value)}")
        return value

    def structure_int(value: object, _: type) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"expected a whole number, got {_shown(value)}")
        return value

    def structure_globs(value: object, _: type) -> tuple[str, ...]:
        if not isinstance(value, (list, tuple)):
            raise ValueError(f"expected a list of globs, got {_kind(value)}")
        return tuple(structure_str(item, str) for item in value)

    converter.register_structure_hook_func(lambda t: t == tuple[str, ...], structure_globs)

    def structure_thinking(value: object, _: type) -> str:
        if value not in ("auto", "on", "off"):
            raise ValueError(f"expected one of auto, on, off; got {_shown(value)}")
        return str(value)

    converter.register_structure_hook_func(lambda t: t == Thinking, structure_thinking)

    def structure_api_key(value: object, _: type) -> str | None:
        remember(value)
        if value is None:
            return None
        if not isinstance(value, str):
            raise ValueError(f"expected the key as a string, got {_kind(value)}")
        key = value.strip()
        if key and not _PRINTABLE_KEY.fullmatch(key):
            raise ValueError(
                "the key may hold only printable ASCII without spaces; paste the key alone"
            )
        return key

    converter.register_structure_hook(str, structure_str)
    converter.register_structure_hook(bool, structure_bool)
    converter.register_structure_hook(int, structure_int)
    for cls in (InlineSettings, ChatSettings, ContextSettings, Settings):
        renames: dict[str, Any] = {
            a.name: override(rename=_camel(a.name)) for a in attrs.fields(cls)
        }
        if cls is Settings:
            renames["api_key"] = override(rename="apiKey", struct_hook=structure_api_key)
        inner = make_dict_structure_fn(cls, converter, _cattrs_forbid_extra_keys=True, **renames)
        converter.register_structure_hook(cls, _require_mapping(inner))
        converter.register_unstructure_hook(
            cls, make_dict_unstructure_fn(cls, converter, **renames)
        )
    return converter


_converter = _make_converter()


def _problems(exc: BaseException, path: str) -> list[tuple[str, str]]:
    """(dotted camelCase key, message) for every leaf error under a cattrs validation error."""
    if not isinstance(exc, cattrs.BaseValidationError):
        return [(path, str(exc) or type(exc).__name__)]
    found: list[tuple[str, str]] = []
    for sub in exc.exceptions:
        sub_path = path
        for note in getattr(sub, "__notes__", []):
            if isinstance(note, AttributeValidationNote):
                sub_path = f"{path}.{_camel(note.name)}"
            elif isinstance(note, IterableValidationNote):
                sub_path = f"{path}[{note.index}]"
        found.extend(_problems(sub, sub_path))
    return found


def structure_settings(raw: Mapping[str, Any]) -> Settings:
    """Build ``Settings`` from a camelCase mapping, or raise ConfigError naming the bad key."""
    try:
        return _converter.structure(dict(raw), Settings)
    except cattrs.BaseValidationError as exc:
        key, message = _problems(exc, "glm")[0]
        named = re.match(r"(\w+): (.*)", message)
        if named:
            key, message = f"{key}.{named.group(1)}", named.group(2)
        extra = re.search(r"Extra fields in constructor for \w+: ([^,\s]+)", message)
        if extra:
            name = extra.group(1)
            if not re.fullmatch(rf"[A-Za-z][A-Za-z0-9_]{{0,{QUOTED_VALUE_CHARS}}}", name):
                raise ConfigError(
                    f"unknown setting in {key}: a {len(name)}-character name; "
                    "check the settings' names",
                    key=key,
                ) from None
            bad = f"{key}.{name}"
            raise ConfigError(f"unknown setting {bad}; check its spelling", key=bad) from None
        if key.endswith(".apiKey") and not message.startswith(("expected the key", "the key")):
            message = f"expected the key as a string, got {_kind(raw.get('apiKey'))}"
        raise ConfigError(f"invalid setting {key}: {message}", key=key) from None


def unstructure_settings(settings: Settings) -> dict[str, Any]:
    """The camelCase mapping of ``settings`` (includes the key: mask before showing it)."""
    result: dict[str, Any] = _converter.unstructure(settings)
    return result


def mask_key(key: str | None) -> str:
    """A key shown safely: its length and last two characters at most."""
    if not key:
        return "(none)"
    if len(key) < 12:
        return "****"
    return f"****{key[-2:]} ({len(key)} chars)"


def user_config_path(environ: Mapping[str, str] | None = None) -> Path:
    """``$XDG_CONFIG_HOME/glm-lsp/config.toml`` (platform equivalent); GLM_LSP_CONFIG overrides."""
    override_path = (os.environ if environ is None else environ).get("GLM_LSP_CONFIG")
    if override_path:
        return Path(override_path)
    import platformdirs

    return Path(platformdirs.user_config_dir("glm-lsp", appauthor=False)) / "config.toml"


def read_user_file(path: Path) -> dict[str, Any]:
    """The user file's settings (a ``[glm]`` table or top-level keys); {} when absent."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}; fix or remove the file") from None
    glm = data.get("glm", data)
    if not isinstance(glm, dict):
        raise ConfigError(f"{path}: [glm] must be a table")
    return glm


_ENV_KEYS = {
    "GLM_PROVIDER": ("provider",),
    "GLM_BASE_URL": ("baseUrl",),
    "GLM_MODEL": ("model",),
    "GLM_INLINE_MODEL": ("inline", "model"),
}


def env_layer(environ: Mapping[str, str], provider: str | None) -> dict[str, Any]:
    """Settings from the environment; the key comes from GLM_API_KEY, else the provider's own.

    With ``provider`` None the key is left out (used to find the provider first).
    """
    layer: dict[str, Any] = {}
    for var, path in _ENV_KEYS.items():
        value = environ.get(var)
        if value:
            _set_path(layer, path, value)
    key_var = env_key_source(environ, provider) if provider is not None else None
    if key_var:
        layer["apiKey"] = environ[key_var]
    return layer


def env_key_source(environ: Mapping[str, str], provider: str) -> str | None:
    """Name of the environment variable the key came from, if any."""
    preset = PRESETS.get(provider)
    for var in preset.key_env_vars if preset else ("GLM_API_KEY",):
        if environ.get(var):
            return var
    return None


def _set_path(target: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for part in path[:-1]:
        target = target.setdefault(part, {})
    target[path[-1]] = value


def deep_merge(base: Mapping[str, Any], update: Mapping[str, Any]) -> dict[str, Any]:
    """``update`` over ``base``, recursing into nested mappings; None values are ignored."""
    result = dict(base)
    for key, value in update.items():
        if value is None:
            continue
        if isinstance(value, Mapping) and isinstance(result.get(key), Mapping):
            result[key] = deep_merge(result[key], value)
        else:
            result[key] = value
    return result


def flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, name + "."))
        elif value is not None:
            flat[name] = value
    return flat


@attrs.define
class SettingsStore:
    """The layers of settings, the settings in force, and where each key came from."""

    environ: Mapping[str, str] = attrs.field(factory=lambda: dict(os.environ), repr=False)
    layers: dict[str, dict[str, Any]] = attrs.field(factory=dict)
    current: Settings = attrs.field(factory=Settings)

    def __attrs_post_init__(self) -> None:
        remember_environ(self.environ)

    def load_startup(self, config_path: Path | None = None) -> list[ConfigError]:
        """Read the user file and the environment; returns the problems met (already skipped)."""
        problems: list[ConfigError] = []
        try:
            file_layer = read_user_file(config_path or user_config_path(self.environ))
        except ConfigError as exc:
            problems.append(exc)
            file_layer = {}
        # The env layer is read from ``environ`` at every merge; updating it validates it.
        for source, layer in (("file", file_layer), ("env", {})):
            try:
                self.update(source, layer)
            except ConfigError as exc:
                problems.append(exc)
        return problems

    def _merged(self, layers: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
        def merge_with(env: Mapping[str, Any]) -> dict[str, Any]:
            result: dict[str, Any] = {}
            for source in SOURCES[1:]:
                result = deep_merge(result, env if source == "env" else layers.get(source, {}))
            return result

        provider = str(merge_with(env_layer(self.environ, None)).get("provider", "zai"))
        return merge_with(env_layer(self.environ, provider))

    def update(self, source: str, raw: Mapping[str, Any] | None) -> Settings:
        """Replace one source's layer; refuse the update (ConfigError) if it makes them invalid."""
        if source not in SOURCES[1:]:
            raise ValueError(f"unknown settings source {source!r}")
        if raw is not None and not isinstance(raw, Mapping):
            raise ConfigError(f"settings from {source} must be an object, got {type(raw).__name__}")
        if raw is not None:
            remember(raw.get("apiKey"))
        candidate = dict(self.layers)
        candidate[source] = dict(raw or {})
        settings = structure_settings(self._merged(candidate))
        self.layers = candidate
        self.current = settings
        return settings

    def sources(self) -> dict[str, str]:
        """Dotted key -> the source its value came from, for every key that is set."""
        origin = {key: "default" for key in flatten(unstructure_settings(Settings()))}
        for source in SOURCES[1:]:
            layer = (
                env_layer(self.environ, self.current.provider)
                if source == "env"
                else self.layers.get(source, {})
            )
            for key in flatten(layer):
                origin[key] = source
        if "apiKey" in origin and origin["apiKey"] == "env":
            var = env_key_source(self.environ, self.current.provider)
            origin["apiKey"] = f"env ({var})" if var else "env"
        return origin
