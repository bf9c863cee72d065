from rest_framework import serializers

from banking.models import BankStatement, StatementLayout, StatementLine
from billing.models import Bill
from tenants.models import TenantCompany


class StatementLayoutSerializer(serializers.ModelSerializer):
    class Meta:
        model = StatementLayout
        fields = [
            "id",
            "name",
            "bank",
            "date_column",
            "payer_name_column",
            "payer_account_column",
            "amount_column",
            "credit_column",
            "debit_column",
            "remark_column",
            "serial_column",
        ]


class BankStatementSerializer(serializers.ModelSerializer):
    class Meta:
        model = BankStatement
        fields = ["id", "layout", "filename", "uploaded_at", "first_day", "last_day", "rows", "duplicates"]


class StatementUploadSerializer(serializers.Serializer):
    layout = serializers.PrimaryKeyRelatedField(queryset=StatementLayout.objects.all())
    file = serializers.FileField()


class StatementLineSerializer(serializers.ModelSerializer):
    payments = serializers.SerializerMethodField()

    class Meta:
        model = StatementLine
        fields = [
            "id",
            "statement",
            "row",
            "raw",
            "booked_on",
            "payer_name",
            "payer_account",
            "amount",
            "remark",
            "serial",
            "status",
            "company",
            "resident_name",
            "bill",
            "confidence",
            "match_reason",
            "note",
            "payments",
        ]

    def get_payments(self, line) -> list[int]:
        return [link.payment_id for link in line.payments.all()]


class SplitSerializer(serializers.Serializer):
    company = serializers.PrimaryKeyRelatedField(queryset=TenantCompany.objects.all())
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    bill = serializers.PrimaryKeyRelatedField(queryset=Bill.objects.all(), required=False, allow_null=True)
    resident_name = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")


class ConfirmSerializer(serializers.Serializer):
    splits = SplitSerializer(many=True, required=False, max_length=20)


class SetAsideSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=300)
