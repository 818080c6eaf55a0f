"""The ceiling: a minimal Litestar app with a tiny HTML page, served like the portal."""

from litestar import Litestar, MediaType, get


@get("/", media_type=MediaType.HTML)
async def index() -> str:
    return "<!doctype html><title>ceiling</title><p>Hello</p>"


app = Litestar([index])
