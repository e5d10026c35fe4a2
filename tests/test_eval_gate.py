"""The evaluation gate (after trafilatura's tests/eval_gate.py): dev-split figures of a fixed sample of every
gold set may not drop below the floors pinned in benchmarks/floors.json.

Floors only move up: when a change improves a figure, raise its floor on purpose
(`python benchmarks/scoreboard.py --raise-floors`); a change that lowers one fails here. Test splits are
never part of the gate. The whole gate runs in well under 3 minutes on the project's 2-core machine.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import scoreboard

FLOORS = scoreboard.load_floors()["sets"]


def test_floors_cover_the_gate_plan_and_dev_sets_only():
    assert set(FLOORS) == set(scoreboard.GATE_PLAN)
    for set_id, entry in FLOORS.items():
        assert scoreboard.BY_ID[set_id].split == "dev", f"{set_id}: the gate measures dev splits only"
        assert entry["sample"] == scoreboard.GATE_PLAN[set_id][0]
        assert set(entry["floors"]) == set(scoreboard.GATE_PLAN[set_id][1])
        assert all(0.0 <= v <= 1.0 and round(v, 2) == v for v in entry["floors"].values())


def test_a_drop_below_a_floor_is_reported():
    assert scoreboard.below_floor({"f1": 0.61}, {"f1": 0.60}) == []
    assert scoreboard.below_floor({"f1": 0.60}, {"f1": 0.60}) == []
    assert scoreboard.below_floor({"f1": 0.59}, {"f1": 0.60}) == ["f1: 0.59 < floor 0.6"]
    assert scoreboard.below_floor({}, {"f1": 0.60}) == ["f1: None < floor 0.6"]
    assert scoreboard.round_down(0.6789) == 0.67 and scoreboard.round_down(0.7) == 0.7


@pytest.mark.slow
@pytest.mark.parametrize("set_id", sorted(FLOORS))
def test_dev_figures_stay_above_their_floors(set_id):
    path = scoreboard.resolve_path(scoreboard.BY_ID[set_id])
    assert path.exists(), f"gold set missing: {path} (the gate needs ../shared/data beside the repository)"
    entry = FLOORS[set_id]
    figures = scoreboard.measure(set_id, entry["sample"])
    problems = scoreboard.below_floor(figures, entry["floors"])
    assert not problems, f"{set_id} dropped below its floors: " + "; ".join(problems)
