"""Benchmarks, each a module run from the project root with `python -m benchmarks.<name>`
(so that no script's folder comes first on the import path). Each prints its figures and takes
`--tiny`, a size small enough for the test suite to run every benchmark once
(tests/test_benchmarks.py)."""
