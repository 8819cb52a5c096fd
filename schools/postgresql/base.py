"""Django's PostgreSQL backend, grouping by every selected column rather than by a primary key alone.

Once the tenant tables' primary keys are (school_id, id) for distribution by school
(schools.distribution, docs/scale-out.md), `id` alone is no longer a key PostgreSQL may group by.
Grouping by every selected column, as Django does on SQLite, works on both keys; PostgreSQL drops
the grouping columns a primary key already decides, so the queries cost the same.
"""

from __future__ import annotations

from django.db.backends.postgresql import base, features


class DatabaseFeatures(features.DatabaseFeatures):
    allows_group_by_selected_pks = False


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures
