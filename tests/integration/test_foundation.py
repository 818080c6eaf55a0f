"""The portal starts, answers health checks, and fails politely."""

import pytest

from portal.middleware import SECURITY_HEADERS
from support.cli import run_portal
from support.client import post_form


async def test_health_checks_every_dependency(client):
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "redis": "not configured",
        "data_dir": "ok",
        "attachment_dir": "ok",
    }


@pytest.mark.parametrize(
    ("headers", "lang", "heading", "category"),
    [
        pytest.param({}, "de", "Wie können wir helfen?", "Rückgabe &amp; Umtausch", id="german"),
        pytest.param(
            {"Accept-Language": "en-GB,en;q=0.9"},
            "en",
            "How can we help?",
            "Returns &amp; Exchanges",
            id="english_by_accept_language",
        ),
    ],
)
async def test_home_shows_demo_content_in_the_visitors_language(
    client, headers, lang, heading, category
):
    response = await client.get("/", headers=headers)
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in response.text
    assert heading in response.text
    assert category in response.text


async def test_language_switch_is_a_post_that_sets_a_cookie(client):
    response = await post_form(client, "/faq", "/language", {"lang": "en", "next": "/faq"})
    assert response.status_code == 303
    assert response.headers["location"] == "/faq"
    assert "Frequently asked questions" in (await client.get("/faq")).text


async def test_language_switch_refuses_foreign_redirects(client):
    response = await post_form(client, "/", "/language", {"lang": "en", "next": "//evil.example/"})
    assert response.headers["location"] == "/"


async def test_unknown_page_is_a_friendly_404_in_the_customers_language(client):
    german = await client.get("/gibt-es-nicht")
    english = await client.get("/gibt-es-nicht", headers={"Accept-Language": "en"})
    assert german.status_code == english.status_code == 404
    assert "Diese Seite haben wir leider nicht gefunden." in german.text
    assert "We could not find this page." in english.text
    assert "Traceback" not in german.text


async def test_unknown_api_path_is_problem_json(client):
    response = await client.get("/api/v1/nothing")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["status"] == 404


async def test_every_response_carries_security_headers(client):
    for path in ("/", "/faq", "/nope", "/api/v1/nope", "/healthz"):
        response = await client.get(path)
        for name, value in SECURITY_HEADERS.items():
            assert response.headers.get(name) == value, (path, name)
    assert "unsafe-inline" not in SECURITY_HEADERS["content-security-policy"]


async def test_strict_transport_security_only_over_https(env):
    from litestar.testing import AsyncTestClient

    from portal.app import create_app
    from portal.settings import Settings

    seen = {}
    for base in ("http://testserver.local", "https://support.example"):
        settings = Settings.from_env({**env, "PORTAL_BASE_URL": base})
        async with AsyncTestClient(create_app(settings), base_url=base) as client:
            seen[base] = (await client.get("/")).headers.get("strict-transport-security")
    assert seen == {
        "http://testserver.local": None,
        "https://support.example": "max-age=31536000; includeSubDomains",
    }


async def test_form_post_without_csrf_token_is_refused(client):
    response = await client.post("/language", data={"lang": "en"})
    assert response.status_code == 403
    assert "Diese Seite ist abgelaufen." in response.text


async def test_pages_have_no_inline_scripts(client):
    html = (await client.get("/")).text
    assert "<script>" not in html and "onclick" not in html
    assert '<a class="skip-link" href="#main">' in html


def test_cli_reports_a_bad_setting_in_one_line(tmp_path):
    env = {"PORTAL_DATA_DIR": str(tmp_path), "PORTAL_DATABASE_URL": "oracle://db", "PATH": ""}
    result = run_portal(env, "migrate")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "PORTAL_DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_reports_an_unreachable_database_in_one_line(tmp_path):
    env = {
        "PORTAL_DATA_DIR": str(tmp_path),
        "PORTAL_DATABASE_URL": "postgres://u:secret@127.0.0.1:9/x",
    }
    result = run_portal(env, "migrate")
    assert result.returncode == 1
    assert result.stderr.startswith("portal: database unreachable (postgres://127.0.0.1:9/x)")
    assert result.stderr.strip().count("\n") == 0
    assert "secret" not in result.stderr


def test_several_processes_on_sqlite_are_refused_in_one_line(tmp_path):
    env = {"PORTAL_DATA_DIR": str(tmp_path), "PATH": ""}
    result = run_portal(env, "serve", "--workers", "2", "--port", "9")
    assert result.returncode == 2
    assert "need PostgreSQL" in result.stderr and result.stderr.strip().count("\n") == 0
    assert not (tmp_path / "portal.sqlite3").exists()  # refused before anything was written
