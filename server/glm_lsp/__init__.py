"""glm-lsp: GLM-4.6 / GLM-4.7 coding assistance over the Language Server Protocol."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
