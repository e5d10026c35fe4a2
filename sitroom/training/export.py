"""Writing the shipped weights: the fine-tuned encoder and its tagging head as one ONNX graph, its weights
quantised to int8 (four times smaller, about twice as fast on a CPU), the tokenizer, and a manifest with the
checksums the run-time loader verifies and the figures the weights were shipped with."""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

import torch

from sitroom.components.encoder import MANIFEST, MODEL_FILE, TOKENIZER_FILE
from sitroom.training.tagger import LABELS, Tagger


class Graph(torch.nn.Module):
    """What the run-time graph computes, per wordpiece: label probabilities and the last hidden layer."""

    def __init__(self, tagger: Tagger) -> None:
        super().__init__()
        self.tagger = tagger

    def forward(self, ids: torch.Tensor, mask: torch.Tensor, segments: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        logits, hidden = self.tagger(ids, mask, segments)
        return logits.softmax(-1), hidden


def write(tagger: Tagger, tokenizer_json: bytes, folder: Path, meta: dict) -> Path:
    from onnxruntime.quantization import QuantType, quantize_dynamic
    folder.mkdir(parents=True, exist_ok=True)
    tagger.eval()
    ids = torch.ones((2, 8), dtype=torch.long)
    mask = torch.ones((2, 8), dtype=torch.long)
    segments = torch.zeros((2, 8), dtype=torch.long)
    with tempfile.TemporaryDirectory() as tmp:
        full = Path(tmp) / "full.onnx"
        torch.onnx.export(Graph(tagger), (ids, mask, segments), str(full),
                          input_names=["input_ids", "attention_mask", "token_type_ids"],
                          output_names=["probs", "hidden"], opset_version=17, dynamo=False,
                          dynamic_axes={name: {0: "batch", 1: "pieces"}
                                        for name in ("input_ids", "attention_mask", "token_type_ids", "probs", "hidden")})
        quantize_dynamic(str(full), str(folder / MODEL_FILE), weight_type=QuantType.QInt8)
    (folder / TOKENIZER_FILE).write_bytes(tokenizer_json)
    manifest = {**meta, "labels": list(LABELS),
                "files": {name: sha256(folder / name) for name in (MODEL_FILE, TOKENIZER_FILE)}}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return folder


def write_cnn(nlp, folder: Path, meta: dict) -> Path:
    """The CNN family's folder: spaCy's own serialisation, every file of it checksummed."""
    folder.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(folder / "cnn")
    files = sorted(p.relative_to(folder).as_posix() for p in (folder / "cnn").rglob("*") if p.is_file())
    manifest = {**meta, "family": "cnn", "labels": list(LABELS), "files": {name: sha256(folder / name) for name in files}}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return folder


def add_file(folder: Path, name: str, content: bytes) -> None:
    """Put one more file (a head trained later) into a model folder, with its checksum in the manifest."""
    (folder / name).write_bytes(content)
    manifest = read(folder)
    manifest["files"][name] = sha256(folder / name)
    save(folder, manifest)


def drop_file(folder: Path, name: str) -> None:
    manifest = read(folder)
    if manifest["files"].pop(name, None) is not None:
        (folder / name).unlink(missing_ok=True)
        save(folder, manifest)


def update_manifest(folder: Path, **meta: object) -> None:
    save(folder, {**read(folder), **meta})


def read(folder: Path) -> dict:
    return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))


def save(folder: Path, manifest: dict) -> None:
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def npz_bytes(arrays: dict) -> bytes:
    import io
    import numpy as np
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
