"""Database helpers shared by the apps.

PostgreSQL-only constraints are declared with :class:`PostgresExclusionConstraint`: on PostgreSQL it
is an ordinary ``ExclusionConstraint`` (its migration must run ``BtreeGistExtension()`` first); on
any other database it emits no SQL and skips model validation, so migrations still run on SQLite.
There the service that writes the row performs the same check itself, after locking the contended
row, which is what makes the rule hold on both databases.
"""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, DateTimeRangeField
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Func


def _is_postgresql(connection) -> bool:
    return connection.vendor == "postgresql"


class PostgresExclusionConstraint(ExclusionConstraint):
    """An exclusion constraint that exists on PostgreSQL and is silently absent elsewhere."""

    def constraint_sql(self, model, schema_editor):
        if not _is_postgresql(schema_editor.connection):
            return None
        return super().constraint_sql(model, schema_editor)

    def create_sql(self, model, schema_editor):
        if not _is_postgresql(schema_editor.connection):
            return None
        return super().create_sql(model, schema_editor)

    def remove_sql(self, model, schema_editor):
        if not _is_postgresql(schema_editor.connection):
            return None
        return super().remove_sql(model, schema_editor)

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        if _is_postgresql(connections[using]):
            super().validate(model, instance, exclude=exclude, using=using)


class DateRange(Func):
    """``daterange(lower, upper, bounds)`` for constraints over two date columns."""

    function = "DATERANGE"
    output_field = DateRangeField()


class TimestampRange(Func):
    """``tstzrange(lower, upper, bounds)`` for constraints over two timestamp columns."""

    function = "TSTZRANGE"
    output_field = DateTimeRangeField()
