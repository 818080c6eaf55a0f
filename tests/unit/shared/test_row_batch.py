"""A batch of rows survives a failed insert and is bounded while the database is away."""

from __future__ import annotations

from tortoise import connections
from tortoise.contrib.test import tortoise_test_context

from faq.models import SearchLog
from shared.batches import RowBatch


def gap(query: str) -> SearchLog:
    return SearchLog(query=query, lang="de", result_count=0, outcome="no_result")


async def test_rows_of_a_failed_insert_are_written_by_the_next_try_in_order() -> None:
    async with tortoise_test_context(["faq.models"], app_label="faq"):
        batch = RowBatch(SearchLog, limit=10, full_warning="full")
        batch.add(gap("erste"))
        conn = connections.get("default")
        await conn.execute_script("ALTER TABLE faq_search_log RENAME TO away")
        try:
            await batch.write()
        except Exception:
            pass
        else:
            raise AssertionError("the insert should have failed with the table away")
        batch.add(gap("zweite"))
        await conn.execute_script("ALTER TABLE away RENAME TO faq_search_log")
        assert await batch.write() == 2
        assert await SearchLog.all().order_by("id").values_list("query", flat=True) == [
            "erste",
            "zweite",
        ]
        assert len(batch) == 0


async def test_a_full_batch_drops_new_rows_with_a_warning(caplog) -> None:
    batch = RowBatch(SearchLog, limit=2, full_warning="backlog full")
    for query in ("a", "b", "c"):
        batch.add(gap(query))
    assert len(batch) == 2
    assert "backlog full" in caplog.text


async def test_keyed_rows_are_written_once_per_key_that_admit_lets_through() -> None:
    asked: list[list[str]] = []

    async def admit(keys: list[str]) -> set[str]:
        asked.append(keys)
        return {"b", "c"}

    async with tortoise_test_context(["faq.models"], app_label="faq"):
        batch = RowBatch(SearchLog, limit=10, full_warning="full")
        for query, key in (("a", "a"), ("b1", "b"), ("free", None), ("b2", "b"), ("c", "c")):
            batch.add(gap(query), key)
        assert await batch.write(admit) == 3
        assert asked == [["a", "b", "c"]]  # once per batch, each key once
        assert await SearchLog.all().order_by("id").values_list("query", flat=True) == [
            "b1",
            "free",
            "c",
        ]


async def test_admitted_rows_of_a_failed_insert_are_not_asked_about_again() -> None:
    asked: list[list[str]] = []

    async def admit(keys: list[str]) -> set[str]:
        asked.append(keys)
        return set(keys)

    async with tortoise_test_context(["faq.models"], app_label="faq"):
        batch = RowBatch(SearchLog, limit=10, full_warning="full")
        batch.add(gap("erste"), "k")
        conn = connections.get("default")
        await conn.execute_script("ALTER TABLE faq_search_log RENAME TO away")
        try:
            await batch.write(admit)
        except Exception:
            pass
        else:
            raise AssertionError("the insert should have failed with the table away")
        await conn.execute_script("ALTER TABLE away RENAME TO faq_search_log")
        assert await batch.write(admit) == 1
        assert asked == [["k"]]  # counted once: a second ask would find it counted already
        assert await SearchLog.all().values_list("query", flat=True) == ["erste"]


async def test_rows_are_kept_when_admit_fails() -> None:
    async def admit(keys: list[str]) -> set[str]:
        raise OSError("counters away")

    batch = RowBatch(SearchLog, limit=10, full_warning="full")
    batch.add(gap("erste"), "k")
    try:
        await batch.write(admit)
    except OSError:
        pass
    else:
        raise AssertionError("the failure of admit should be raised")
    assert len(batch) == 1
