"""Row-level security on PostgreSQL: the second wall between schools.

Every tenant table gets a policy that, when the connection carries school ids
(`ent.school_ids`, set by `schools.tenancy`), shows and accepts only those schools' rows.
FORCE applies it to the table's owner too; only a superuser bypasses it, so production
connects as an ordinary role. Each app adds `TenantRowLevelSecurity("model")` to a
migration for each of its tenant models; `tests/isolation` checks none is forgotten.
On other databases the operation does nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.migrations.operations.base import Operation

POLICY_NAME = "tenant_isolation"
CONDITION = (
    "coalesce(current_setting('ent.school_ids', true), '') = '' "
    "OR school_id = ANY (string_to_array(current_setting('ent.school_ids', true), ',')::bigint[])"
)


class TenantRowLevelSecurity(Operation):
    reversible = True
    reduces_to_sql = True

    def __init__(self, model_name: str) -> None:
        self.model_name = model_name

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (self.__class__.__qualname__, [self.model_name], {})

    def state_forwards(self, app_label: str, state: Any) -> None:
        """Policies live in the database only; the model state is unchanged."""

    def _table(self, app_label: str, state: Any, schema_editor: Any) -> str:
        model = state.apps.get_model(app_label, self.model_name)
        return str(schema_editor.quote_name(model._meta.db_table))

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        table = self._table(app_label, to_state, schema_editor)
        schema_editor.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        schema_editor.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        schema_editor.execute(f"CREATE POLICY {POLICY_NAME} ON {table} USING ({CONDITION}) WITH CHECK ({CONDITION})")

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        table = self._table(app_label, from_state, schema_editor)
        schema_editor.execute(f"DROP POLICY IF EXISTS {POLICY_NAME} ON {table}")
        schema_editor.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
        schema_editor.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")

    def describe(self) -> str:
        return f"Row-level security on {self.model_name}"

    @property
    def migration_name_fragment(self) -> str:
        return f"rls_{self.model_name.lower()}"
