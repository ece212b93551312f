"""The engine: the op table, ``Value``, the backward pass, and the transforms on it.

Standard library only, and nothing from the layers above (``autograd.views``,
``autograd.command_line``). Read it in this order:

* ``errors.py``: ``DomainError``.
* ``ops.py``: the op table, one ``Op`` row per operation with its derivatives.
* ``backward.py``: graph orders and ``chain_rule``, the one backward pass.
* ``value.py``: ``Value`` (one node); ``node_maker(row)``, the function that makes
  every node of a row (each operator is one: ``Value.__mul__`` is MUL's); ``apply``.
* ``functions.py``: ``exp``, ``log``, ... as functions that also take numbers.
* ``functional.py``: ``grad``, ``value_and_grad``, ``gradcheck``.
"""
