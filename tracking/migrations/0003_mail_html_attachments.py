import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("tracking", "0002_case_access_key")]

    initial = False

    operations = [
        ops.AddField(
            model_name="OutgoingMail",
            name="attachments",
            field=fields.JSONField(
                null=True,
                default=list,
                description="files (name, type, base64 data), emptied once sent",
                encoder=functools.partial(dumps, separators=(",", ":")),
                decoder=loads,
            ),
        ),
        ops.AddField(
            model_name="OutgoingMail",
            name="html",
            field=fields.TextField(
                null=True,
                default="",
                description="the HTML alternative, emptied once sent",
                unique=False,
            ),
        ),
    ]
