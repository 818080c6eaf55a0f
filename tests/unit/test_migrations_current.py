"""The migrations on disk describe the models as they are: `makemigrations` has nothing to add
(a model's docstring, a field's description or an option changed without a migration shows
here, before an upgrade finds the schema out of step)."""

from __future__ import annotations

from tortoise.context import TortoiseContext
from tortoise.migrations.autodetector import MigrationAutodetector

from portal.db import tortoise_config
from portal.settings import Settings


async def test_makemigrations_finds_no_change(settings: Settings) -> None:
    config = tortoise_config(settings)
    async with TortoiseContext() as ctx:
        await ctx.init(config=config)
        changes = await MigrationAutodetector(ctx.apps, config["apps"]).changes()
    wanted = {change.app_label: [op.describe() for op in change.operations] for change in changes}
    assert wanted == {}
