"""Events to the outside world: subscriptions, the transactional outbox, signed delivery.

`events.EVENT_TYPES` names every event; `outbox.enqueue` writes one in the caller's
transaction; `worker.DeliveryWorker` sends it signed (`signing`, Standard Webhooks) after
commit; `subscriptions` is what the CLI manages. Domain packages publish through here and
this package knows none of them.
"""
