"""No test module imports another test module or a conftest: shared helpers live in
`tests/support/` (imported as `support.<topic>`), fixtures in the nearest conftest.py. An import
of a test module runs it a second time under another name and hides where a helper lives."""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
#: Module names pytest makes importable from the test directories (their basenames).
TEST_MODULES = {path.stem for path in TESTS.rglob("*.py") if path.parts[-2] != "support"}


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            names.add("." * node.level + (node.module or ""))
    return names


def forbidden(name: str) -> bool:
    return (
        name.startswith(".")
        or name == "tests"
        or name.startswith("tests.")
        or name.split(".")[0] in TEST_MODULES
    )


def test_test_modules_import_only_support_and_libraries():
    modules = [*TESTS.rglob("test_*.py"), *TESTS.rglob("conftest.py")]
    assert len(modules) > 50, "the test tree was not found"
    found = [
        f"{path.relative_to(TESTS)}: {name}"
        for path in sorted(modules)
        for name in sorted(imported(path))
        if forbidden(name)
    ]
    assert found == []


def test_the_guard_sees_each_kind_of_forbidden_import(tmp_path):
    module = tmp_path / "test_example.py"
    module.write_text(
        "from tests.conftest import on_app\nimport test_case_api\n"
        "from . import helpers\nfrom support.client import csrf_token\nimport portal\n"
    )
    assert sorted(n for n in imported(module) if forbidden(n)) == [
        ".",
        "test_case_api",
        "tests.conftest",
    ]
