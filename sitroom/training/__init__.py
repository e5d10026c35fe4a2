"""Rebuilding the shipped event model from ../shared/data (needs the `train` extra: torch, onnx and the MiniLM
base weights). `python -m sitroom.training --help` runs it; nothing here is imported at run time."""
