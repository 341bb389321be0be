"""``python -m glm_lsp`` does what the ``glm-lsp`` executable does."""

from __future__ import annotations

from glm_lsp.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
