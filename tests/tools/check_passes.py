"""Shows that the two passes of `make test` together run the whole suite.

    .venv/bin/python tests/tools/check_passes.py "<PostgreSQL pass>" "<SQLite pass>"

takes the two passes' marker expressions (the Makefile's PG_PASS and EMBEDDED_PASS), collects
the suite once and selects each pass's tests as `pytest -m` does; it fails when a test is in
neither pass, or when a test that only the SQLite pass selects needs PostgreSQL or Redis (it
would be skipped there and never run). `--ids DIR` also writes each pass's test ids there."""

import argparse
import contextlib
import io
import sys
from pathlib import Path

import pytest
from _pytest.mark import MarkMatcher  # what `pytest -m` matches an expression against
from _pytest.mark.expression import Expression

ROOT = Path(__file__).resolve().parent.parent.parent


class _Collected:
    def __init__(self):
        self.marks: dict[str, MarkMatcher] = {}

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items):
        self.marks = {item.nodeid: MarkMatcher.from_markers(item.iter_markers()) for item in items}


def _selected(marks: dict[str, MarkMatcher], expression: str) -> set[str]:
    compiled = Expression.compile(expression)
    return {test for test, matcher in marks.items() if compiled.evaluate(matcher)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("services_pass")
    parser.add_argument("embedded_pass")
    parser.add_argument("--ids", type=Path, help="write each pass's test ids to this folder")
    args = parser.parse_args()
    collected = _Collected()
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        code = pytest.main(["--collect-only", "-q", "--rootdir", str(ROOT)], plugins=[collected])
    if code != 0:
        sys.exit(f"{output.getvalue()[-3000:]}\npytest --collect-only failed ({code})")
    everything = set(collected.marks)
    services = _selected(collected.marks, args.services_pass)
    embedded = _selected(collected.marks, args.embedded_pass)
    needs_services = _selected(collected.marks, "postgres or redis")
    dropped = everything - services - embedded
    never_run = (embedded - services) & needs_services
    if args.ids:
        args.ids.mkdir(parents=True, exist_ok=True)
        for name, tests in [("all", everything), ("postgres", services), ("sqlite", embedded)]:
            (args.ids / f"{name}.txt").write_text("".join(f"{t}\n" for t in sorted(tests)))
    print(
        f"{len(everything)} tester: {len(services)} i PostgreSQL-passet ({args.services_pass}), "
        f"{len(embedded)} i SQLite-passet ({args.embedded_pass}), "
        f"{len(services & embedded)} i båda."
    )
    for test in sorted(dropped):
        print(f"i inget pass: {test}")
    for test in sorted(never_run):
        print(f"bara i SQLite-passet, där det hoppas över (behöver PostgreSQL eller Redis): {test}")
    if dropped or never_run:
        sys.exit(1)
    print("Varje test körs i minst ett pass.")


if __name__ == "__main__":
    main()
