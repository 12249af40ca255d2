"""Pure rules and vocabulary: no SQLAlchemy, no Qt."""
