"""Speed-ups that do what a library does, faster, kept because bench/ showed they matter.

Each module copies a little of a library's internals; tests/core/test_speedups.py checks each
against the library's own behaviour, so an upgrade that changes that behaviour fails the suite.
"""
