"""Database records of cases: the case, its timeline, its files, its outgoing mail."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

RECEIVED = "received"


class Case(Model):
    """A customer's request, classified and routed on intake."""

    id = fields.IntField(primary_key=True)
    tracking_id = fields.CharField(
        max_length=16, unique=True, description="public id such as K7M4-Q2XR-9TBDH"
    )
    submission_key = fields.CharField(
        max_length=64, unique=True, description="hash of the form or API idempotency key"
    )
    access_token_hash = fields.CharField(
        max_length=64, description="sha256 of the personal tracking link secret"
    )
    status = fields.CharField(max_length=20, default=RECEIVED)
    source = fields.CharField(max_length=10, description="form or api")
    language = fields.CharField(max_length=2)
    request_type = fields.CharField(max_length=40)
    product = fields.CharField(max_length=40)
    urgency = fields.CharField(max_length=20)
    customer_type = fields.CharField(max_length=10)
    channel = fields.CharField(max_length=20)
    level = fields.SmallIntField(description="support level 1, 2 or 3")
    department = fields.CharField(max_length=40)
    priority = fields.CharField(max_length=10)
    name = fields.CharField(max_length=100)
    email = fields.CharField(max_length=254)
    phone = fields.CharField(max_length=20, default="", description="E.164")
    street = fields.CharField(max_length=120, default="")
    postcode = fields.CharField(max_length=10, default="")
    city = fields.CharField(max_length=80, default="")
    company = fields.CharField(max_length=120, default="")
    customer_number = fields.CharField(max_length=12, default="")
    description = fields.TextField()
    details = fields.JSONField(default=dict, description="the extra fields of the request type")
    deflection = fields.JSONField(default=dict, description="FAQ query, articles shown and opened")
    first_response_due = fields.DatetimeField()
    resolution_due = fields.DatetimeField()
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    updated_at = fields.DatetimeField(auto_now=True)

    events: fields.ReverseRelation[CaseEvent]
    attachments: fields.ReverseRelation[Attachment]

    class Meta:
        table = "tracking_case"


class CaseEvent(Model):
    """One entry of a case's timeline, oldest first."""

    id = fields.BigIntField(primary_key=True)
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "tracking.Case", related_name="events", on_delete=fields.CASCADE
    )
    kind = fields.CharField(max_length=40)
    data = fields.JSONField(default=dict)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "tracking_case_event"
        ordering = ["id"]


class Attachment(Model):
    """A file the customer sent, stored under a random name in the data directory."""

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "tracking.Case", related_name="attachments", on_delete=fields.CASCADE
    )
    storage_name = fields.CharField(max_length=32, unique=True)
    filename = fields.CharField(max_length=120, description="display name only, never a path")
    content_type = fields.CharField(
        max_length=40, description="from the file content, not the client"
    )
    size = fields.IntField()
    sha256 = fields.CharField(max_length=64)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "tracking_attachment"


class OutgoingMail(Model):
    """An email written with the change that caused it and sent after commit, with retries."""

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyNullableRelation[Case] = fields.ForeignKeyField(
        "tracking.Case", related_name="mails", null=True, on_delete=fields.SET_NULL
    )
    kind = fields.CharField(max_length=40)
    recipient = fields.CharField(max_length=254)
    subject = fields.CharField(max_length=200)
    body = fields.TextField(description="emptied once sent, it may hold a tracking link secret")
    # both nullable: columns added to a filled table (SQLite adds no NOT NULL column without a
    # database default); mails queued before them read as no HTML and no files
    html = fields.TextField(
        null=True, default="", description="the HTML alternative, emptied once sent"
    )
    attachments = fields.JSONField(
        null=True, default=list, description="files (name, type, base64 data), emptied once sent"
    )
    status = fields.CharField(
        max_length=10, default="pending", description="pending, sending, sent, failed"
    )
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField(db_index=True)
    last_error = fields.CharField(max_length=300, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    sent_at = fields.DatetimeField(null=True)

    class Meta:
        table = "tracking_mail"


class SuggestionOpened(Model):
    """An FAQ answer suggested on the case form that the customer opened.

    Rows whose draft never became a case count as deflected requests.
    """

    id = fields.IntField(primary_key=True)
    draft = fields.CharField(max_length=64, db_index=True, description="hash of the form draft id")
    slug = fields.CharField(max_length=120)
    lang = fields.CharField(max_length=2)
    case: fields.ForeignKeyNullableRelation[Case] = fields.ForeignKeyField(
        "tracking.Case", related_name="opened_suggestions", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "tracking_suggestion_opened"


class CaseAccessKey(Model):
    """A further personal-link secret of a case (sent again on request), only its hash is kept.

    The first one is Case.access_token_hash, and older links keep working when a new one is sent.
    """

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "tracking.Case", related_name="access_keys", on_delete=fields.CASCADE
    )
    key_hash = fields.CharField(max_length=64, unique=True, description="sha256 of the secret")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "tracking_case_access_key"
