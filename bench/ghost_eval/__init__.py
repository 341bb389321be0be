"""Ghost-text evaluation on holes cut from real code, with composed model corruptions.

`python bench/inline_eval.py` is the entry point (docs/evaluation.md). Modules: `corpus` (where
the sources come from), `holes` (cutting holes), `corruptions` (the damage, composed), `dev` and
`heldout` (the two seed families' variant pools; filter authors read only `dev`), `judge` (the
strict verdict), `run` (the pipeline as the server drives it, tallies), `report` (the CLI).
"""
