"""The package's shape: no import circle, small modules, ``__init__`` files that only re-export."""
from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

from helpers import ROOT

PACKAGE = ROOT / "summarizer"
MAX_LINES = 300


def _modules() -> dict[str, Path]:
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


def _import_graph() -> dict[str, set[str]]:
    """Module → the package's modules it imports (any import statement, at any depth, except under
    ``if TYPE_CHECKING``); importing a submodule also runs its packages' ``__init__``."""
    modules = _modules()

    def resolve(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = {id(node) for block in ast.walk(tree) if isinstance(block, ast.If)
                       and "TYPE_CHECKING" in ast.unparse(block.test) for node in ast.walk(block)}
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            else:
                continue
            for target in targets:
                found = resolve(target) if target.startswith("summarizer") else None
                if not found or found == name:
                    continue
                graph[name].add(found)
                parts = found.split(".")
                for end in range(1, len(parts)):
                    package = ".".join(parts[:end])
                    if package in modules and not name.startswith(package + ".") and package != name:
                        graph[name].add(package)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    sys.setrecursionlimit(max(10_000, sys.getrecursionlimit()))
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_circle():
    assert _cycles(_import_graph()) == []


def test_the_cycle_finder_finds_a_circle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_over_300_lines():
    long = {str(p.relative_to(ROOT)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


#: the layers, lowest first (issue #32): a module imports its own layer and those below, never above
LAYERS = (
    ("core", ("summarizer.types", "summarizer.text", "summarizer.config", "summarizer.config_schema",
              "summarizer.registries", "summarizer.errors", "summarizer.stats", "summarizer.runtime",
              "summarizer.align.records", "summarizer.align")),  # the alignment's records travel in types
    ("stages", ("summarizer.ingest", "summarizer.segment", "summarizer.embed", "summarizer.align",
                "summarizer.retrieve", "summarizer.fuse", "summarizer.verify", "summarizer.neutral",
                "summarizer.compare")),
    ("pipeline", ("summarizer.pipeline",)),
    ("outputs", ("summarizer.render", "summarizer.batch", "summarizer.api", "summarizer.serve")),
    ("evaluation", ("summarizer.evaluation",)),
    ("commands", ("summarizer.cli", "summarizer.commands", "summarizer.__main__")),  # dispatch every command
)
#: known upward imports, each a debt to pay (none today)
KNOWN_UPWARD: set[tuple[str, str]] = set()


def _layer(module: str) -> int:
    """The layer of ``module``: its first listed name that is the module or a package above it
    (``summarizer.align`` the package root is core; ``summarizer.align.stage`` a stage)."""
    for rank, (_, names) in enumerate(LAYERS):
        if module in names:
            return rank
    for rank, (_, names) in enumerate(LAYERS):
        if any(module.startswith(name + ".") for name in names if name not in ("summarizer.align",)):
            return rank
    if module.startswith("summarizer.align."):
        return 1
    raise AssertionError(f"{module}: in no layer of LAYERS")


def _string_imports() -> dict[str, set[str]]:
    """Module → the modules it names in "summarizer.x:attribute" strings (resolved at run time by
    ``import_object``); the registries' table is the one place such names are the design."""
    found: dict[str, set[str]] = {}
    for name, path in _modules().items():
        if name == "summarizer.registries":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                match = re.fullmatch(r"(summarizer(?:\.\w+)+):[\w.]+", node.value)
                if match:
                    found.setdefault(name, set()).add(match.group(1))
    return found


def test_layers_hold_lazy_and_string_imports_included():
    graph = _import_graph()
    for name, targets in _string_imports().items():
        graph[name] |= targets
    upward = sorted(f"{name} ({LAYERS[_layer(name)][0]}) imports {target} ({LAYERS[_layer(target)][0]})"
                    for name, targets in graph.items() if name != "summarizer"
                    for target in targets if target != "summarizer" and _layer(target) > _layer(name)
                    and (name, target) not in KNOWN_UPWARD)
    assert upward == []


def test_at_most_14_modules_at_the_package_root():
    # Issue #32: stages live in their packages; the root keeps the core, the pipeline and the entry points.
    loose = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(loose) <= 14, loose


def test_no_function_over_60_lines():
    # Issue #32: a function a reader can hold in view; longer ones hid parallel lists and closures.
    long = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno >= 60:
                long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({node.end_lineno - node.lineno + 1} lines)")
    assert long == []


def test_package_init_files_only_re_export():
    for path in PACKAGE.rglob("__init__.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            docstring = isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
            exports = isinstance(node, ast.Assign) and [t.id for t in node.targets if isinstance(t, ast.Name)] in (
                ["__all__"], ["__version__"])
            assert docstring or exports or isinstance(node, (ast.Import, ast.ImportFrom)), \
                f"{path.relative_to(ROOT)}:{node.lineno}: logic in an __init__.py"


def test_stage_modules_do_not_import_the_config_loader():
    # Stages read their section of the schema; only entry points load configs (no circle, fast checks).
    graph = _import_graph()
    entry_points = {"summarizer.api", "summarizer.cli", "summarizer.commands", "summarizer.batch.ray_engine",
                    "summarizer.serve.command", "summarizer.serve.inputs",  # a request's settings are its config
                    "summarizer.evaluation.hf_modules.summarizer_consistency.summarizer_consistency"}
    users = {name for name, imports in graph.items() if "summarizer.config" in imports}
    assert users <= entry_points, users - entry_points
