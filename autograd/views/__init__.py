"""The views: pictures, tables and listings of a graph, computed on the side.

They read the engine's public API and never change any ``.data`` or ``.grad``.

* ``format.py``: how numbers and nodes are written, the same in every view.
* ``rendering.py``: DOT text to SVG/PNG/PDF with the system or pip-installed Graphviz.
* ``layout.py``: node and edge positions from a Graphviz layout, as data.
* ``drawing.py``: ``draw``, one card per node and one labelled arrow per edge.
* ``steps.py``: ``backward_steps``, the backward pass one node at a time, as a table.
* ``stepper.py``: ``step_through``, the same as pictures in a notebook.
* ``export.py``: ``save_steps``, the frames as PNG/SVG/GIF files or one HTML page.
* ``paths.py``: ``paths``, the chain rule as a sum over paths.
"""
