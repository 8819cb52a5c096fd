"""PostgreSQL as the project uses it: Django's backend, grouping by every selected column (base.py)."""
