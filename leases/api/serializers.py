from decimal import Decimal

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import OuterRef
from rest_framework import serializers

from leases.identity import mask_id, mask_phone
from leases.models import (
    ApartmentApplication,
    ApartmentRoom,
    BedAllocation,
    Bill,
    BillLine,
    Building,
    Floor,
    Lease,
    LeaseUnit,
    Payment,
    ServiceRequest,
    Unit,
)
from parkops.api.lists import ValuesListSerializerMixin
from tenants.models import TenantCompany


class BuildingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Building
        fields = ["id", "code", "name_zh", "name_en", "address", "gross_floor_area", "height_m",
                  "storeys_above_ground", "storeys_below_ground", "year_opened"]


class FloorSerializer(serializers.ModelSerializer):
    building = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Floor
        fields = ["id", "building", "sort_order", "label", "main_use", "gross_area", "leasable_area"]


class UnitSerializer(ValuesListSerializerMixin, serializers.ModelSerializer):
    building = serializers.SlugRelatedField(slug_field="code", read_only=True)
    floor = serializers.SlugRelatedField(slug_field="label", read_only=True)

    class Meta:
        model = Unit
        fields = ["id", "building", "floor", "code", "use", "leasable_area"]

    list_columns = {"id": "id", "building": "building__code", "floor": "floor__label", "code": "code", "use": "use",
                    "leasable_area": "leasable_area"}


class LeaseSerializer(ValuesListSerializerMixin, serializers.ModelSerializer):
    units = serializers.SerializerMethodField()

    class Meta:
        model = Lease
        fields = ["id", "number", "tenant", "status", "signed_on", "starts_on", "ends_on", "terminated_on", "units",
                  "area_override", "rent_rate", "rent_basis", "fee_rate", "payment_cycle", "due_day",
                  "deposit_amount", "renews"]

    list_columns = {
        **{name: name for name in Meta.fields if name not in ("units", "tenant", "renews")},
        "tenant": "tenant_id", "renews": "renews_id",
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

    class Meta:
        model = Lease
        fields = ["number", "tenant", "starts_on", "ends_on", "units", "area_override", "area_override_reason",
                  "rent_rate", "rent_basis", "fee_rate", "payment_cycle", "due_day", "deposit_amount"]


class SignSerializer(serializers.Serializer):
    signed_on = serializers.DateField()


class TerminateSerializer(serializers.Serializer):
    terminated_on = serializers.DateField()
    reason = serializers.CharField(max_length=2000)


class BillLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = BillLine
        fields = ["kind", "description", "period_start", "period_end", "amount"]


class BillSerializer(serializers.ModelSerializer):
    lines = BillLineSerializer(many=True, read_only=True)

    class Meta:
        model = Bill
        fields = ["id", "number", "company", "lease", "period_start", "period_end", "due_on", "issued_on", "status",
                  "amount", "amount_paid", "lines"]


class VoidSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class PaymentSerializer(serializers.ModelSerializer):
    allocations = serializers.SerializerMethodField()

    class Meta:
        model = Payment
        fields = ["id", "company", "amount", "received_on", "method", "reference", "note", "allocations"]

    def get_allocations(self, payment) -> list[dict]:
        return [{"bill": a.bill_id, "amount": str(a.amount)} for a in payment.allocations.all()]


class PaymentWriteSerializer(serializers.Serializer):
    company = serializers.PrimaryKeyRelatedField(queryset=TenantCompany.objects.all())
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0.01"))
    received_on = serializers.DateField()
    method = serializers.ChoiceField(choices=Payment.Method.choices)
    reference = serializers.CharField(max_length=80)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    bill = serializers.PrimaryKeyRelatedField(queryset=Bill.objects.all(), required=False, allow_null=True,
                                              default=None)


class MaskedIdentityMixin(serializers.Serializer):
    """ID numbers and phones in full only for staff with ``leases.view_resident_identity``."""

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if not (request and request.user.has_perm("leases.view_resident_identity")):
            data["id_number"], data["phone"] = mask_id(data["id_number"]), mask_phone(data["phone"])
        return data


class ApartmentRoomSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    beds = serializers.SlugRelatedField(slug_field="label", many=True, read_only=True)

    class Meta:
        model = ApartmentRoom
        fields = ["id", "unit", "layout", "furnished", "rent_basis", "monthly_rent", "deposit", "beds"]


class ApartmentApplicationSerializer(MaskedIdentityMixin, serializers.ModelSerializer):
    class Meta:
        model = ApartmentApplication
        fields = ["id", "company", "name", "id_type", "id_number", "phone", "wanted_from", "months", "status",
                  "rejection_reason", "created_at"]
        read_only_fields = ["company", "status", "rejection_reason", "created_at"]


class BedAllocationSerializer(MaskedIdentityMixin, serializers.ModelSerializer):
    class Meta:
        model = BedAllocation
        fields = ["id", "bed", "company", "name", "id_type", "id_number", "phone", "check_in", "planned_check_out",
                  "actual_check_out", "monthly_rent", "status"]


class ServiceRequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceRequest
        fields = ["id", "company", "unit", "category", "priority", "description", "status", "created_at",
                  "responded_at", "resolved_at", "rating"]
        read_only_fields = ["company", "status", "created_at", "responded_at", "resolved_at", "rating"]
