"""Database layer: models, engines and migrations."""
