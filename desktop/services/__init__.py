"""Use cases: record, verify, hold, post, void, print, export; one session per call."""
