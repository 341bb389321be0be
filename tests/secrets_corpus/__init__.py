"""The secrets corpus: realistic secret shapes that must not survive redaction and
look-alikes that must survive it unchanged, in a tuned split (the rules were developed
against it) and a held-out split (written first, never used to tune the rules)."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

HERE = Path(__file__).parent
SPLITS = ("tuned", "heldout")


@dataclass(frozen=True)
class Case:
    split: str
    id: str
    file: str
    text: str
    secrets: tuple[str, ...]

    @property
    def is_secret(self) -> bool:
        return bool(self.secrets)

    def leaked(self, redacted: str) -> list[str]:
        """The secret substrings still present in `redacted`."""
        return [s for s in self.secrets if s in redacted]


def load(split: str, cls: str) -> list[Case]:
    """The cases of one split (`tuned`/`heldout`) and class (`secrets`/`lookalikes`)."""
    with open(HERE / split / f"{cls}.toml", "rb") as fh:
        data = tomllib.load(fh)
    cases = [
        Case(split, c["id"], c["file"], c["text"], tuple(c.get("secrets", ())))
        for c in data["case"]
    ]
    for case in cases:
        assert (cls == "secrets") == case.is_secret, case.id
        assert all(s in case.text for s in case.secrets), case.id
    return cases


def load_all() -> list[Case]:
    return [c for split in SPLITS for cls in ("secrets", "lookalikes") for c in load(split, cls)]
