"""What the server tells the editor about its health: ``glm/status`` and one-time notices.

The base state is ``ready``, ``unconfigured`` (no key) or ``error`` (the last upstream call
failed in a way the user must fix). While requests run the state is ``busy``; when the last one
ends it returns to the base state. A notice is shown once per key until the condition clears,
so a missing key or an exhausted quota is said once, not at every keystroke. Every message
passes the key guard (``keyguard.mask_secrets``) before it is kept or sent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Literal

from glm_lsp.keyguard import mask_secrets

__all__ = ["NoticeLevel", "State", "StatusBoard"]

State = Literal["ready", "busy", "error", "unconfigured"]
NoticeLevel = Literal["error", "warning", "info"]


class StatusBoard:
    """Tracks the status, sends it when it changes, and shows each notice once."""

    def __init__(
        self,
        send_status: Callable[[dict[str, str]], None],
        show_notice: Callable[[NoticeLevel, str], None],
    ) -> None:
        self._send_status = send_status
        self._show_notice = show_notice
        self._base: State = "ready"
        self._base_message: str | None = None
        self._busy = 0
        self._sent: tuple[State, str | None] | None = None
        self._shown: set[str] = set()

    @property
    def state(self) -> State:
        """The state the editor was last told, or would be told now."""
        return "busy" if self._busy else self._base

    @property
    def message(self) -> str | None:
        """The message that goes with the base state."""
        return self._base_message

    def set_base(self, state: State, message: str | None = None) -> None:
        """Set the state shown when nothing runs."""
        self._base, self._base_message = state, None if message is None else mask_secrets(message)
        self._publish()

    @contextmanager
    def busy(self, message: str | None = None) -> Iterator[None]:
        """Mark the server busy while the block runs."""
        self._busy += 1
        self._publish(message)
        try:
            yield
        finally:
            self._busy -= 1
            self._publish()

    def notice_once(self, key: str, level: NoticeLevel, message: str) -> bool:
        """Show ``message`` unless the notice ``key`` is already shown; True when shown now."""
        if key in self._shown:
            return False
        self._shown.add(key)
        self._show_notice(level, mask_secrets(message))
        return True

    def clear_notice(self, key: str | None = None) -> None:
        """Allow notice ``key`` (or every notice) to be shown again."""
        if key is None:
            self._shown.clear()
        else:
            self._shown.discard(key)

    def _publish(self, busy_message: str | None = None) -> None:
        state = self.state
        message = busy_message if state == "busy" else self._base_message
        if (state, message) == self._sent:
            return
        self._sent = (state, message)
        payload: dict[str, str] = {"state": state}
        if message:
            payload["message"] = mask_secrets(message)
        self._send_status(payload)
