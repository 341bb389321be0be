"""Where settings come from: defaults, user file, environment, the editor; merged key by key.

Later sources override earlier ones, key by key::

    defaults < user file (config.toml) < environment < initializationOptions.glm
             < workspace/configuration "glm"

Each source is validated as it arrives. An update that would make the settings invalid is
refused whole: the message names the bad key and the settings in force before it stay.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from glm_lsp.errors import ConfigError
from glm_lsp.keyguard import remember, remember_environ
from glm_lsp.llm import PRESETS

from .convert import structure_settings, unstructure_settings
from .schema import Settings

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

SOURCES = ("default", "file", "env", "initializationOptions", "workspace")
"""Source names, lowest precedence first."""


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
    env_refused: bool = False
    """True when the environment failed validation at start-up: it is left out of merges."""

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
        # An invalid environment (GLM_PROVIDER=bogus) is reported once here and then left out
        # of every merge, so it neither blames the file nor refuses each later update.
        self.env_refused = True
        try:
            self.update("file", file_layer)
        except ConfigError as exc:
            problems.append(exc)
        self.env_refused = False
        try:
            self.update("env", {})
        except ConfigError as exc:
            problems.append(exc)
            self.env_refused = True
        return problems

    def _merged(self, layers: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
        def merge_with(env: Mapping[str, Any]) -> dict[str, Any]:
            env = {} if self.env_refused else env
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
            if source == "env" and self.env_refused:
                continue
            layer = (
                env_layer(self.environ, self.current.provider)
                if source == "env"
                else self.layers.get(source, {})
            )
            for key in flatten(layer):
                origin[key] = source
        env_names = {".".join(path): f"env ({var})" for var, path in _ENV_KEYS.items()}
        for key, source in origin.items():
            if source == "env" and key in env_names:
                origin[key] = env_names[key]
        if "apiKey" in origin and origin["apiKey"] == "env":
            var = env_key_source(self.environ, self.current.provider)
            origin["apiKey"] = f"env ({var})" if var else "env"
        return origin
