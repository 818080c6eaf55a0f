"""The back office link: subscriptions, the transactional outbox and signed webhook delivery."""
