"""Schedules' webhooks: deliveries queued with health changes, signed and sent with retries."""
