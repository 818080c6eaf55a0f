"""The back office's side of a case: OAuth2 clients and tokens, the case API, SLA warnings.

Events reach the back office through the `webhooks` package (`TrackingService.publish`).
"""
