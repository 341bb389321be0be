"""The model client: one public surface for talking to GLM over HTTP."""
