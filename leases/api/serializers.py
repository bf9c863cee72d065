from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import OuterRef
from rest_framework import serializers

from core.api.lists import ValuesListSerializerMixin
from leases.models import Lease, LeaseUnit
from spaces.models import Unit


class LeaseSerializer(ValuesListSerializerMixin, serializers.ModelSerializer):
    units = serializers.SerializerMethodField()

    class Meta:
        model = Lease
        fields = [
            "id",
            "number",
            "tenant",
            "status",
            "signed_on",
            "starts_on",
            "ends_on",
            "terminated_on",
            "units",
            "area_override",
            "rent_rate",
            "rent_basis",
            "fee_rate",
            "payment_cycle",
            "due_day",
            "deposit_amount",
            "renews",
        ]

    list_columns = {
        **{name: name for name in Meta.fields if name not in ("units", "tenant", "renews")},
        "tenant": "tenant_id",
        "renews": "renews_id",
    }

    def get_units(self, lease) -> list[int]:
        return sorted(row.unit_id for row in lease.lease_units.all())

    @classmethod
    def list_expressions(cls) -> dict:
        """PostgreSQL reads each lease's units in the page's own query, as an array; elsewhere
        ``complete_rows`` reads them in one more query."""
        if connection.vendor != "postgresql":
            return {}
        units = LeaseUnit.objects.filter(lease=OuterRef("pk")).order_by("unit_id").values("unit_id")
        return {"unit_ids": ArraySubquery(units)}

    @classmethod
    def complete_rows(cls, listed: list[dict], rows: list[dict]) -> None:
        if rows and "unit_ids" in rows[0]:
            for item, row in zip(listed, rows, strict=True):
                item["units"] = row["unit_ids"]
            return
        units: dict[int, list[int]] = {item["id"]: [] for item in listed}
        pairs = LeaseUnit.objects.filter(lease_id__in=units).order_by("unit_id").values_list("lease_id", "unit_id")
        for lease_id, unit_id in pairs:
            units[lease_id].append(unit_id)
        for item in listed:
            item["units"] = units[item["id"]]


class LeaseWriteSerializer(serializers.ModelSerializer):
    """The terms staff may set; the lease services check and save them."""

    units = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), many=True, required=False)
    change_reason = serializers.CharField(
        max_length=2000, required=False, default="", help_text="Why the terms of a signed lease change (required then)."
    )

    class Meta:
        model = Lease
        fields = [
            "change_reason",
            "number",
            "tenant",
            "starts_on",
            "ends_on",
            "units",
            "area_override",
            "area_override_reason",
            "rent_rate",
            "rent_basis",
            "fee_rate",
            "payment_cycle",
            "due_day",
            "deposit_amount",
            "late_fee_rate",
            "late_fee_grace_days",
            "late_fee_cap_ratio",
        ]


class AmendSerializer(serializers.Serializer):
    effective_on = serializers.DateField()
    rent_rate = serializers.DecimalField(max_digits=10, decimal_places=4, required=False, allow_null=True, default=None)
    fee_rate = serializers.DecimalField(max_digits=10, decimal_places=4, required=False, allow_null=True, default=None)
    area = serializers.DecimalField(max_digits=10, decimal_places=2, required=False, allow_null=True, default=None)
    reason = serializers.CharField(max_length=2000)


class SignSerializer(serializers.Serializer):
    signed_on = serializers.DateField()


class TerminateSerializer(serializers.Serializer):
    terminated_on = serializers.DateField()
    reason = serializers.CharField(max_length=2000)


class SettlementSerializer(serializers.Serializer):
    """The settlement of an ended lease as it would post now (GET) or as it was posted (POST)."""

    last_day = serializers.DateField()
    credited = serializers.DecimalField(max_digits=14, decimal_places=2)
    billed = serializers.DecimalField(max_digits=14, decimal_places=2)
    deposit_applied = serializers.DecimalField(max_digits=14, decimal_places=2)
    deposit_to_refund = serializers.DecimalField(max_digits=14, decimal_places=2)
    credit_to_refund = serializers.DecimalField(max_digits=14, decimal_places=2)
    to_collect = serializers.DecimalField(max_digits=14, decimal_places=2)
