"""Long lists without building a model instance and a serializer per row.

A read serializer that names ``list_columns`` (output field → lookup path, a column of the model
or across a foreign key) can list a page straight from ``values()``. Each value is converted as its
serializer field's ``to_representation`` converts it (``core.speedups.column_converters``), so a row reads exactly
as the serializer writes it; the API tests compare every listed row with its detail view. With the
counting below, this took the unit and lease lists from a third to over half of their raw-SQL
ceilings (bench/RESULTS.md).
"""

from collections.abc import Callable

from django.db.models import Count, Window
from rest_framework.response import Response

from core.speedups.column_converters import column_converter

# No list reaches a page number this long; beyond it an offset would overflow PostgreSQL's bigint.
MAX_PAGE_DIGITS = 12


class ValuesListSerializerMixin:
    list_columns: dict[str, str] = {}

    @classmethod
    def _list_plan(cls) -> list[tuple[str, str | None, Callable | None]]:
        """Per field, in the serializer's order: its name, its column (None for a field that
        ``complete_rows`` fills) and its converter. Built once per class (building a
        ModelSerializer's fields costs more than listing fifty rows)."""
        plan = cls.__dict__.get("_list_plan_cache")
        if plan is None:
            plan = cls._list_plan_cache = [
                (name, cls.list_columns.get(name), column_converter(field) if name in cls.list_columns else None)
                for name, field in cls().fields.items()
            ]
        return plan

    @classmethod
    def list_expressions(cls) -> dict:
        """Expressions read beside the columns (name → expression), for ``complete_rows``."""
        return {}

    @classmethod
    def list_rows(cls, rows) -> list[dict]:
        """The serializer's representation of rows read with ``values(*list_columns.values(),
        **list_expressions())``."""
        rows, plan, listed = list(rows), cls._list_plan(), []
        for row in rows:
            item = {}
            for name, column, convert in plan:
                value = None if column is None else row[column]
                item[name] = value if convert is None or value is None else convert(value)
            listed.append(item)
        cls.complete_rows(listed, rows)
        return listed

    @classmethod
    def complete_rows(cls, listed: list[dict], rows: list[dict]) -> None:
        """Fill in the fields that are not columns (lists of related ids, say) from the rows read,
        which also hold the ``list_expressions``, with a fixed number of queries."""


class _Rows:
    """What the paginator pages, read with ``values()``.

    A narrowed list (filtered, or scoped to a tenant) is counted in the page's own query, by a window
    over the matching rows, so its conditions are evaluated once instead of twice; a whole table is
    counted with ``count()`` on the model's queryset, which PostgreSQL answers without sorting every
    row (and without the joins that read, say, a unit's building code)."""

    TOTAL = "_rows_total"

    def __init__(self, queryset, columns, expressions: dict, *, page: slice | None):
        self.queryset, self.values = queryset, queryset.values(*columns, **expressions)
        self.ordered = queryset.ordered
        narrowed = bool(queryset.query.where) and not queryset.query.distinct
        self._page = page if narrowed else None
        self._fetched: list[dict] | None = None
        self._total: int | None = None

    def count(self) -> int:
        if self._total is None and self._page is not None:
            self._fetched = list(self.values.annotate(**{self.TOTAL: Window(Count("pk"))})[self._page])
            if self._fetched:
                self._total = self._fetched[0][self.TOTAL]
        if self._total is None:
            self._total = self.queryset.count()
        return self._total

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if self._fetched and self._page is not None and index.start == self._page.start:
            return self._fetched[: index.stop - index.start]
        return list(self.values[index])


class ValuesListMixin:
    """A viewset's list action through its serializer's ``list_rows``."""

    def list(self, request, *args, **kwargs):
        serializer_class = self.get_serializer_class()
        expressions = serializer_class.list_expressions()
        rows = _Rows(
            self.filter_queryset(self.get_queryset()),
            serializer_class.list_columns.values(),
            expressions,
            page=self._requested_page(request),
        )
        page = self.paginate_queryset(rows)
        if page is None:
            return Response(serializer_class.list_rows(rows.values))
        return self.get_paginated_response(serializer_class.list_rows(page))

    def _requested_page(self, request) -> slice | None:
        """The rows of the page asked for, when it is asked for by number."""
        size = self.paginator.get_page_size(request) if self.paginator else None
        number = request.query_params.get(self.paginator.page_query_param, "1") if size else ""
        if not number.isdigit() or len(number) > MAX_PAGE_DIGITS or int(number) < 1:
            return None  # the paginator answers a page out of range with its 404
        start = (int(number) - 1) * size
        return slice(start, start + size)
