"""python -m sitroom.training: rebuild the shipped event model (or measure it by held-out folds)."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from sitroom.training.run import DEFAULT_DATA, DEFAULT_OUT, FOLDS, cross_validate, rebuild


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sitroom.training", description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder (../shared/data)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where the weights go (the package's)")
    parser.add_argument("--folds", type=int, default=FOLDS, help="folds of the stories (default: %(default)s)")
    parser.add_argument("--measure", action="store_true",
                        help="measure only: train on all but one fold, score the held-out one with `sitroom "
                             "eval`, report the folds together; the shipped weights are left alone")
    parser.add_argument("--epochs", type=int, default=None, help="encoder epochs (default: the tagger's)")
    parser.add_argument("--family", choices=("minilm", "cnn"), default="minilm",
                        help="with --measure: the model family")
    parser.add_argument("--judge", choices=("hybrid", "model"), default="hybrid",
                        help="with --measure: the model alone, or with the syntactic rules on top")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the encoders already trained (the folds' in build/training, the shipped one) and "
                             "fit the heads again: after a change to the rules or the heads")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    logging.getLogger("sitroom").setLevel(logging.INFO)
    if args.measure:
        cross_validate(args.data, args.folds, args.epochs, args.family, args.judge, args.reuse)
    else:
        rebuild(args.data, args.out, args.epochs, args.folds, args.reuse)
    return 0


if __name__ == "__main__":
    sys.exit(main())
