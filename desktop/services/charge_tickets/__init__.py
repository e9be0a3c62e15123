"""Charge tickets from the store: a visit mapped into ticket data, its PDF, recording that it was printed."""
