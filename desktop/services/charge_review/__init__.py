"""Reviewing charges: the state machine's audited transitions, actions on whole visits and on queue rows, the queue."""
