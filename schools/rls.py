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

ENABLE = (
    "ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
    f"CREATE POLICY {POLICY_NAME} ON {{table}} USING ({CONDITION}) WITH CHECK ({CONDITION})",
)
DISABLE = (
    f"DROP POLICY IF EXISTS {POLICY_NAME} ON {{table}}",
    "ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY",
    "ALTER TABLE {table} DISABLE ROW LEVEL SECURITY",
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

    def _execute(self, app_label: str, state: Any, schema_editor: Any, statements: tuple[str, ...]) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        model = state.apps.get_model(app_label, self.model_name)
        table = schema_editor.quote_name(model._meta.db_table)
        for statement in statements:
            schema_editor.execute(statement.format(table=table))

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        self._execute(app_label, to_state, schema_editor, ENABLE)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        self._execute(app_label, from_state, schema_editor, DISABLE)

    def describe(self) -> str:
        return f"Row-level security on {self.model_name}"

    @property
    def migration_name_fragment(self) -> str:
        return f"rls_{self.model_name.lower()}"
