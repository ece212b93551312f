"""The README's examples run: every ```python block, in order, in one namespace, in a
temporary folder, so the README cannot name a method that does not exist. A block
written with ``>>>`` prompts is a doctest: what it shows is checked too."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)


def python_blocks() -> list[str]:
    return BLOCK.findall(README.read_text(encoding="utf-8"))


def test_the_readme_has_examples():
    assert len(python_blocks()) >= 4


def test_every_python_block_runs_in_order(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # what an example writes, it writes here
    namespace: dict[str, object] = {"__name__": "readme"}
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for number, block in enumerate(python_blocks(), start=1):
        name = f"README.md, python block {number}"
        if block.lstrip().startswith(">>>"):
            test = doctest.DocTestParser().get_doctest(block, namespace, name, str(README), 0)
            runner.run(test, clear_globs=False)
            namespace.update(test.globs)  # a DocTest works on a copy of the namespace
        else:
            # The project's own README: trusted text, run as a doctest would run it.
            exec(compile(block, name, "exec"), namespace)
    assert runner.failures == 0, f"{runner.failures} README example(s) print something else"


def test_every_doctest_block_also_runs_alone(tmp_path, monkeypatch):
    """Pasted into a fresh interpreter, each ``>>>`` block makes what it uses."""
    monkeypatch.chdir(tmp_path)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    alone = [block for block in python_blocks() if block.lstrip().startswith(">>>")]
    for number, block in enumerate(alone, start=1):
        name = f"README.md, doctest block {number}, alone"
        runner.run(doctest.DocTestParser().get_doctest(block, {}, name, str(README), 0))
    assert len(alone) >= 8 and runner.failures == 0
