"""Django and SQLAlchemy: bulk persistence, parent rows and schema seeding."""
