"""The key guard: keys masked before any cut, pieces of keys, echoed credentials, and the
places that use it (error mapping, errors, logs, settings messages, the transport writer)."""

from __future__ import annotations

import io
import json
import logging
import sys
from typing import Any

import pytest
from tests.glm_replies import key_echo_message

from glm_lsp.errors import AuthError, ConfigError
from glm_lsp.keyguard import KEY_ENV_VARS, MASK, KeyGuard, MaskingWriter, remember
from glm_lsp.llm import HOST_MESSAGE_CHARS, PRESETS, error_from_body, error_from_payload
from glm_lsp.logs import SecretFilter
from glm_lsp.settings import SettingsStore, structure_settings

KEYS = {
    "zai": "c0ffee5e1f2a4b8d9e7f6a5b4c3d2e1f.Qw8ErTy2UiOp4AsD",
    "openrouter": "sk-or-v1-" + "9f8e7d6c5b4a39281706f5e4d3c2b1a0" * 2,
    "deepinfra": "Ab3De5Gh7Jk9Mn2Pq4St6Vw8Yz1Bc3Df",
}
PIECE = 6


def pieces_in(text: str, key: str) -> list[str]:
    """Every run of ``PIECE`` characters of ``key`` that ``text`` contains."""
    return sorted(
        {key[i : i + PIECE] for i in range(len(key) - PIECE + 1) if key[i : i + PIECE] in text}
    )


def guard_for(*keys: str) -> KeyGuard:
    guard = KeyGuard()
    for key in keys:
        guard.remember(key)
    return guard


@pytest.mark.parametrize("name", sorted(KEYS))
def test_mask_then_cut_leaves_no_piece_of_the_key_at_any_offset_and_cut(name: str) -> None:
    """Ensure that wherever the key sits in a message and wherever the cut falls (every
    offset, every limit, before, inside and after the key), no 6 characters of it remain."""
    key = KEYS[name]
    guard = guard_for(key)
    for offset in range(0, 24):
        text = "host said: " + "y" * offset + key + " was not accepted"
        for limit in range(1, len(text) + 2):
            cut = guard.mask_then_cut(text, limit)
            assert len(cut) <= limit
            assert pieces_in(cut, key) == [], (offset, limit, cut)


def test_cutting_before_masking_would_leak_which_is_why_the_order_matters() -> None:
    """Ensure the test above is meaningful: a plain cut through the key keeps a prefix that
    exact-key replacement cannot find, while the guard masks that prefix too."""
    key = KEYS["zai"]
    text = "x" * 10 + key
    naive = text[:30].replace(key, MASK)
    assert pieces_in(naive, key) != []
    assert pieces_in(guard_for(key).mask(text[:30]), key) == []


@pytest.mark.parametrize("name", sorted(KEYS))
def test_pieces_of_a_key_cut_by_someone_else_are_masked(name: str) -> None:
    """Ensure a key's first or last 6+ characters at a word's edge (another program's cut) and
    any 8 characters of it inside a word are masked."""
    key = KEYS[name]
    guard = guard_for(key)
    for n in range(6, len(key) + 1):
        assert pieces_in(guard.mask(f"token {key[:n]}… rejected"), key) == []
        assert pieces_in(guard.mask(f"…{key[-n:]}. rejected"), key) == []
    for start in range(0, len(key) - 8 + 1):
        assert pieces_in(guard.mask(f"a {key[start : start + 8]} b"), key) == []


def test_ordinary_text_is_left_alone() -> None:
    """Ensure messages without a key are unchanged: remedies, URLs, settings messages, code."""
    guard = guard_for(*KEYS.values())
    texts = [
        "Z.ai 1002: the API key was rejected — check GLM_API_KEY or ZAI_API_KEY or glm.apiKey",
        "could not connect to http://127.0.0.1:8000/v1 — check glm.baseUrl and the network",
        "invalid setting glm.apiKey: expected the key as a string, got a list",
        "def total(items):\n    return sum(items)  # 0123456789abcdef",
        "glm request 2b7d0c35c1e94f0e8f3c6c0a9d1e2f3a took 312 ms",
        "Basic configuration is missing; use a bearer token",
    ]
    for text in texts:
        assert guard.mask(text) == text


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("Authorization: Bearer zz9Top5Secret7Value", "zz9Top5Secret7Value"),
        ('{"authorization": "Bearer zz9Top5Secret7Value"}', "zz9Top5Secret7Value"),
        ("header x-api-key=zz9Top5Secret7Value rejected", "zz9Top5Secret7Value"),
        ("invalid Bearer zz9Top5Secret7Value.", "zz9Top5Secret7Value"),
        ("GET /v1/models?key=zz9Top5Secret7Value&x=1", "zz9Top5Secret7Value"),
        ("could not connect to https://bob:zz9Top5Secret7Value@host/v1", "zz9Top5Secret7Value"),
        ("Authorization: Basic Ym9iOnp6OVRvcDVTZWNyZXQ=", "Ym9iOnp6OVRvcDVTZWNyZXQ="),
    ],
)
def test_credentials_no_setting_names_are_masked(text: str, secret: str) -> None:
    """Ensure header values, Bearer tokens, URL key parameters and URL passwords a host echoes
    are masked even when the guard knows no key."""
    masked = KeyGuard().mask(text)
    assert pieces_in(masked, secret) == []
    assert MASK in masked


