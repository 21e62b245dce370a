"""Data flows one way: spec -> strategies -> conformance -> reports.

Everything installs under one import name, ``openai_conformance``: the stage
folders map to ``openai_conformance.spec`` and so on, ``conformance/`` is the
package itself, and the reference server is a target of its own in it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STAGES = ["spec", "strategies", "conformance", "reports"]
# The CLI wires the stages together, so it alone may reach the last one.
CLI = "conformance/cli/"
SERVER = "conformance/server"
# The composition root starts the embedded reference server when no base URL is given.
COMPOSITION = "conformance/engine/_compose.py"
# Inside the package, each part imports only the parts to its left (and itself);
# profiles, errors and the redactor are shared by all of them. The CLI (and the
# proxy, the other front door) may import every part.
PARTS = ["results", "checks", "engine"]
SHARED = {"profiles", "_bodies", "_errors", "redact"}


def imported_modules(path: Path, package: str | None = None) -> set[str]:
    """Absolute module names a file imports (relative imports resolved against its package)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = package or _package_of(path)
    return {module for node in ast.walk(tree) for module in imported_modules_of(node, package)}


def imported_modules_of(node: ast.AST, package: str) -> set[str]:
    """What one statement imports (nothing, if it is no import)."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names}
    if not isinstance(node, ast.ImportFrom):
        return set()
    if node.level:
        base = package.split(".")[: len(package.split(".")) - node.level + 1]
        module = ".".join(base + ([node.module] if node.module else []))
    else:
        module = node.module or ""
    return {module} | {f"{module}.{alias.name}" for alias in node.names if alias.name[0] == "_"}


def _package_of(path: Path) -> str:
    relative = path.relative_to(ROOT).with_suffix("")
    parts = list(relative.parts[:-1])
    if parts and parts[0] in ("spec", "strategies", "reports"):
        return ".".join(["openai_conformance", *parts])
    return ".".join(["openai_conformance", *parts[1:]])


def stage_of(module: str) -> str | None:
    """Which stage an absolute module name belongs to (None: not ours)."""
    parts = module.split(".")
    if parts[0] != "openai_conformance":
        return None
    if len(parts) > 1 and parts[1] in ("spec", "strategies", "reports"):
        return parts[1]
    return "conformance"


def imported_packages(path: Path, package: str | None = None) -> set[str]:
    return {stage for stage in map(stage_of, imported_modules(path, package)) if stage}


def _sources(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("stage", STAGES)
def test_a_stage_imports_only_stages_to_its_left(stage: str) -> None:
    later = set(STAGES[STAGES.index(stage) + 1 :])
    offenders = []
    for path in _sources(stage):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith(CLI):
            continue
        bad = imported_packages(path) & later
        if bad:
            offenders.append(f"{relative} imports {sorted(bad)}")
    assert offenders == []


def test_reports_import_no_private_module_of_another_stage() -> None:
    offenders = []
    for path in _sources("reports"):
        for module in imported_modules(path):
            if stage_of(module) not in (None, "reports") and any(p.startswith("_") for p in module.split(".")[1:]):
                offenders.append(f"{path.relative_to(ROOT)} imports {module}")
    assert offenders == []


def test_the_server_imports_only_spec_and_itself() -> None:
    offenders = []
    for path in _sources(SERVER):
        for module in imported_modules(path):
            if stage_of(module) is None or module.startswith(("openai_conformance.spec", "openai_conformance.server")):
                continue
            offenders.append(f"{path.relative_to(ROOT)} imports {module}")
    assert offenders == []


def test_nothing_of_the_runner_imports_the_server() -> None:
    offenders = []
    for path in _sources("conformance"):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith(SERVER) or relative.startswith(CLI) or relative == COMPOSITION:
            continue
        if any(m.startswith("openai_conformance.server") for m in imported_modules(path)):
            offenders.append(relative)
    assert offenders == []


def part_of(module: str) -> str | None:
    """Which part of the package (``results``, ``checks``, ...) a module name is in."""
    parts = module.split(".")
    if stage_of(module) != "conformance" or len(parts) < 2:
        return None
    return parts[1]


@pytest.mark.parametrize("part", PARTS)
def test_a_part_of_the_package_imports_only_parts_to_its_left(part: str) -> None:
    allowed = set(PARTS[: PARTS.index(part) + 1]) | SHARED
    offenders = []
    for path in _sources(f"conformance/{part}"):
        relative = path.relative_to(ROOT).as_posix()
        for module in imported_modules(path):
            found = part_of(module)
            if found is None or found in allowed or relative == COMPOSITION and found == "server":
                continue
            offenders.append(f"{relative} imports {module}")
    assert offenders == []


def test_the_profiles_import_no_part_of_the_package_when_loaded() -> None:
    offenders = []
    for path in _sources("conformance/profiles"):
        tree = ast.parse(path.read_text())
        top = [n for n in tree.body if isinstance(n, ast.ImportFrom | ast.Import)]
        package = _package_of(path)
        for node in top:
            module = ast.unparse(node)
            found = {part_of(m) for m in imported_modules_of(node, package)}
            if found - {None, "profiles", "_bodies"}:
                offenders.append(f"{path.relative_to(ROOT)}: {module}")
    assert offenders == []


def test_the_check_detects_a_backwards_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"  # read as if it were spec/m.py
    module.write_text("def f():\n    from openai_conformance.reports import render\n    from .. import _runner\n")
    assert imported_packages(module, "openai_conformance.spec") == {"reports", "conformance"}


def test_every_check_has_a_description_and_a_source() -> None:
    from openai_conformance.checks import CHECKS

    assert len(CHECKS) >= 20
    for check in CHECKS:
        assert check.description.strip() and "\n" not in check.description
        assert check.source in ("spec", "convention", "semantics")


def test_the_check_registry_refuses_duplicates() -> None:
    from openai_conformance.checks import CHECKS
    from openai_conformance.checks._base import Registry, declared

    with pytest.raises(ValueError, match="twice"):
        CHECKS.add(declared("response_schema", "again", source="spec"))
    with pytest.raises(ValueError, match="twice"):
        Registry(declared("a", "one", source="spec"), declared("a", "two", source="spec"))


def module_graph() -> dict[str, set[str]]:
    """Module -> the modules of ours it imports when loaded (top level, outside TYPE_CHECKING)."""
    paths = {}
    for stage in STAGES:
        for path in _sources(stage):
            package = _package_of(path)
            name = package if path.name == "__init__.py" else f"{package}.{path.stem}"
            paths[name] = (path, package)
    graph = {}
    for name, (path, package) in paths.items():
        found = set()
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            modules = imported_modules_of(node, package)
            if isinstance(node, ast.ImportFrom) and node.module is None:  # from . import x: x, not the package
                modules = {m for m in modules if m.rsplit(".", 1)[0] != m} - {package}
            # Loading a.b.c loads the packages a.b and a first (not our own: they are loading us).
            parents = {".".join(m.split(".")[:i]) for m in modules for i in range(2, m.count(".") + 1)}
            ours = {".".join(name.split(".")[:i]) for i in range(1, name.count(".") + 1)}
            found |= {m for m in modules | parents - ours if m in paths and m != name}
        graph[name] = found
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_itself_back_when_loaded() -> None:
    graph = module_graph()
    assert len(graph) > 150  # every module of the four stages was read
    assert cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
