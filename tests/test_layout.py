"""The house: no import circles among sitroom's modules, the command line on top of everything, and no
loose modules at the package top beyond the cross-cutting ones."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "sitroom"
TOP_LEVEL = {"__init__.py", "__main__.py", "errors.py", "settings.py"}


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imports(path: Path, known: dict[str, Path], module_level: bool = True) -> set[str]:
    """The sitroom modules a file imports (at module level, `if TYPE_CHECKING:` blocks included)."""
    def resolve(name: str) -> str | None:
        while name and name not in known:
            name = name.rsplit(".", 1)[0] if "." in name else ""
        return name or None

    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = [n for top in tree.body for n in ([top, *ast.walk(top)] if isinstance(top, ast.If) else [top])] \
        if module_level else list(ast.walk(tree))
    found = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("sitroom"):
            for alias in node.names:
                target = resolve(f"{node.module}.{alias.name}") or resolve(node.module)
                if target:
                    found.add(target)
        elif isinstance(node, ast.Import):
            found |= {t for a in node.names if a.name.startswith("sitroom") and (t := resolve(a.name))}
    return found


def test_no_import_circles():
    known = modules()
    graph = {name: imports(path, known) - {name} for name, path in known.items()}
    circles = []

    def visit(node: str, trail: list[str], done: set[str]) -> None:
        for nxt in sorted(graph[node]):
            if nxt in trail:
                circles.append(trail[trail.index(nxt):] + [nxt])
            elif nxt not in done:
                visit(nxt, trail + [nxt], done)
        done.add(node)

    done: set[str] = set()
    for name in sorted(graph):
        if name not in done:
            visit(name, [name], done)
    assert not circles, "import circles: " + "; ".join(" -> ".join(c) for c in circles[:5])


def test_nothing_below_the_command_line_imports_it():
    known = modules()
    offenders = [name for name, path in known.items() if not name.startswith("sitroom.cli")
                 and name != "sitroom.__main__" and any(t.startswith("sitroom.cli") for t in
                                                         imports(path, known, module_level=False))]
    assert offenders == []


def test_the_package_top_holds_only_cross_cutting_modules():
    loose = {p.name for p in PACKAGE.glob("*.py")}
    assert loose == TOP_LEVEL, sorted(loose - TOP_LEVEL)
