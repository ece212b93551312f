"""The layers hold: the engine needs only the standard library, nothing imports from a
layer above it, and the import graph has no circle."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("autograd", "nn")

# What each layer may import from this project (by module name prefix).
ALLOWED = {
    "autograd.engine": ("autograd.engine",),
    "autograd.views": ("autograd", "autograd.engine", "autograd.views", "autograd.files"),
    "autograd.exercises": (
        "autograd",
        "autograd.engine",
        "autograd.views",
        "autograd.files",
        "autograd.exercises",
    ),
    "autograd.command_line": ("autograd", "nn"),
    "nn": ("autograd", "autograd.files", "nn"),
}
OPTIONAL_LIBRARIES = ("graphviz", "PIL", "ipywidgets", "tqdm", "numpy", "matplotlib", "torch")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {
    module_name(path): path for package in PACKAGES for path in (ROOT / package).rglob("*.py")
}


def is_type_checking_block(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def imports_of(path: Path) -> set[str]:
    """Every module ``path`` imports, anywhere in the file (functions included), but
    not under ``if TYPE_CHECKING:`` (annotations only: never run)."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if is_type_checking_block(node):
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            submodules = {f"{node.module}.{alias.name}" for alias in node.names} & set(MODULES)
            # ``from autograd.engine import backward`` imports a module, and needs
            # nothing of the package's own code.
            found.update(submodules or {node.module})
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return found


GRAPH = {
    name: {imported for imported in imports_of(path) if imported.split(".")[0] in PACKAGES}
    for name, path in MODULES.items()
}


def layer_of(name: str) -> str | None:
    for layer in sorted(ALLOWED, key=len, reverse=True):
        if name == layer or name.startswith(layer + "."):
            return layer
    return None


@pytest.mark.parametrize("name", sorted(MODULES))
def test_each_module_imports_only_from_its_layer_and_below(name):
    layer = layer_of(name)
    if layer is None:  # autograd/__init__.py, __main__.py, files.py
        assert name in ("autograd", "autograd.__main__", "autograd.files"), name
        return
    for imported in GRAPH[name]:
        assert any(
            imported == allowed or imported.startswith(allowed + ".") for allowed in ALLOWED[layer]
        ), f"{name} ({layer}) imports {imported}"


# Imported inside the one function that needs it, never at a module's top.
ENGINE_OPTIONAL = {"numpy"}  # compile's batched replay


def test_the_engine_and_the_package_need_only_the_standard_library():
    for name, path in MODULES.items():
        if name in ("autograd", "autograd.files") or name.startswith("autograd.engine"):
            outside = {
                imported.split(".")[0]
                for imported in imports_of(path)
                if imported.split(".")[0] not in PACKAGES
            }
            assert outside <= set(sys.stdlib_module_names) | ENGINE_OPTIONAL, (name, outside)
            top_level = {
                imported.split(".")[0]
                for node in ast.parse(path.read_text(encoding="utf-8")).body
                if isinstance(node, ast.Import | ast.ImportFrom)
                for imported in (
                    [alias.name for alias in node.names]
                    if isinstance(node, ast.Import)
                    else [node.module or ""]
                )
            }
            assert not top_level & ENGINE_OPTIONAL, (name, top_level & ENGINE_OPTIONAL)


def test_the_package_imports_the_views_only_when_they_are_named():
    assert GRAPH["autograd"] <= {name for name in MODULES if name.startswith("autograd.engine")}


def test_the_import_graph_has_no_circle():
    finished: set[str] = set()
    on_path: list[str] = []

    def visit(name: str) -> None:
        if name in finished:
            return
        if name in on_path:
            circle = on_path[on_path.index(name) :] + [name]
            raise AssertionError("import circle: " + " -> ".join(circle))
        on_path.append(name)
        for imported in sorted(GRAPH.get(name, set())):
            if imported in MODULES and imported != name:
                visit(imported)
        on_path.pop()
        finished.add(name)

    for name in sorted(MODULES):
        visit(name)
    assert len(finished) == len(MODULES)


BLOCKED = textwrap.dedent(
    f"""
    import importlib.abc, sys

    class Blocked(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in {OPTIONAL_LIBRARIES!r}:
                raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
            return None

    sys.meta_path.insert(0, Blocked())
    """
)


def run_without_optional_libraries(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", BLOCKED + textwrap.dedent(code)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


def test_engine_and_nn_work_without_graphviz_pillow_ipywidgets_tqdm():
    finished = run_without_optional_libraries(
        """
        import sys
        from autograd import Value
        import autograd, nn

        x, y = Value(3.0), Value(2.0)
        f = x**2 + x*y + (x + y)**2
        f.backward()
        assert (x.grad, y.grad) == autograd.grad(f, [x, y]) == (18.0, 13.0)
        assert autograd.value_and_grad(lambda a: a.exp())(0.0) == (1.0, (1.0,))
        model = nn.MLP(2, [4, 1], seed=0)
        loss = nn.mse([model([0.5, -1.0])], [1.0])
        loss.backward()
        assert any(parameter.grad != 0.0 for parameter in model.parameters())
        loaded = [name for name in sys.modules if name.split(".")[0] in {libraries!r}]
        assert not loaded, loaded
        print("ok")
        """.replace("{libraries!r}", repr(OPTIONAL_LIBRARIES))
    )
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.strip() == "ok"


def test_a_view_without_its_library_says_what_is_missing():
    finished = run_without_optional_libraries(
        """
        import autograd
        try:
            autograd.draw
        except ImportError as error:
            print(error)
        """
    )
    assert finished.returncode == 0, finished.stderr
    message = finished.stdout.strip()
    assert "autograd.draw needs graphviz" in message and "pip install" in message
