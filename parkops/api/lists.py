"""Long lists without building a model instance and a serializer per row.

A read serializer that names ``list_columns`` (output field → lookup path, a column of the model
or across a foreign key) can list a page straight from ``values()``. Each value still goes through
its serializer field's ``to_representation``, so a row reads exactly as the serializer writes it;
the API tests compare every listed row with its detail view. On 60,000 units this about doubles
the list's throughput (bench/RESULTS.md).
"""

from rest_framework import serializers
from rest_framework.response import Response


class ValuesListSerializerMixin:
    list_columns: dict[str, str] = {}

    @classmethod
    def _converters(cls) -> tuple[list[str], list[tuple]]:
        """The fields' names and, per column, its converter; built once per class (building a
        ModelSerializer's fields costs more than listing fifty rows)."""
        cached = cls.__dict__.get("_list_converters")
        if cached is None:
            fields = cls().fields
            converters = [
                (name, path,
                 None if isinstance(fields[name], serializers.RelatedField) else fields[name].to_representation)
                for name, path in cls.list_columns.items()
            ]
            cached = cls._list_converters = (list(fields), converters)
        return cached

    @classmethod
    def list_rows(cls, rows) -> list[dict]:
        """The serializer's representation of rows read with ``values(*list_columns.values())``."""
        names, converters = cls._converters()
        listed = []
        for row in rows:
            item = {}
            for name, path, convert in converters:
                value = row[path]
                item[name] = convert(value) if convert is not None and value is not None else value
            listed.append(item)
        cls.complete_rows(listed)
        return [{name: item[name] for name in names} for item in listed]

    @classmethod
    def complete_rows(cls, listed: list[dict]) -> None:
        """Add the fields that are not columns (lists of related ids, say), with a fixed number of queries."""


class _Rows:
    """What the paginator pages: counted on the model's queryset (a join to read a building's code
    would otherwise be joined into the count too), sliced as ``values()``."""

    def __init__(self, queryset, columns):
        self.queryset, self.values = queryset, queryset.values(*columns)
        self.ordered = queryset.ordered

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        return list(self.values[index])


class ValuesListMixin:
    """A viewset's list action through its serializer's ``list_rows``."""

    def list(self, request, *args, **kwargs):
        serializer_class = self.get_serializer_class()
        rows = _Rows(self.filter_queryset(self.get_queryset()), serializer_class.list_columns.values())
        page = self.paginate_queryset(rows)
        if page is None:
            return Response(serializer_class.list_rows(rows.values))
        return self.get_paginated_response(serializer_class.list_rows(page))
