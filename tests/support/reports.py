"""The report page's sign-in: the admin token the report tests run with, and the form."""

from __future__ import annotations

from support.client import csrf_token

ADMIN_TOKEN = "report-admin-token-" + "k" * 24


async def login_form(client):
    response = await client.get("/reports")
    assert response.status_code == 200
    assert 'name="client_id"' in response.text
    return response


async def sign_in(client, **fields):
    token = csrf_token((await login_form(client)).text)
    return await client.post("/reports/login", data={**fields, "_csrf_token": token})
