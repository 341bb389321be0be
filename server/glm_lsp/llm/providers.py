"""Provider presets: what differs between the hosts that serve GLM.

Every host speaks OpenAI Chat Completions, but each one names the models its own way, turns
thinking off with its own switch, streams reasoning under its own field name, and charges its
own prices. A preset captures those differences so that the rest of the server can ask for
"glm-4.6 with thinking off" and get the right request body for the host.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import attrs

__all__ = ["PRESETS", "Price", "ProviderPreset", "ThinkingStyle", "context_window"]

ThinkingStyle = Literal["zai", "reasoning", "reasoning_effort", "chat_template"]


@attrs.frozen
class Price:
    """US dollars per million tokens."""

    input: float
    cached_input: float
    output: float

    def cost(self, prompt_tokens: int, cached_tokens: int, completion_tokens: int) -> float:
        """Estimated cost of one request."""
        uncached = max(prompt_tokens - cached_tokens, 0)
        return (
            uncached * self.input
            + cached_tokens * self.cached_input
            + completion_tokens * self.output
        ) / 1_000_000


_ZAI_PRICES: Mapping[str, Price] = {
    "glm-4.7": Price(0.60, 0.11, 2.20),
    "glm-4.6": Price(0.60, 0.11, 2.20),
    "glm-4.5": Price(0.60, 0.11, 2.20),
    "glm-4.5-air": Price(0.20, 0.03, 1.10),
    "glm-4.7-flashx": Price(0.07, 0.01, 0.40),
    "glm-4.7-flash": Price(0.0, 0.0, 0.0),
    "glm-4.5-flash": Price(0.0, 0.0, 0.0),
}


@attrs.frozen
class ProviderPreset:
    """How one host serves GLM."""

    name: str
    """Preset name, the value of the ``provider`` setting."""
    base_url: str
    """Default base URL; the server POSTs ``{base_url}/chat/completions``."""
    key_env_vars: tuple[str, ...]
    """Environment variables consulted for the key, in order (``GLM_API_KEY`` first)."""
    thinking_style: ThinkingStyle
    """The host's way to switch thinking on and off."""
    model_prefix: str = ""
    """Prefix that turns ``glm-4.6`` into the host's id (``z-ai/``); see ``model_ids``."""
    model_ids: Mapping[str, str] = attrs.field(factory=dict)
    """Explicit ids for models whose host id is not prefix + name."""
    ask_for_usage: bool = True
    """Send ``stream_options.include_usage`` (Z.ai always sends usage and needs no flag)."""
    single_stop: bool = False
    """The host accepts only one stop word."""
    prices: Mapping[str, Price] = attrs.field(factory=dict)
    """Price table per model name, for cost estimates."""
    extra_headers: Mapping[str, str] = attrs.field(factory=dict)
    """Headers sent with every request."""

    def model_id(self, model: str) -> str:
        """The host's id for ``model``; ids that already name a namespace pass through."""
        if "/" in model:
            return model
        if model in self.model_ids:
            return self.model_ids[model]
        return self.model_prefix + model

    def thinking_fields(self, enabled: bool | None) -> dict[str, Any]:
        """Request-body fields that turn thinking on (True), off (False) or leave the default."""
        if enabled is None:
            return {}
        if self.thinking_style == "zai":
            return {"thinking": {"type": "enabled" if enabled else "disabled"}}
        if self.thinking_style == "reasoning":
            return {"reasoning": {"enabled": enabled}}
        if self.thinking_style == "reasoning_effort":
            return {} if enabled else {"reasoning_effort": "none"}
        return {"chat_template_kwargs": {"enable_thinking": enabled}}

    def price(self, model: str) -> Price | None:
        """Price for ``model`` when the preset knows it."""
        return self.prices.get(model.lower())


_HF_IDS = {
    "glm-4.7": "zai-org/GLM-4.7",
    "glm-4.6": "zai-org/GLM-4.6",
    "glm-4.5": "zai-org/GLM-4.5",
    "glm-4.5-air": "zai-org/GLM-4.5-Air",
}

_ZAI_HEADERS = {"Accept-Language": "en-US,en"}

PRESETS: Mapping[str, ProviderPreset] = {
    preset.name: preset
    for preset in (
        ProviderPreset(
            name="zai",
            base_url="https://api.z.ai/api/paas/v4",
            key_env_vars=("GLM_API_KEY", "ZAI_API_KEY"),
            thinking_style="zai",
            ask_for_usage=False,
            single_stop=True,
            prices=_ZAI_PRICES,
            extra_headers=_ZAI_HEADERS,
        ),
        ProviderPreset(
            name="zai-coding",
            base_url="https://api.z.ai/api/coding/paas/v4",
            key_env_vars=("GLM_API_KEY", "ZAI_API_KEY"),
            thinking_style="zai",
            ask_for_usage=False,
            single_stop=True,
            prices={},
            extra_headers=_ZAI_HEADERS,
        ),
        ProviderPreset(
            name="bigmodel",
            base_url="https://open.bigmodel.cn/api/paas/v4",
            key_env_vars=("GLM_API_KEY", "ZHIPUAI_API_KEY"),
            thinking_style="zai",
            ask_for_usage=False,
            single_stop=True,
        ),
        ProviderPreset(
            name="deepinfra",
            base_url="https://api.deepinfra.com/v1/openai",
            key_env_vars=("GLM_API_KEY", "DEEPINFRA_TOKEN"),
            thinking_style="reasoning_effort",
            model_ids=_HF_IDS,
            prices={
                "glm-4.7": Price(0.43, 0.08, 1.75),
                "glm-4.6": Price(0.60, 0.60, 2.00),
            },
        ),
        ProviderPreset(
            name="together",
            base_url="https://api.together.xyz/v1",
            key_env_vars=("GLM_API_KEY", "TOGETHER_API_KEY"),
            thinking_style="reasoning",
            model_ids={**_HF_IDS, "glm-4.5-air": "zai-org/GLM-4.5-Air-FP8"},
            prices={"glm-4.6": Price(0.60, 0.60, 2.20)},
        ),
        ProviderPreset(
            name="openrouter",
            base_url="https://openrouter.ai/api/v1",
            key_env_vars=("GLM_API_KEY", "OPENROUTER_API_KEY"),
            thinking_style="reasoning",
            model_prefix="z-ai/",
            extra_headers={"X-Title": "glm-lsp"},
        ),
        ProviderPreset(
            name="custom",
            base_url="http://127.0.0.1:8000/v1",
            key_env_vars=("GLM_API_KEY",),
            thinking_style="zai",
        ),
    )
}


_CONTEXT_WINDOWS = {"glm-4.7": 200_000, "glm-4.6": 200_000}


def context_window(model: str) -> int:
    """Tokens of context the model accepts (prompt plus output)."""
    name = model.rsplit("/", 1)[-1].lower()
    for prefix, size in _CONTEXT_WINDOWS.items():
        if name.startswith(prefix):
            return size
    return 128_000
