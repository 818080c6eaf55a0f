"""When a kept status page may be served again, and when it must be rendered anew."""

from __future__ import annotations

import time

from portal.case_pages import CasePages

A, B = "AAAA-BBBB-CCCCC", "DDDD-EEEE-FFFFF"


def keep(pages: CasePages, tracking_id: str = A, case_id: int = 1, begun=None) -> None:
    page = f"<p>{tracking_id}</p><input value='{pages.placeholder}'>"
    pages.keep(tracking_id, case_id, "de", page, begun or pages.begin())


def test_a_kept_page_is_split_at_the_token_placeholder():
    pages = CasePages()
    keep(pages)
    assert pages.get(A, "de", 0.0) == [b"<p>AAAA-BBBB-CCCCC</p><input value='", b"'>"]
    assert pages.get(A, "en", 0.0) is None  # another language is another page


def test_an_entry_of_the_case_drops_only_its_page():
    pages = CasePages()
    keep(pages, A, 1)
    keep(pages, B, 2)
    pages.changed([(1, "reply")])
    assert pages.get(A, "de", 0.0) is None
    assert pages.get(B, "de", 0.0) is not None


def test_a_booked_callback_drops_every_page_as_free_times_change():
    pages = CasePages()
    keep(pages, A, 1)
    keep(pages, B, 2)
    pages.changed([(2, "callback_scheduled")])
    assert pages.get(A, "de", 0.0) is None and pages.get(B, "de", 0.0) is None


def test_a_page_rendered_while_its_case_changed_is_not_kept():
    pages = CasePages()
    begun = pages.begin()  # the render reads the case ...
    pages.changed([(1, "status_changed")])  # ... while a change commits
    keep(pages, A, 1, begun)
    assert pages.get(A, "de", 0.0) is None
    keep(pages, A, 1)  # the next render is kept
    assert pages.get(A, "de", 0.0) is not None


def test_an_entry_saved_here_blocks_the_case_until_the_watcher_sees_it_committed():
    pages = CasePages()
    keep(pages, A, 1)
    pages.saving(1, "reply")
    assert pages.get(A, "de", 0.0) is None
    keep(pages, A, 1)  # rendered before the commit: must not be kept
    assert pages.get(A, "de", 0.0) is None
    pages.changed([(1, "reply")])
    keep(pages, A, 1)
    assert pages.get(A, "de", 0.0) is not None


def test_a_rolled_back_entry_blocks_the_case_only_for_a_while(monkeypatch):
    pages = CasePages()
    pages.saving(1, "reply")
    later = time.monotonic() + 31
    monkeypatch.setattr(time, "monotonic", lambda: later)
    keep(pages, A, 1)
    assert pages.get(A, "de", 0.0) is not None


def test_a_page_is_not_served_after_its_age_or_to_a_browser_that_changed_the_case_since():
    pages = CasePages(max_age=0.0)
    keep(pages)
    assert pages.get(A, "de", 0.0) is None
    pages = CasePages()
    keep(pages)
    assert pages.get(A, "de", time.time() - 5) is not None
    assert pages.get(A, "de", time.time()) is None


def test_the_oldest_page_goes_first_when_full():
    pages = CasePages(max_pages=2)
    for number in range(3):
        keep(pages, f"CASE-{number}", number)
    assert pages.get("CASE-0", "de", 0.0) is None
    assert pages.get("CASE-1", "de", 0.0) and pages.get("CASE-2", "de", 0.0)


async def test_a_miss_during_a_render_of_the_same_page_waits_for_it():
    import asyncio

    pages = CasePages()
    begun = pages.begin()
    with pages.flight(A, "de", begun) as landed:
        waiting = asyncio.create_task(pages.join(A, "de", 0.0))
        late_browser = await pages.join(A, "de", time.time() + 1)  # changed after it began
        assert late_browser is None
        await asyncio.sleep(0)
        assert not waiting.done()
        landed.append([b"page"])
    assert await waiting == [b"page"]
    assert await pages.join(A, "de", 0.0) is None  # landed: nothing under way any more


async def test_nobody_joins_a_render_begun_before_a_change_and_a_failed_one_gives_none():
    import asyncio

    pages = CasePages()
    try:
        with pages.flight(A, "de", pages.begin()):
            early = asyncio.create_task(pages.join(A, "de", 0.0))
            await asyncio.sleep(0)
            pages.changed([(1, "reply")])
            assert await pages.join(A, "de", 0.0) is None
            raise RuntimeError("database gone")
    except RuntimeError:
        pass
    assert await early is None  # it renders for itself
