"""What the product imports is what pyproject.toml declares, and the other way round: a
package that only arrives through another one can vanish with that one's next release."""

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("portal", "faq", "tracking", "feedback", "webhooks", "shared")
#: Declared and needed, but used by other libraries rather than imported by us.
NOT_IMPORTED = {
    "python-multipart": "Litestar parses forms and uploads with it",
}


def _name(requirement: str) -> str:
    return re.split(r"[\[<>=!~; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def declared() -> set[str]:
    """The dependencies and the optional extras the product's code imports (not `test`)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project.get("optional-dependencies", {})
    runtime = [*project["dependencies"], *(r for k, v in extras.items() if k != "test" for r in v)]
    return {_name(r) for r in runtime}


def imported_modules() -> set[str]:
    found = set()
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.Import):
                    found |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - set(PACKAGES)


def test_every_imported_package_is_declared_and_every_declared_one_used():
    providers = importlib.metadata.packages_distributions()
    imported = {}
    for module in imported_modules():
        names = {d.lower().replace("_", "-") for d in providers.get(module, [module])}
        imported[module] = names
    undeclared = {m: n for m, n in imported.items() if not n & declared()}
    assert undeclared == {}, "imported but not declared in pyproject.toml"
    used = set().union(*imported.values())
    unused = declared() - used - set(NOT_IMPORTED)
    assert unused == set(), "declared in pyproject.toml but never imported"
