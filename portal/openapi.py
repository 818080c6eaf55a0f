"""Finishing touches on the generated OpenAPI document, so it tells the truth about errors.

Litestar documents error responses as `application/json` with its own shape; the portal
answers every API error with an RFC 9457 problem document instead. Here every 4xx of a JSON
endpoint is documented as `application/problem+json`, including the statuses every endpoint
can give (400 and 422 for invalid input) and the rate limits.
"""

from __future__ import annotations

from litestar import Litestar
from litestar.openapi.spec import OpenAPI, OpenAPIResponse, Reference, Schema
from litestar.openapi.spec.enums import OpenAPIType
from litestar.openapi.spec.media_type import OpenAPIMediaType

PROBLEM_JSON = "application/problem+json"
#: Statuses any API operation may answer, with their reason.
ALWAYS = {"400": "The request is malformed", "422": "The request is not valid"}
#: Operations behind a rate limit: (method, path).
RATE_LIMITED = {("get", "/api/v1/faq/search"), ("post", "/api/v1/cases")}
#: Operations that also answer `text/csv` (with `Accept: text/csv` or `format=csv`).
CSV_TOO = {("get", "/api/v1/backoffice/reports/summary"), ("get", "/api/v1/backoffice/reports/faq")}
#: OAuth2 errors follow RFC 6749 (plain JSON), not RFC 9457.
OAUTH = "/oauth/"

PROBLEM = Schema(
    type=OpenAPIType.OBJECT,
    required=["type", "title", "status"],
    properties={
        "type": Schema(type=OpenAPIType.STRING),
        "title": Schema(type=OpenAPIType.STRING),
        "status": Schema(type=OpenAPIType.INTEGER),
        "detail": Schema(type=OpenAPIType.STRING),
        "errors": Schema(
            type=OpenAPIType.ARRAY,
            items=Schema(type=OpenAPIType.OBJECT, additional_properties=True),
        ),
    },
    additional_properties=True,
    description="RFC 9457 problem details",
)


def document_problems(app: Litestar) -> None:
    """Call once at start-up, before the schema is first served."""
    openapi: OpenAPI = app.openapi_schema
    openapi.components.schemas = {**(openapi.components.schemas or {}), "Problem": PROBLEM}
    ref = Reference(ref="#/components/schemas/Problem")
    for path, item in (openapi.paths or {}).items():
        if path.startswith(OAUTH):
            continue
        for method in ("get", "put", "post", "patch", "delete"):
            operation = getattr(item, method, None)
            if operation is None:
                continue
            responses = operation.responses = dict(operation.responses or {})
            wanted = dict(ALWAYS)
            if "{" in path:
                wanted["404"] = "Nothing is found under this path"
            if (method, path) in RATE_LIMITED:
                wanted["429"] = "Too many requests: wait and try again"
            for status, description in wanted.items():
                responses.setdefault(status, OpenAPIResponse(description=description))
            for status, response in responses.items():
                if isinstance(response, OpenAPIResponse) and status[:1] == "4":
                    response.content = {PROBLEM_JSON: OpenAPIMediaType(schema=ref)}
            ok = responses.get("200")
            if (method, path) in CSV_TOO and isinstance(ok, OpenAPIResponse):
                csv = OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING))
                ok.content = {**(ok.content or {}), "text/csv": csv}
            _closed(openapi, operation.request_body)


def _closed(openapi: OpenAPI, body) -> None:
    """Request bodies refuse unknown fields (a typo must not be ignored): say so."""
    content = getattr(body, "content", None) or {}
    for media in content.values():
        _close_schema(openapi, media.schema)


def _close_schema(openapi: OpenAPI, schema) -> None:
    if isinstance(schema, Reference):
        schema = openapi.components.schemas.get(schema.ref.rsplit("/", 1)[-1])
    if not isinstance(schema, Schema):
        return
    for member in (*(schema.one_of or ()), *(schema.any_of or ())):
        _close_schema(openapi, member)
    if schema.properties is not None:
        schema.additional_properties = False