def test_remember_takes_every_string_of_a_wrongly_typed_key() -> None:
    """Ensure a key inside a list or object, a numeric key and a key with its newline are all
    remembered, and that values too short to be keys are not."""
    guard = KeyGuard()
    guard.remember([KEYS["zai"]])
    guard.remember({"value": {"inner": KEYS["deepinfra"]}})
    guard.remember(31415926535897932384)
    guard.remember(KEYS["openrouter"] + "\n")
    guard.remember("abc")
    guard.remember(True)
    assert set(guard.keys) >= {KEYS["zai"], KEYS["deepinfra"], KEYS["openrouter"]}
    assert "31415926535897932384" in guard.keys
    assert "abc" not in guard.keys and "True" not in guard.keys
    text = f"{KEYS['openrouter']} {KEYS['zai'][:20]} 31415926535897932384 abc"
    assert guard.mask(text) == f"{MASK} {MASK} {MASK} abc"


def test_key_variables_cover_every_provider_and_are_remembered() -> None:
    """Ensure the guard reads every variable a provider preset takes its key from."""
    wanted = {var for preset in PRESETS.values() for var in preset.key_env_vars}
    assert wanted <= set(KEY_ENV_VARS)
    guard = KeyGuard()
    guard.remember_environ({var: f"{var}-value-{i:04d}" for i, var in enumerate(KEY_ENV_VARS)})
    assert len(guard.keys) == len(KEY_ENV_VARS)


def test_masking_writer_keeps_lengths_so_content_length_stays_true() -> None:
    """Ensure the transport writer replaces a key with as many asterisks and passes the rest."""
    key = KEYS["zai"]
    sink = io.BytesIO()
    writer = MaskingWriter(sink, guard_for(key))
    body = json.dumps({"message": f"boom {key}"}).encode()
    data = b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
    writer.write(data)
    out = sink.getvalue()
    assert len(out) == len(data)
    assert key.encode() not in out and b"*" * len(key) in out
    assert json.loads(out.split(b"\r\n\r\n", 1)[1])["message"] == "boom " + "*" * len(key)


def test_masking_writer_leaves_placeholder_keys_in_content_alone() -> None:
    """Ensure a short placeholder key (``ollama`` for a local host) is masked in messages but
    not in the bytes of an edit or answer, where the same word is ordinary text."""
    guard = guard_for("ollama")
    sink = io.BytesIO()
    MaskingWriter(sink, guard).write(b'{"newText": "import ollama"}')
    assert sink.getvalue() == b'{"newText": "import ollama"}'
    assert guard.mask("key ollama rejected") == f"key {MASK} rejected"


def test_log_records_are_masked_in_message_arguments_and_traceback() -> None:
    """Ensure a key in a log call's arguments or in a logged exception's traceback is masked."""
    key = KEYS["deepinfra"]
    remember(key)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(SecretFilter())
    logger = logging.getLogger("glm_lsp.test_keyguard")
    logger.addHandler(handler)
    try:
        logger.warning("header %s", f"Bearer {key}")
        try:
            raise ValueError(f"bad key {key[:20]}")
        except ValueError:
            logger.exception("failed with %r", {"k": key[5:30]})
    finally:
        logger.removeHandler(handler)
    text = stream.getvalue()
    assert "ValueError" in text and "failed with" in text
    assert pieces_in(text, key) == []


def test_error_str_masks_a_key_remembered_after_the_error_was_built() -> None:
    """Ensure str() of one of our errors masks a key even when it was learnt later."""
    late = "Late7Key9Learnt2After3The4Error5Was6Built"
    error = AuthError(f"rejected {late}")
    remember(late)
    assert pieces_in(str(error), late) == []
    assert pieces_in(f"{error}", late) == []


@pytest.mark.parametrize("into", range(0, len(KEYS["zai"]) + 1, 3))
def test_host_error_echoing_the_key_across_the_cut_keeps_no_piece(into: int) -> None:
    """Ensure a 401 body quoting the key so that the 300-character cut falls ``into`` characters
    inside it gives an auth error with the host's words but no piece of the key."""
    key = KEYS["zai"]
    message = key_echo_message(key, cut_at=HOST_MESSAGE_CHARS, into=into)
    body = json.dumps({"error": {"code": "1002", "message": message}}).encode()
    error = error_from_body(PRESETS["zai"], 401, body, {}, secret=key)
    assert isinstance(error, AuthError)
    assert "host said: Authorization Token is invalid" in str(error)
    assert pieces_in(str(error), key) == []


