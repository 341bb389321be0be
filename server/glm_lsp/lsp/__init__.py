"""The editor-facing layer: the only code that speaks LSP (pygls, lsprotocol)."""
