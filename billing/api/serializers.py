from decimal import Decimal

from rest_framework import serializers

from billing.models import Bill, BillLine, Payment
from tenants.models import TenantCompany


class BillLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = BillLine
        fields = ["kind", "description", "period_start", "period_end", "amount"]


class BillSerializer(serializers.ModelSerializer):
    lines = BillLineSerializer(many=True, read_only=True)

    class Meta:
        model = Bill
        fields = [
            "id",
            "number",
            "company",
            "lease",
            "period_start",
            "period_end",
            "due_on",
            "issued_on",
            "status",
            "amount",
            "amount_paid",
            "lines",
        ]


class VoidSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class PaymentSerializer(serializers.ModelSerializer):
    allocations = serializers.SerializerMethodField()

    class Meta:
        model = Payment
        fields = [
            "id",
            "company",
            "resident_name",
            "amount",
            "received_on",
            "method",
            "reference",
            "note",
            "allocations",
        ]

    def get_allocations(self, payment) -> list[dict]:
        return [{"bill": a.bill_id, "amount": str(a.amount)} for a in payment.allocations.all()]


class PaymentWriteSerializer(serializers.Serializer):
    company = serializers.PrimaryKeyRelatedField(queryset=TenantCompany.objects.all())
    resident_name = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0.01"))
    received_on = serializers.DateField()
    method = serializers.ChoiceField(choices=Payment.Method.choices)
    reference = serializers.CharField(max_length=80)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    bill = serializers.PrimaryKeyRelatedField(
        queryset=Bill.objects.all(), required=False, allow_null=True, default=None
    )
