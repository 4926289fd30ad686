"""The package's import graph: no module reaches back to one that imports it, counting the imports
inside functions too (a cycle there is a hidden one, waiting for the first top-level import)."""

import ast
from pathlib import Path

import toolkit

ROOT = Path(toolkit.__file__).parent


def _imports() -> dict[str, set[str]]:
    modules = {".".join(("toolkit", *f.relative_to(ROOT).with_suffix("").parts)).removesuffix(".__init__"): f
               for f in ROOT.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        targets = set()
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                targets |= {node.module, *(f"{node.module}.{a.name}" for a in node.names)}
            elif isinstance(node, ast.Import):
                targets |= {a.name for a in node.names}
        graph[name] = {t for t in targets if t in modules and t != name}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module."""
    order, low, stack, found, counter = {}, {}, [], [], [0]

    def visit(v: str) -> None:
        order[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        for w in graph[v]:
            if w not in order:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], order[w])
        if low[v] == order[v]:
            component = []
            while not component or component[-1] != v:
                component.append(stack.pop())
            if len(component) > 1:
                found.append(sorted(component))

    for v in graph:
        if v not in order:
            visit(v)
    return found


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycle_in_the_library():
    # toolkit.cli registers its command modules, which import the group's shared options back: the
    # command layer only.
    cycles = [c for c in _cycles(_imports()) if not all(m.startswith("toolkit.cli") for m in c)]
    assert cycles == []
