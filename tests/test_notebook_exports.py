"""An executed notebook, exported to HTML, still shows the stepper's static frames.

``step_through(f)`` offers a live widget and, as ``text/html``, every frame as a static
picture. nbconvert's HTML export prefers the widget whenever the notebook stores the
widget's state, which executing stores by default (``store_widget_state``); without a
kernel that widget is an empty box. Executing with ``store_widget_state=False``
keeps the state out, and the export falls back to the static frames.
"""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path

import pytest

nbconvert = pytest.importorskip("nbconvert")  # a dev dependency, with nbformat
import nbformat  # noqa: E402
from nbconvert import HTMLExporter  # noqa: E402
from nbconvert.preprocessors import ExecutePreprocessor  # noqa: E402

from autograd import step_through  # noqa: E402
from autograd.command_line.demo import seed_graph  # noqa: E402

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
STEPPER_NOTEBOOK = NOTEBOOKS / "01_stepping_through_backprop.ipynb"
FRAME_IMAGE = re.compile(
    r'<img alt="backward step" src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"'
)
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def execute(notebook: nbformat.NotebookNode, folder: Path, *, store_widget_state: bool) -> None:
    """Run every cell from a clean kernel in ``folder``, as ``jupyter nbconvert --execute``."""
    notebook.metadata.pop("widgets", None)  # state saved by an earlier run would count too
    ExecutePreprocessor(
        timeout=600, kernel_name="python3", store_widget_state=store_widget_state
    ).preprocess(notebook, {"metadata": {"path": str(folder)}})


def static_frames(page: str) -> list[str]:
    """The SVG documents of the stepper frames an HTML page shows as images."""
    return [base64.b64decode(found).decode("utf-8") for found in FRAME_IMAGE.findall(page)]


def test_notebook_01_exported_to_html_shows_every_stepper_frame(tmp_path):
    notebook = nbformat.read(STEPPER_NOTEBOOK, as_version=4)
    execute(notebook, tmp_path, store_widget_state=False)
    copy = tmp_path / STEPPER_NOTEBOOK.name
    nbformat.write(notebook, copy)  # the executed copy; the notebook itself is untouched

    executed = nbformat.read(copy, as_version=4)
    assert "widgets" not in executed.metadata
    page, _ = HTMLExporter().from_notebook_node(executed)

    # The stepper cell's output is there twice (widget and static frames); the static
    # frames are what the export chose.
    stepper_outputs = [
        output
        for cell in executed.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if WIDGET_VIEW in output.get("data", {})
    ]
    assert len(stepper_outputs) == 1
    assert "pathgrad-static-steps" in page
    assert f'type="{WIDGET_VIEW}"' not in page

    # Every frame of the seed graph's pass, in order, each with its picture.
    expected = step_through(seed_graph()[0]).frames
    assert len(expected) == 8
    frames = static_frames(page)
    assert len(frames) == 8
    assert all(
        frame.lstrip().startswith("<svg") and frame.rstrip().endswith("</svg>") for frame in frames
    )
    position = 0
    for frame in expected:
        position = page.index(html.escape(frame.heading), position) + 1
    for name in ("x", "y", "a", "b", "c", "d", "e", "f"):  # every node is on every frame
        assert all(f">{name}<" in frame for frame in frames)


def test_stored_widget_state_would_hide_the_frames(tmp_path):
    """The failure the test above guards against: with the state stored, the export shows
    the widget (an empty box without a kernel) instead of the frames."""
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "from autograd import step_through\n"
                "from autograd.command_line.demo import seed_graph\n"
                "step_through(seed_graph()[0])"
            )
        ],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )
    execute(notebook, tmp_path, store_widget_state=True)
    assert "widgets" in notebook.metadata
    page, _ = HTMLExporter().from_notebook_node(notebook)
    assert static_frames(page) == []
    assert f'type="{WIDGET_VIEW}"' in page
