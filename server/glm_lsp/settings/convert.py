"""One cattrs converter between camelCase mappings and ``Settings``, with keyed errors.

Every ``apiKey`` value, even a wrongly typed one, is given to the key guard before it is
checked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import attrs
import cattrs
from cattrs.errors import AttributeValidationNote, IterableValidationNote
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from glm_lsp.errors import ConfigError
from glm_lsp.keyguard import remember

from .schema import (
    QUOTED_VALUE_CHARS,
    ChatSettings,
    ContextSettings,
    InlineSettings,
    NextEditSettings,
    Settings,
    Thinking,
    camel,
    kind_of,
    shown,
)

_PRINTABLE_KEY = re.compile(r"[\x21-\x7e]+")


def _require_mapping(inner: Any) -> Any:
    def structure(value: object, cls: type) -> Any:
        if not isinstance(value, Mapping):
            raise ValueError(f"expected an object with keys, got {kind_of(value)}")
        return inner(value, cls)

    return structure


def _structure_str(value: object, _: type) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected a string, got {shown(value)}")
    return value


def _structure_bool(value: object, _: type) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, got {shown(value)}")
    return value


def _structure_int(value: object, _: type) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"expected a whole number, got {shown(value)}")
    return value


def _structure_globs(value: object, _: type) -> tuple[str, ...]:
    if not isinstance(value, (list, tuple)):
        raise ValueError(f"expected a list of globs, got {kind_of(value)}")
    return tuple(_structure_str(item, str) for item in value)


def _structure_thinking(value: object, _: type) -> str:
    if value not in ("auto", "on", "off"):
        raise ValueError(f"expected one of auto, on, off; got {shown(value)}")
    return str(value)


def _structure_api_key(value: object, _: type) -> str | None:
    remember(value)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"expected the key as a string, got {kind_of(value)}")
    key = value.strip()
    if key and not _PRINTABLE_KEY.fullmatch(key):
        raise ValueError(
            "the key may hold only printable ASCII without spaces; paste the key alone"
        )
    return key


def _make_converter() -> cattrs.Converter:
    converter = cattrs.Converter(forbid_extra_keys=True)
    converter.register_structure_hook_func(lambda t: t == tuple[str, ...], _structure_globs)
    converter.register_structure_hook_func(lambda t: t == Thinking, _structure_thinking)
    converter.register_structure_hook(str, _structure_str)
    converter.register_structure_hook(bool, _structure_bool)
    converter.register_structure_hook(int, _structure_int)
    for cls in (InlineSettings, NextEditSettings, ChatSettings, ContextSettings, Settings):
        renames: dict[str, Any] = {
            a.name: override(rename=camel(a.name)) for a in attrs.fields(cls)
        }
        if cls is Settings:
            renames["api_key"] = override(rename="apiKey", struct_hook=_structure_api_key)
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
                sub_path = f"{path}.{camel(note.name)}"
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
            message = f"expected the key as a string, got {kind_of(raw.get('apiKey'))}"
        raise ConfigError(f"invalid setting {key}: {message}", key=key) from None


def unstructure_settings(settings: Settings) -> dict[str, Any]:
    """The camelCase mapping of ``settings`` (includes the key: mask before showing it)."""
    result: dict[str, Any] = _converter.unstructure(settings)
    return result
