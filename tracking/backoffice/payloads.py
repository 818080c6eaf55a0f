"""The case as the back office receives it, in webhooks and in the API alike.

Attachments are listed with download links that are signed and expire, so a webhook payload
that ends up in a log does not open the files forever.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tracking.links import LinkSigner
from tracking.models import Attachment, Case

#: Served by the portal's back-office API; the signature is the credential.
ATTACHMENT_PATH = "/api/v1/backoffice/attachments/{attachment_id}"
ATTACHMENT_PURPOSE = "attachment"
ATTACHMENT_TTL = timedelta(days=7)


def summary(case: Case) -> dict[str, Any]:
    """The classification and routing: enough to list and route cases."""
    return {
        "tracking_id": case.tracking_id,
        "status": case.status,
        "type": case.request_type,
        "product": case.product,
        "urgency": case.urgency,
        "customer_type": case.customer_type,
        "channel": case.channel,
        "language": case.language,
        "level": case.level,
        "department": case.department,
        "priority": case.priority,
        "first_response_due": case.first_response_due,
        "resolution_due": case.resolution_due,
        "created_at": case.created_at,
        "updated_at": case.updated_at,
    }


def attachment_url(links: LinkSigner, attachment_id: int) -> str:
    path = ATTACHMENT_PATH.format(attachment_id=attachment_id)
    return links.url(ATTACHMENT_PURPOSE, path, ATTACHMENT_TTL)


async def case_data(case: Case, links: LinkSigner, status_url: str) -> dict[str, Any]:
    """The full case: classification, routing, SLA, contact, deflection, files."""
    files = await Attachment.filter(case_id=case.id).order_by("id")
    return {
        **summary(case),
        "status_url": status_url,
        "source": case.source,
        "contact": {
            "name": case.name,
            "email": case.email,
            "phone": case.phone,
            "street": case.street,
            "postcode": case.postcode,
            "city": case.city,
            "company": case.company,
            "customer_number": case.customer_number,
        },
        "description": case.description,
        "details": case.details,
        "deflection": case.deflection,
        "attachments": [
            {
                "id": f.id,
                "filename": f.filename,
                "content_type": f.content_type,
                "size": f.size,
                "sha256": f.sha256,
                "url": attachment_url(links, f.id),
            }
            for f in files
        ],
    }


async def attachment_for_link(
    links: LinkSigner, attachment_id: int, expires: str, sig: str
) -> Attachment | None:
    """The attachment a signed link points to; None for a bad, expired or foreign link alike."""
    path = ATTACHMENT_PATH.format(attachment_id=attachment_id)
    if not links.verify(ATTACHMENT_PURPOSE, path, expires, sig):
        return None
    return await Attachment.get_or_none(id=attachment_id)
