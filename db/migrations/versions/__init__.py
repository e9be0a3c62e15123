"""Alembic revision scripts, oldest first: 0001_initial, 0002_settings_ticket, 0003_review_indexes, 0004_people."""
