"""No import cycle among the project's packages: each module has one place in the layering."""

from __future__ import annotations

import grimp

PACKAGES = ("portal", "tracking", "feedback", "faq", "webhooks", "shared")


def cycles(graph: grimp.ImportGraph) -> set[tuple[str, str]]:
    """Pairs of modules that import each other, directly or through others."""
    found = set()
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            if graph.find_shortest_chain(importer=imported, imported=module):
                found.add(tuple(sorted((module, imported))))
    return found


def test_no_module_imports_itself_through_others() -> None:
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    assert cycles(graph) == set()


def test_a_cycle_is_found() -> None:
    """The check itself: a graph with a cycle through a third module is refused."""
    graph = grimp.ImportGraph()
    graph.add_import(importer="portal.a", imported="portal.b")
    graph.add_import(importer="portal.b", imported="portal.c")
    graph.add_import(importer="portal.c", imported="portal.a")
    assert cycles(graph) == {
        ("portal.a", "portal.b"),
        ("portal.b", "portal.c"),
        ("portal.a", "portal.c"),
    }
