from decimal import Decimal

from rest_framework import serializers

from billing.models import (
    Bill,
    BillLine,
    CollectionsHold,
    DepositEntry,
    Fapiao,
    FapiaoBatch,
    FapiaoLine,
    InvoicingProfile,
    LedgerEntry,
    Payment,
    RedLetterFapiao,
    ReminderSent,
    ReminderStep,
)
from tenants.models import TenantCompany


class BillLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = BillLine
        fields = [
            "id",
            "kind",
            "description",
            "period_start",
            "period_end",
            "amount",
            "tax_rate",
            "net_amount",
            "tax_amount",
        ]


class BillSerializer(serializers.ModelSerializer):
    lines = BillLineSerializer(many=True, read_only=True)
    fapiao_status = serializers.CharField(read_only=True)

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
            "amount_due",
            "amount_paid",
            "late_fee_rate",
            "late_fee_grace_days",
            "late_fee_cap_ratio",
            "fapiao_status",
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


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class AmountSerializer(ReasonSerializer):
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0.01"))


class RefundSerializer(AmountSerializer):
    reference = serializers.CharField(max_length=80)


class CreditLineSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text="The id of one of the bill's lines.")
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0.01"))


class CreditNoteSerializer(ReasonSerializer):
    lines = CreditLineSerializer(many=True, allow_empty=False, max_length=50)
    red_letter_confirmation = serializers.CharField(max_length=30, required=False, default="")


class FapiaoLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = FapiaoLine
        fields = ["bill_line", "item_name", "goods_code", "tax_rate", "amount", "net_amount", "tax_amount"]


class RedLetterFapiaoSerializer(serializers.ModelSerializer):
    class Meta:
        model = RedLetterFapiao
        fields = ["credit_note_number", "confirmation_number", "number", "amount", "net_amount", "tax_amount"]


class FapiaoSerializer(serializers.ModelSerializer):
    lines = FapiaoLineSerializer(many=True, read_only=True)
    red_letters = RedLetterFapiaoSerializer(many=True, read_only=True)
    has_document = serializers.SerializerMethodField()

    class Meta:
        model = Fapiao
        fields = [
            "id",
            "bill",
            "company",
            "status",
            "fapiao_type",
            "buyer_title",
            "buyer_taxpayer_number",
            "amount",
            "net_amount",
            "tax_amount",
            "requested_at",
            "batch",
            "provider",
            "number",
            "issued_on",
            "error",
            "has_document",
            "lines",
            "red_letters",
        ]

    def get_has_document(self, fapiao) -> bool:
        return bool(fapiao.document)


class FapiaoRequestSerializer(serializers.Serializer):
    bill = serializers.IntegerField()


class FapiaoIssueSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=20)
    issued_on = serializers.DateField()
    document = serializers.FileField(required=False)


class FapiaoBatchSerializer(serializers.ModelSerializer):
    fapiaos = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = FapiaoBatch
        fields = ["id", "exported_at", "exported_by", "result_imported_at", "fapiaos"]


class FapiaoBatchRequestSerializer(serializers.Serializer):
    fapiaos = serializers.ListField(child=serializers.IntegerField(), required=False, max_length=1000)


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class LedgerEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = LedgerEntry
        fields = [
            "id",
            "company",
            "resident_name",
            "kind",
            "posted_on",
            "debit",
            "credit",
            "bill",
            "bill_line",
            "payment",
            "number",
            "accrued_through",
            "reason",
            "posted_at",
        ]


class DepositEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = DepositEntry
        fields = [
            "id",
            "lease",
            "company",
            "kind",
            "amount",
            "posted_on",
            "reference",
            "receipt_number",
            "reason",
            "payment",
            "carried_from",
            "posted_at",
        ]


class DepositMovementSerializer(serializers.Serializer):
    """A deposit movement staff post: received from the tenant, refunded to it, or applied to its bills."""

    lease = serializers.IntegerField()
    movement = serializers.ChoiceField(choices=["received", "refunded", "applied"])
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0.01"))
    on = serializers.DateField()
    reference = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class PositionQuerySerializer(serializers.Serializer):
    company = serializers.IntegerField()
    resident_name = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    as_of = serializers.DateField(required=False, allow_null=True, default=None)


class PositionSerializer(serializers.Serializer):
    """A payer's account by the end of a day, from the ledger: the same answer for a past day ever after."""

    company = serializers.IntegerField()
    resident_name = serializers.CharField()
    as_of = serializers.DateField()
    balance = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="Owed (positive) or credit (negative)."
    )
    overdue_0_30 = serializers.DecimalField(max_digits=14, decimal_places=2)
    overdue_31_60 = serializers.DecimalField(max_digits=14, decimal_places=2)
    overdue_61_90 = serializers.DecimalField(max_digits=14, decimal_places=2)
    overdue_over_90 = serializers.DecimalField(max_digits=14, decimal_places=2)


class InvoicingProfileSerializer(serializers.ModelSerializer):
    # One per company: saving again changes it (the service), so the company is not checked as unique.
    company = serializers.PrimaryKeyRelatedField(queryset=TenantCompany.objects.all())

    class Meta:
        model = InvoicingProfile
        fields = ["id", "company", "title", "taxpayer_number", "address_phone", "bank_account", "fapiao_type", "email"]
        read_only_fields = ["id"]


class ReminderStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReminderStep
        fields = ["id", "company", "days_from_due", "title", "message"]
        validators = []  # the model's constraints, checked by the service, answer in the API's error shape


class CollectionsHoldSerializer(serializers.ModelSerializer):
    class Meta:
        model = CollectionsHold
        fields = ["id", "company", "reason", "until", "paused_by", "paused_at"]
        read_only_fields = ["paused_by", "paused_at"]
        extra_kwargs = {"company": {"validators": []}}  # pausing again changes the pause


class ReminderSentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReminderSent
        fields = ["id", "company", "bill", "days_from_due", "title", "sent_on", "channel", "outstanding", "status"]


class DueReminderSerializer(serializers.Serializer):
    company = serializers.IntegerField(source="company.pk")
    company_name = serializers.CharField(source="company.name")
    title = serializers.CharField(source="step.title")
    outstanding = serializers.DecimalField(max_digits=14, decimal_places=2)
    bills = serializers.SerializerMethodField()

    def get_bills(self, reminder) -> list[dict]:
        return [
            {"bill": bill.pk, "number": bill.number, "days_from_due": step.days_from_due}
            for bill, step in reminder.bills
        ]
