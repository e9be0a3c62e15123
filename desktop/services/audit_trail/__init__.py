"""The audit trail: logging to and proving the keyed chain, reading its events for administrators."""
