"""Fine-tuning the encoder as a trigger tagger: per word, no event or one of the 16 PLOVER types."""

from __future__ import annotations

import logging
import math
import random
import time
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from sitroom.components.encoder import Aligned, align, batches, padded
from sitroom.knowledge.ontology import PLOVER_TYPES
from sitroom.training.bert import Bert

log = logging.getLogger(__name__)
LABELS = ("O",) + PLOVER_TYPES


@dataclass
class Settings:
    epochs: int = 5
    lr: float = 8e-5
    head_lr: float = 1e-3
    batch: int = 16
    warmup: float = 0.1
    weight_decay: float = 0.01
    positive_weight: float = 2.0
    seed: int = 13


class Tagger(nn.Module):
    def __init__(self, bert: Bert) -> None:
        super().__init__()
        self.bert = bert
        self.dropout = nn.Dropout(0.1)
        self.classify = nn.Linear(bert.config.hidden_size, len(LABELS))

    def forward(self, ids: torch.Tensor, mask: torch.Tensor, segments: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Label logits and the last hidden layer, per wordpiece."""
        hidden = self.bert(ids, mask, segments)
        return self.classify(self.dropout(hidden)), hidden


@dataclass
class Example:
    aligned: Aligned
    targets: list[tuple[int, list[int]]]    # (wordpiece index, acceptable label indices)


def examples(sentences: list[dict], tokenizer, context: bool = False) -> list[Example]:
    out = []
    index = {name: i for i, name in enumerate(LABELS)}
    previous: dict | None = None
    for sent in sentences:
        before = previous["text"] if context and previous is not None and previous["doc"] == sent["doc"] else ""
        previous = sent
        aligned = align(tokenizer, sent["text"], [tuple(t) for t in sent["tokens"]], before)
        targets = []
        for piece, labels in zip(aligned.first, sent["labels"]):
            if piece < 0 or labels is None:
                continue
            targets.append((piece, [index[t] for t in labels] if labels else [0]))
        out.append(Example(aligned, targets))
    return out


def loss_of(logits: torch.Tensor, batch: list[Example], positive_weight: float) -> torch.Tensor:
    """-log of the probability of the acceptable labels (several when the gold allows two types)."""
    rows, cols, allowed, weights = [], [], [], []
    for r, example in enumerate(batch):
        for piece, labels in example.targets:
            rows.append(r)
            cols.append(piece)
            row = torch.zeros(len(LABELS), dtype=torch.bool)
            row[labels] = True
            allowed.append(row)
            weights.append(1.0 if labels == [0] else positive_weight)
    logp = logits[rows, cols].log_softmax(-1)
    picked = logp.masked_fill(~torch.stack(allowed), -1e9).logsumexp(-1)
    w = torch.tensor(weights)
    return -(picked * w).sum() / w.sum()


def train(model: Tagger, data: list[Example], settings: Settings) -> Tagger:
    rng = random.Random(settings.seed)
    torch.manual_seed(settings.seed)
    head = list(model.classify.parameters())
    body = [p for n, p in model.named_parameters() if not n.startswith("classify.")]
    optimizer = torch.optim.AdamW([{"params": body, "lr": settings.lr}, {"params": head, "lr": settings.head_lr}],
                                  weight_decay=settings.weight_decay)
    groups = batches([e.aligned for e in data], settings.batch)
    total = settings.epochs * len(groups)
    warmup = max(1, int(total * settings.warmup))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min((step + 1) / warmup, max(0.0, (total - step) / (total - warmup))))
    model.train()
    for epoch in range(settings.epochs):
        rng.shuffle(groups)
        started, running = time.time(), 0.0
        for group in groups:
            batch = [data[i] for i in group]
            if not any(e.targets for e in batch):
                continue
            ids, mask, segments = (torch.from_numpy(a) for a in padded([e.aligned for e in batch]))
            logits, _ = model(ids, mask, segments)
            loss = loss_of(logits, batch, settings.positive_weight)
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            running += loss.item()
        log.info("epoch %d: loss %.4f (%.0f s)", epoch + 1, running / len(groups), time.time() - started)
    model.eval()
    return model


@torch.no_grad()
def predict(model: Tagger, items: list[Aligned]) -> list[np.ndarray]:
    """Per item: label probabilities per wordpiece."""
    model.eval()
    out: list[np.ndarray] = [np.zeros(0)] * len(items)
    for group in batches(items, 32):
        ids, mask, segments = (torch.from_numpy(a) for a in padded([items[i] for i in group]))
        logits, _ = model(ids, mask, segments)
        probs = logits.softmax(-1).numpy()
        for row, i in enumerate(group):
            out[i] = probs[row, :len(items[i].ids)]
    return out


def set_threads() -> None:
    torch.set_num_threads(max(1, min(2, torch.get_num_threads())))
    torch.use_deterministic_algorithms(True)
