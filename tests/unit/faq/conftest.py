"""The search index of the hand-made articles (`support.faq.DOCS`), shared by a module's tests."""

import pytest

from support.faq import DOCS, indexed


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    with indexed(tmp_path_factory.mktemp("ix"), DOCS) as search:
        yield search
