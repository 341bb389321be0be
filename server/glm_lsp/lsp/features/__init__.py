"""Thin LSP glue: each module's ``register(server)`` adds its handlers and commands."""
