"""The command line: ``pathgrad`` (``python -m autograd``), its expression parser, the demo.

* ``commands.py``: the ``pathgrad`` command and its subcommands.
* ``expression.py``: text such as ``"x**2 + x*y"`` to a graph, with no ``eval``.
* ``demo.py``: ``pathgrad demo``, the seed exercise and a small network, end to end.
"""
