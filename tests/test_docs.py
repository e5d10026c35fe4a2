"""The README says what the code does: its commands, settings and public API."""

import re
from pathlib import Path

import sitroom
from sitroom.settings import SETTINGS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_two_commands_at_the_top_exist():
    top = README[:README.index("## What comes out")]
    assert "make demo" in top and "make test" in top
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^demo:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_settings_table_is_the_one_settings_py_defines():
    import importlib.util
    spec = importlib.util.spec_from_file_location("settings_table", ROOT / "scripts" / "settings_table.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.render(README) == README, "run: python scripts/settings_table.py"
    rows = re.findall(r"^\| (\w+) \| `(SITROOM_\w+)` \|", README, re.M)
    assert {name: env for name, env in rows} == {s.name: s.env for s in SETTINGS.values()}


def test_public_api_is_listed():
    listed = re.search(r"`sitroom.__all__` is the public API: (.+?)\.\n", README, re.S).group(1)
    names = set(re.findall(r"`(\w+)`", listed))
    assert names == set(sitroom.__all__) - {"__version__"}
    for name in sitroom.__all__:
        assert hasattr(sitroom, name)


def test_error_codes_in_readme_exist():
    from sitroom.errors import Errors
    for code in re.findall(r"\((E\d{3})", README):
        assert hasattr(Errors, code), code
