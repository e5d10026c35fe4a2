"""Loaders and scorers for the public gold sets sitroom is measured on, one module per foreign format.

Each module offers `load(path) -> list[item]` (pure parsing), `predict(items) -> predictions` (runs the part
of sitroom the set measures) and `score(items, predictions) -> dict` (the metric that set's community uses).
`load` and `score` never touch the pipeline, so the tests exercise them on small inline samples.
"""
