"""The apps stand in layers (docs/architecture.md): each imports only from the layers below
its own, never from its own layer's other apps nor from above, so that a newcomer reads the
structure from the folder names and a change low down never waits on one higher up.

Read from the source with the standard `ast` module: no code of Jalon is run."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

JALON = Path(__file__).resolve().parent.parent / "jalon"

# From the ground up; an app imports from the rows below its own only.
LAYERS: list[set[str]] = [
    {"lib"},
    {"operations"},
    {"accounts"},
    {"plans"},
    {"tracking"},
    {"directory"},
    {"results"},
    {"overview", "reports", "iati", "portal", "backups"},
    {"exchange"},
    {"api", "demo"},
]
# The project's wiring (settings, URLs, the WSGI entry point) stands above every app.
WIRING = {"settings", "urls", "wsgi", "__main__", "__init__"}
# Imports inside a function that are there for a reason other than a cycle.
LAZY_IMPORTS = {
    # WeasyPrint loads Pango and its fonts: only the processes that lay out a PDF pay for it.
    ("reports/formats.py", "jalon.reports.render_pdf"),
}


@dataclass(frozen=True)
class Import:
    source: Path
    line: int
    module: str
    in_function: str | None  # the enclosing function's name, if any
    type_only: bool  # under `if TYPE_CHECKING:`

    @property
    def app(self) -> str:
        return self.module.split(".")[1] if self.module.count(".") else ""

    @property
    def where(self) -> str:
        return f"{self.source.relative_to(JALON)}:{self.line}"


def app_of(path: Path) -> str:
    parts = path.relative_to(JALON).parts
    return parts[0] if len(parts) > 1 else path.stem


def module_of(path: Path) -> str:
    parts = list(path.relative_to(JALON.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def python_files() -> Iterator[Path]:
    for path in sorted(JALON.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def imports_of(path: Path) -> Iterator[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_of(path) if path.name == "__init__.py" else module_of(path).rpartition(".")[0]
    yield from _visit(tree, path, package, None, False)


def _visit(
    node: ast.AST, path: Path, package: str, function: str | None, type_only: bool
) -> Iterator[Import]:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            yield from _visit(child, path, package, child.name, type_only)
        elif isinstance(child, ast.If) and ast.unparse(child.test) in (
            "TYPE_CHECKING",
            "typing.TYPE_CHECKING",
        ):
            yield from _visit(child, path, package, function, True)
        elif isinstance(child, ast.Import):
            for alias in child.names:
                if alias.name.startswith("jalon."):
                    yield Import(path, child.lineno, alias.name, function, type_only)
        elif isinstance(child, ast.ImportFrom):
            yield from _from_import(child, path, package, function, type_only)
        else:
            yield from _visit(child, path, package, function, type_only)


def _from_import(
    node: ast.ImportFrom, path: Path, package: str, function: str | None, type_only: bool
) -> Iterator[Import]:
    if node.level:
        base = package.split(".")
        base = base[: len(base) - node.level + 1]
        module = ".".join(base + ([node.module] if node.module else []))
    else:
        module = node.module or ""
    if not module.startswith("jalon"):
        return
    # `from jalon.plans import panels` names a module; keep the deepest name that is one.
    for alias in node.names:
        candidate = f"{module}.{alias.name}"
        named = candidate if _is_module(candidate) else module
        yield Import(path, node.lineno, named, function, type_only)


def _is_module(name: str) -> bool:
    relative = Path(*name.split(".")[1:])
    return (JALON / relative).with_suffix(".py").exists() or (JALON / relative / "__init__.py").exists()


def layer_of(app: str) -> int:
    if app in WIRING:
        return len(LAYERS)
    for index, apps in enumerate(LAYERS):
        if app in apps:
            return index
    raise AssertionError(f"the app {app!r} has no layer: add it to LAYERS and docs/architecture.md")


ALL_IMPORTS = [found for path in python_files() for found in imports_of(path)]


def test_every_app_has_a_layer() -> None:
    apps = {app_of(path) for path in python_files()}
    for app in apps:
        layer_of(app)


@pytest.mark.parametrize("app", sorted({app for apps in LAYERS for app in apps}))
def test_an_app_imports_only_from_the_layers_below_it(app: str) -> None:
    upward = [
        f"{found.where} imports {found.module}"
        for found in ALL_IMPORTS
        if app_of(found.source) == app and found.app != app and layer_of(found.app) >= layer_of(app)
    ]
    assert not upward, "imports from the same layer or above:\n" + "\n".join(upward)


def test_no_import_hides_in_a_function() -> None:
    # Django asks each app to plug in from AppConfig.ready, once the models are loaded.
    hidden = [
        f"{found.where} imports {found.module} inside {found.in_function}()"
        for found in ALL_IMPORTS
        if found.in_function
        and found.in_function != "ready"
        and (str(found.source.relative_to(JALON)), found.module) not in LAZY_IMPORTS
    ]
    assert not hidden, "\n".join(hidden)


def test_no_two_modules_import_each_other() -> None:
    graph: dict[str, set[str]] = {}
    for found in ALL_IMPORTS:
        if not found.in_function and not found.type_only:
            graph.setdefault(module_of(found.source), set()).add(found.module)
    cycle = _find_cycle(graph)
    assert cycle is None, " -> ".join(cycle or [])


def _find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = 1
        for target in sorted(graph.get(node, ())):
            if target == node or _contains(node, target):
                continue  # a package importing its own modules is not a cycle
            if state.get(target) == 1:
                return [*path[path.index(target) :], target] if target in path else [*path, target]
            if target not in state and (found := visit(target, [*path, target])):
                return found
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start, [start])):
            return found
    return None


def _contains(package: str, module: str) -> bool:
    return module.startswith(package + ".")


def test_the_api_never_imports_a_page() -> None:
    # The API and the pages are both thin callers of the same forms, reads and services.
    pages = [
        f"{found.where} imports {found.module}"
        for found in ALL_IMPORTS
        if app_of(found.source) == "api"
        and found.module.rsplit(".", 1)[-1].endswith("views")
        and found.app != "api"
    ]
    assert not pages, "\n".join(pages)


def test_no_app_imports_another_apps_pages() -> None:
    pages = [
        f"{found.where} imports {found.module}"
        for found in ALL_IMPORTS
        if found.module.rsplit(".", 1)[-1].endswith("views")
        and found.app != app_of(found.source)
        and app_of(found.source) not in WIRING
    ]
    assert not pages, "\n".join(pages)


def test_the_layers_of_the_test_are_the_layers_of_the_documentation() -> None:
    documented = (JALON.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    for apps in LAYERS:
        for app in apps:
            assert f"`{app}`" in documented, f"docs/architecture.md does not describe the app {app}"
