"""ASGI entry point for servers: `uvicorn --factory portal.asgi:create`."""

from litestar import Litestar

from portal.app import create_app
from portal.settings import Settings


def create() -> Litestar:
    return create_app(Settings.from_env())
