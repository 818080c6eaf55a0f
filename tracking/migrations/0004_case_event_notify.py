"""PostgreSQL: a trigger NOTIFYs every new timeline entry, so live status pages wake at once.

portal.live LISTENs on this channel. Other databases get nothing (their pages poll). The
statements are idempotent: databases of earlier versions, whose processes installed the
trigger at start, take this migration without change.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops

FUNCTION = """
CREATE OR REPLACE FUNCTION portal_notify_case_event() RETURNS trigger AS $$
BEGIN PERFORM pg_notify('portal_case_event', NEW.case_id::text); RETURN NEW; END
$$ LANGUAGE plpgsql
"""
TRIGGER = """
CREATE OR REPLACE TRIGGER portal_case_event_notify AFTER INSERT ON tracking_case_event
FOR EACH ROW EXECUTE FUNCTION portal_notify_case_event()
"""
DROP = """
DROP TRIGGER IF EXISTS portal_case_event_notify ON tracking_case_event;
DROP FUNCTION IF EXISTS portal_notify_case_event()
"""


async def install(apps, schema_editor) -> None:
    if schema_editor.client.capabilities.dialect == "postgres":
        await schema_editor.client.execute_script(FUNCTION)
        await schema_editor.client.execute_script(TRIGGER)


async def remove(apps, schema_editor) -> None:
    if schema_editor.client.capabilities.dialect == "postgres":
        await schema_editor.client.execute_script(DROP)


class Migration(migrations.Migration):
    dependencies = [("tracking", "0003_mail_html_attachments")]

    initial = False

    operations = [ops.RunPython(install, remove)]
