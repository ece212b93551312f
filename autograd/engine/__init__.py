"""The engine: the op table, ``Value``, the backward pass, and the transforms on it.

Standard library only, and nothing from the layers above (``autograd.views``,
``autograd.command_line``). Read it in this order:

* ``errors.py``: ``DomainError``.
* ``ops.py``: the op table, one ``Op`` row per operation with its derivatives.
* ``backward.py``: graph orders and ``chain_rule``, the one backward pass.
* ``value.py``: ``Value`` (one node) and ``apply`` (makes a node from a row;
  ``apply_binary`` and ``apply_unary``, one per arity, make every node).
* ``functions.py``: ``exp``, ``log``, ... as functions that also take numbers.
* ``functional.py``: ``grad``, ``value_and_grad``, ``gradcheck``.
"""
