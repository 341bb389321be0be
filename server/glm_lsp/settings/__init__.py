"""Settings: one ``glm`` object with camelCase keys, gathered from five sources.

``schema`` holds the attrs classes and their checks, ``convert`` the one cattrs converter
(camelCase mappings in and out, errors naming the key), ``sources`` the layers (defaults,
user file, environment, ``initializationOptions.glm``, ``workspace/configuration``) and the
store that merges them. Import from here.
"""

from __future__ import annotations

from .convert import structure_settings, unstructure_settings
from .schema import (
    ChatSettings,
    ContextSettings,
    InlineSettings,
    NextEditSettings,
    Settings,
    setting_keys,
)
from .sources import SOURCES, SettingsStore, env_layer, flatten, mask_key, user_config_path

__all__ = [
    "SOURCES",
    "ChatSettings",
    "ContextSettings",
    "InlineSettings",
    "NextEditSettings",
    "Settings",
    "SettingsStore",
    "env_layer",
    "flatten",
    "mask_key",
    "setting_keys",
    "structure_settings",
    "unstructure_settings",
    "user_config_path",
]
