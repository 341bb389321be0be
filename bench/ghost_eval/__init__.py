"""Ghost-text evaluation on holes cut from real code, with composed model corruptions.

`python bench/inline_eval.py` is the entry point (docs/evaluation.md). Modules: `corpus` (where
the sources come from), `holes` (cutting holes), `corruptions` (the damage, composed), `dev`,
`heldout`, `fresh` (seed families' variant pools; filter authors read only `dev`), `fresh2` and
`fresh2_shapes` (a family with its own composition, unread by filter authors too), `fresh3`,
`fresh3_shapes`, `fresh3_wrap`, `fresh3_text` (an unseen family of the headline, likewise; so
are `fresh4*`, `fresh5*` and the newest, `fresh6`, `fresh6_code`, `fresh6_words`),
`family` (how a family builds answers, where the true text sits in them), `judge` (the strict
verdict, answerable samples), `run` (the pipeline as the server drives it, tallies), `report`
(the CLI).
"""
