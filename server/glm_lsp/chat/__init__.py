"""Chat: streamed, persistent, repo-aware conversations with read-only workspace tools.

No LSP imports: ``features/chat.py`` turns commands into ``ChatService`` calls and sends the
notifications the service asks for (see docs/chat.md).
"""

from __future__ import annotations

from glm_lsp.chat.attach import ContextBuilder, Diagnostic, TurnContext
from glm_lsp.chat.conversation import ModelPlan, plan_for
from glm_lsp.chat.references import References, parse_references
from glm_lsp.chat.service import ChatService, Hooks
from glm_lsp.chat.turn_input import SendRequest, TurnSetup
from glm_lsp.chat.workspace import ChatWorkspace

__all__ = [
    "ChatService",
    "ChatWorkspace",
    "ContextBuilder",
    "Diagnostic",
    "Hooks",
    "ModelPlan",
    "References",
    "SendRequest",
    "TurnContext",
    "TurnSetup",
    "parse_references",
    "plan_for",
]