def test_plain_text_bodies_and_stream_error_frames_are_masked_before_the_cut() -> None:
    """Ensure a non-JSON error body and an error frame inside a stream are masked first too."""
    key = KEYS["openrouter"]
    text = ("z" * (HOST_MESSAGE_CHARS - 10) + key).encode()
    plain = error_from_body(PRESETS["openrouter"], 401, text, {}, secret=key)
    frame = {"error": {"code": 401, "message": "x" * 290 + f"Authorization: Bearer {key}"}}
    streamed = error_from_payload(PRESETS["openrouter"], None, frame, secret=key)
    for error in (plain, streamed):
        assert pieces_in(str(error), key) == []


def test_host_code_field_is_masked_and_bounded() -> None:
    """Ensure a business code that is really a long string echoing the key is masked and cut."""
    key = KEYS["zai"]
    remember(key)
    error = error_from_payload(PRESETS["zai"], 400, {"error": {"code": "E" * 90 + key}})
    assert pieces_in(str(error), key) == []
    assert len(str(error.code)) <= 40


@pytest.mark.parametrize(
    "value",
    [31415926535897932384, [KEYS["zai"]], {"value": KEYS["zai"]}, f"key {KEYS['zai']}", True],
    ids=["number", "list", "object", "with-space", "bool"],
)
def test_wrongly_typed_api_key_is_named_never_echoed(value: Any) -> None:
    """Ensure a wrongly typed apiKey is refused with a message naming glm.apiKey and the
    expected type, and holding no piece of the value."""
    with pytest.raises(ConfigError) as caught:
        structure_settings({"apiKey": value})
    message = str(caught.value)
    assert caught.value.key == "glm.apiKey"
    assert "glm.apiKey" in message
    assert "as a string" in message or "printable ASCII" in message
    secret = str(value)
    assert pieces_in(message, KEYS["zai"]) == []
    assert pieces_in(message, secret) == []


@pytest.mark.parametrize("setting", ["baseUrl", "provider", "inline", "exclude", "name"])
def test_key_pasted_into_another_setting_is_not_echoed(setting: str) -> None:
    """Ensure a key pasted into another setting (or as a setting's name) is refused with the
    setting named and its value described, not quoted, even before the guard knows it."""
    key = "Un5Known7Key9Pasted2In3The4Wrong5Place6"
    raw = {key: True} if setting == "name" else {setting: key}
    with pytest.raises(ConfigError) as caught:
        structure_settings(raw)
    message = caught.value.args[0]
    assert (setting in message) if setting != "name" else ("unknown setting" in message)
    assert pieces_in(message, key) == []


def test_short_values_are_still_quoted_for_a_clear_message() -> None:
    """Ensure a short mistyped value (a provider typo) is quoted so the user sees the typo."""
    with pytest.raises(ConfigError) as caught:
        structure_settings({"provider": "openruoter"})
    assert "'openruoter'" in str(caught.value)


def test_key_with_surrounding_whitespace_is_stripped_and_remembered() -> None:
    """Ensure a key pasted with a newline is used without it and masked in either form."""
    key = "Strip7Me9Newline2Key3Value4Here5"
    store = SettingsStore(environ={})
    settings = store.update("workspace", {"apiKey": f"  {key}\n"})
    assert settings.api_key == key
    assert pieces_in(str(ConfigError(f"echo {key}\n")), key) == []


def test_environment_keys_are_masked_from_the_start() -> None:
    """Ensure a settings store masks its environment's keys before any setting is read."""
    key = "Env7Key9From2The3Process4Environ5"
    SettingsStore(environ={"TOGETHER_API_KEY": key})
    assert pieces_in(str(ConfigError(f"boom {key[3:30]}")), key) == []


def test_uncaught_exceptions_reach_stderr_masked(capsys: pytest.CaptureFixture[str]) -> None:
    """Ensure the excepthook configure_logging installs masks a key in an uncaught traceback."""
    from glm_lsp.logs import _masked_excepthook

    key = "Qx8Wz3Lp5Rt7Vn2Hj4Kd6Mf9Bs1"
    remember(key)
    try:
        raise RuntimeError(f"header value Bearer {key}")
    except RuntimeError:
        _masked_excepthook(*sys.exc_info())  # type: ignore[arg-type]
    err = capsys.readouterr().err
    assert "RuntimeError" in err
    assert pieces_in(err, key) == []
