"""The evaluation of the `edit_file` engine (issue 16): real changes cut from real files, the
blocks a model would write for them with the drift models produce, applied and judged
strictly. Entry point: bench/edit_format_eval.py; method and figures: docs/chat.md."""
