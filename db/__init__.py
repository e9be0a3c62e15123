"""The charge store: SQLAlchemy models, engine factory, repositories, migrations."""
