"""Alembic revision scripts, oldest first: 0001_initial, 0002_settings_ticket, 0003_review_indexes, 0004_people,
0005_review_patient_name, 0006_record_fields."""
