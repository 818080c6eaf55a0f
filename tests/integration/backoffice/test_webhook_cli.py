"""`portal webhooks ...`: scripts get one JSON object, operators a readable line."""

from __future__ import annotations

import json

import pytest

from portal.cli import main
from webhooks.events import EVENT_TYPES


@pytest.fixture
def cli_env(env, monkeypatch):
    for name, value in env.items():
        monkeypatch.setenv(name, value)


def test_add_json_prints_exactly_one_object(cli_env, capsys) -> None:
    assert (
        main(["webhooks", "add", "http://127.0.0.1:9/hook", "--events", "case.created", "--json"])
        == 0
    )
    created = json.loads(capsys.readouterr().out)
    assert set(created) == {"id", "url", "secret"}
    assert created["secret"].startswith("whsec_")

    assert main(["webhooks", "rotate", str(created["id"]), "--json"]) == 0
    rotated = json.loads(capsys.readouterr().out)
    assert rotated["secret"] != created["secret"]

    assert main(["webhooks", "list", "--json"]) == 0
    (listed,) = json.loads(capsys.readouterr().out)
    assert listed["secrets"] == 2 and listed["events"] == ["case.created"]
    assert created["secret"] not in json.dumps(listed)


def test_add_refuses_a_relative_url(cli_env, capsys) -> None:
    assert main(["webhooks", "add", "/hook"]) == 1
    assert "http(s) URL" in capsys.readouterr().err


def test_add_refuses_a_misspelt_event_type_naming_the_valid_ones(cli_env, capsys) -> None:
    assert main(["webhooks", "add", "http://127.0.0.1:9/hook", "--events", "case.craeted"]) == 1
    error = capsys.readouterr().err
    assert "case.craeted" in error
    assert all(name in error for name in EVENT_TYPES)
    assert main(["webhooks", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_clients_create_json(cli_env, capsys) -> None:
    assert (
        main(["clients", "create", "ERP", "--scopes", "cases:read", "cases:write", "--json"]) == 0
    )
    created = json.loads(capsys.readouterr().out)
    assert set(created) == {"client_id", "client_secret", "scopes"}
    assert created["scopes"] == ["cases:read", "cases:write"]
    assert main(["clients", "create", "X", "--scopes", "root"]) == 1
