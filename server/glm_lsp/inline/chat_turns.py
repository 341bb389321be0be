"""A prompt's turn written again before the answer, in a chat template's markup.

A model (or a host that echoes the prompt) may send the user's or system's turn back before its
own: `<|im_start|>user ... <|im_end|><|im_start|>assistant\\n x`, Gemma's `<start_of_turn>`,
Llama 3's `<|start_header_id|>user<|end_header_id|>`, Mistral's `[INST] ... [/INST]`, Phi's
`<|user|>`, DeepSeek's `<｜User｜>`, or plain `Human:` ... `Assistant:` lines. Read literally,
the end token of that turn ends the answer before it starts, and its words are shown. The answer
is what follows the first assistant turn's marker after it.
"""

from __future__ import annotations

import re

_OTHER_TURN = re.compile(
    r"\A\s*(?:<s>)?\s*(?:(?P<token><\|im_start\|>[ \t]*(?:user|system)|<start_of_turn>[ \t]*user"
    r"|<\|(?:user|system)\|>|<\|start_header_id\|>[ \t]*(?:user|system)|\[INST\]|<｜User｜>)"
    r"|(?P<word>(?:Human|User)[ \t]*:))",
    re.IGNORECASE,
)
"""A user or system turn opening the answer (special tokens, or a `Human:` line)."""
_ASSISTANT_TURN = re.compile(
    r"<\|im_start\|>[ \t]*assistant[ \t]*\n?|<start_of_turn>[ \t]*model[ \t]*\n?"
    r"|<\|assistant\|>[ \t]*\n?|<\|start_header_id\|>[ \t]*assistant[ \t]*<\|end_header_id\|>"
    r"[ \t]*\n?(?:[ \t]*\n)?|\[/INST\][ \t]*|<｜Assistant｜>|^(?:Assistant|AI)[ \t]*:[ \t]*",
    re.IGNORECASE | re.MULTILINE,
)


def after_other_turns(text: str, final: bool) -> str | None:
    """`text` from the first assistant turn after a user or system turn that opens it; the
    text unchanged without such a turn. While the assistant's marker has not arrived after a
    turn of special tokens: None (a stream still arriving) or "" (it never came)."""
    if "<" not in text[:40] and "[" not in text[:40] and ":" not in text[:40]:
        return text
    opened = _OTHER_TURN.match(text)
    if opened is None:
        return text
    answer = _ASSISTANT_TURN.search(text, opened.end())
    if answer is not None:
        return text[answer.end() :]
    if opened.group("word"):
        # `User: TypeAlias = ...` may be code: only an `Assistant:` line says, so a stream is
        # held until it comes or the stream ends.
        return text if final else None
    return None if not final else ""
