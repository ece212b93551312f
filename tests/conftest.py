"""Test settings shared by every test module."""

from hypothesis import settings

# The same examples on every run and machine: a CI failure reproduces locally.
settings.register_profile("pathgrad", derandomize=True, database=None, print_blob=True)
settings.load_profile("pathgrad")
