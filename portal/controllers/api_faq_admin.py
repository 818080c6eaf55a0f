"""Back-office FAQ editing: a knowledge base or CMS pushes articles (scope `faq:write`).

Every portal process picks a change up within seconds (FaqService.sync_index), the process
that took the request at once.
"""

from __future__ import annotations

from typing import Annotated

from litestar import Request, Response, Router, delete, put
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, JSONBody, PathParameter
from msgspec import Meta, Struct

from faq.documents import ArticleDoc
from faq.importer import SLUG
from portal.api_auth import require_scope
from portal.services import Services
from shared.regional import Language

Slug = Annotated[str, PathParameter(pattern=SLUG.pattern, description="a-z, 0-9 and hyphens")]
Tag = Annotated[str, Meta(max_length=60)]


class ArticleIn(Struct, forbid_unknown_fields=True):
    title: Annotated[str, Meta(min_length=1, max_length=300)]
    category: Annotated[str, Meta(min_length=1, max_length=120)]
    body: Annotated[str, Meta(min_length=1, max_length=100_000, description="Markdown")]
    tags: Annotated[list[Tag], Meta(max_length=30, description="empty ones are dropped")] = []


class ArticleOut(Struct):
    id: str
    lang: str
    created: bool
    url: str


class Problem(Struct):
    type: str
    title: str
    status: int
    detail: str


@put(
    "/{lang:str}/{slug:str}",
    name="backoffice_faq_upsert",
    summary="Create or replace an FAQ article",
    guards=[require_scope("faq:write")],
    status_code=200,
    responses={201: ResponseSpec(ArticleOut, description="The article was created")},
)
async def upsert_article(
    request: Request,
    services: NamedDependency[Services],
    lang: FromPath[Language],
    slug: FromPath[Slug],
    data: JSONBody[ArticleIn],
) -> Response[ArticleOut]:
    """Idempotent: sending the same article again changes nothing."""
    doc = ArticleDoc(
        slug,
        lang,
        data.title.strip(),
        data.category.strip(),
        data.body.strip() + "\n",
        tuple(t.strip() for t in data.tags if t.strip()),
    )
    created = await services.faq.upsert(doc)
    url = str(request.url_for("faq_article", lang=lang, slug=slug))
    return Response(ArticleOut(slug, lang, created, url), status_code=201 if created else 200)


@delete(
    "/{lang:str}/{slug:str}",
    name="backoffice_faq_delete",
    summary="Remove an FAQ article",
    guards=[require_scope("faq:write")],
    responses={404: ResponseSpec(Problem, description="No such article")},
)
async def delete_article(
    services: NamedDependency[Services], lang: FromPath[Language], slug: FromPath[Slug]
) -> None:
    if not await services.faq.delete(slug, lang):
        raise NotFoundException(f"There is no article {lang}/{slug}.")


def router() -> Router:
    return Router(
        "/api/v1/backoffice/faq",
        route_handlers=[upsert_article, delete_article],
        tags=["back office"],
    )
