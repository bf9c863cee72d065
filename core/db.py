"""Database helpers shared by the apps: constraints that exist on PostgreSQL only, range functions,
and races lost to a constraint answered as conflicts.

PostgreSQL-only constraints are declared with :class:`PostgresExclusionConstraint`: on PostgreSQL it
is an ordinary ``ExclusionConstraint`` (its migration must run ``BtreeGistExtension()`` first); on
any other database it emits no SQL and skips model validation, so migrations still run on SQLite.
There the service that writes the row performs the same check itself, after locking the contended
row, which is what makes the rule hold on both databases.
"""

from contextlib import contextmanager

from django.apps import apps
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, DateTimeRangeField
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.db.models import Func
from django.utils.translation import gettext as _

from .errors import Conflict


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


def _violated_constraint(error: IntegrityError):
    """The model constraint a database error names (PostgreSQL reports it), or None."""
    name = getattr(getattr(error.__cause__, "diag", None), "constraint_name", None)
    if not name:
        return None
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            if constraint.name == name:
                return constraint
    return None


def conflict_from(error: IntegrityError) -> Conflict:
    """What a user is told when a write lost a race against another for the same row or slot: the
    broken constraint's own message, at its last field for a unique constraint."""
    constraint = _violated_constraint(error)
    if constraint is None:
        return Conflict(_("Someone else changed this at the same moment; nothing was saved. Please try again."))
    message = constraint.get_violation_error_message()
    fields = getattr(constraint, "fields", ())
    return Conflict({fields[-1]: [message]} if fields else message)


@contextmanager
def constraints_as_conflicts():
    """Run the block in a savepoint; a database constraint it breaks (two requests racing for one
    slot or reference) is raised as a ``Conflict`` with the constraint's message, never a server error."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as error:
        raise conflict_from(error) from error


ANALYZE_AFTER = 10_000  # rows: a load this large changes the table's statistics
PLAIN_COLUMNS = {
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "DateField",
    "DateTimeField",
    "DecimalField",
    "ForeignKey",
    "IntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "TextField",
}


def bulk_insert(model, objects: list, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Insert many new rows: through COPY on PostgreSQL (bulk_create spends most of its time quoting
    tens of thousands of values into INSERT parameters), bulk_create elsewhere. The objects get no
    primary keys."""
    connection = connections[using]
    if not _is_postgresql(connection):
        model.objects.using(using).bulk_create(objects, batch_size=2000)
        return
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    # psycopg adapts dates, decimals, numbers, text and booleans itself; the other fields (JSON,
    # files) take Django's adaptation, and auto_now fields their pre_save.
    adapted = [field.get_internal_type() not in PLAIN_COLUMNS for field in fields]
    stamped = [bool(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)) for field in fields]
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy,
    ):
        for item in objects:
            row = []
            for field, adapt, stamp in zip(fields, adapted, stamped, strict=True):
                value = field.pre_save(item, True) if stamp else getattr(item, field.attname)
                row.append(field.get_db_prep_save(value, connection) if adapt else value)
            copy.write_row(row)
    if len(objects) >= ANALYZE_AFTER:
        # the planner would go on believing the table is as small as before the load
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {model._meta.db_table}")
