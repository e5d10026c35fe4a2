"""Rewrite the README's settings table from sitroom/settings.py (the one place settings are defined)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sitroom.settings import SETTINGS  # noqa: E402

BLOCK = re.compile(r"(<!-- settings:[^\n]*-->\n)(.*?)(<!-- /settings -->)", re.S)


def table() -> str:
    rows = ["| setting | environment variable | default | meaning |", "| --- | --- | --- | --- |"]
    for setting in SETTINGS.values():
        rows.append(f"| {setting.name} | `{setting.env}` | {setting.default} | {setting.help} |")
    return "\n".join(rows) + "\n"


def render(readme: str) -> str:
    return BLOCK.sub(lambda m: m.group(1) + table() + m.group(3), readme)


if __name__ == "__main__":
    path = ROOT / "README.md"
    path.write_text(render(path.read_text(encoding="utf-8")), encoding="utf-8")
