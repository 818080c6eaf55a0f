"""Helpers the tests share, one module per topic (`from support.cases import file_case`).

Fixtures live in the nearest conftest.py; a test module imports from here and from libraries,
never from another test module or a conftest.
"""
