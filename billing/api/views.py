from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from billing.documents import bill_pdf, deposit_receipt_response, fapiao_document_response, receipt_response
from billing.filters import BillFilterSet, LedgerEntryFilterSet, PaymentFilterSet
from billing.models import (
    Bill,
    CollectionsHold,
    DepositEntry,
    Fapiao,
    FapiaoBatch,
    InvoicingProfile,
    LedgerEntry,
    Payment,
    ReminderSent,
    ReminderStep,
)
from billing.selectors import (
    bill_entries,
    bill_for_pdf,
    bill_list_for,
    deposit_entry_list_for,
    fapiao_list_for,
    invoicing_profile_list_for,
    ledger_entry_list_for,
    payer_position,
    payment_list_for,
    reminder_sent_list_for,
)
from billing.services import (
    bill_credit,
    bill_debit,
    bill_issue,
    bill_void,
    collections_pause,
    collections_resume,
    credit_refund,
    deposit_movement_post,
    fapiao_batch_export,
    fapiao_batch_result_import,
    fapiao_cancel,
    fapiao_issue_manual,
    fapiao_request,
    invoicing_profile_save,
    late_fee_waive,
    payment_record,
    payment_reverse,
    reminder_step_save,
    reminders_due,
)
from tenants.models import TenantMembership
from tenants.selectors import company_list_for, tenant_membership

from .serializers import (
    AmountSerializer,
    BillSerializer,
    CollectionsHoldSerializer,
    CreditNoteSerializer,
    DepositEntrySerializer,
    DepositMovementSerializer,
    DueReminderSerializer,
    FapiaoBatchRequestSerializer,
    FapiaoBatchSerializer,
    FapiaoIssueSerializer,
    FapiaoRequestSerializer,
    FapiaoSerializer,
    InvoicingProfileSerializer,
    LedgerEntrySerializer,
    PaymentSerializer,
    PaymentWriteSerializer,
    PositionQuerySerializer,
    PositionSerializer,
    ReasonSerializer,
    RefundSerializer,
    ReminderSentSerializer,
    ReminderStepSerializer,
    UploadSerializer,
    VoidSerializer,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class BillViewSet(viewsets.ReadOnlyModelViewSet):
    """Bills: tenant users read their company's issued bills and download them as PDF; staff also
    issue and void them."""

    model = Bill
    serializer_class = BillSerializer
    filterset_class = BillFilterSet
    search_fields = ["number", "company__name"]
    ordering_fields = ["due_on", "amount", "number"]
    action_permissions = {"pdf": "view", "ledger": "view"}

    def get_queryset(self):
        return bill_list_for(user=self.request.user).order_by("due_on", "pk")

    @extend_schema(request=None, responses={200: BillSerializer})
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        bill = bill_issue(bill=self.get_object(), on=timezone.localdate())
        return Response(BillSerializer(bill_list_for(user=request.user).get(pk=bill.pk)).data)

    @extend_schema(request=VoidSerializer, responses={200: BillSerializer})
    @action(detail=True, methods=["post"])
    def void(self, request, pk=None):
        serializer = VoidSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        bill = bill_void(bill=self.get_object(), reason=serializer.validated_data["reason"], recorded_by=request.user)
        return Response(BillSerializer(bill_list_for(user=request.user).get(pk=bill.pk)).data)

    def _lines(self, bill, lines):
        by_id = {line.pk: line for line in bill.lines.all()}
        missing = [item["line"] for item in lines if item["line"] not in by_id]
        if missing:
            raise ValidationError({"lines": _("These lines are not on the bill: %(ids)s.") % {"ids": missing}})
        return [(by_id[item["line"]], item["amount"]) for item in lines]

    @extend_schema(request=CreditNoteSerializer, responses={200: BillSerializer})
    @action(detail=True, methods=["post"])
    def credit(self, request, pk=None):
        """A credit note (红冲) by line, with its reason."""
        data = _validated(CreditNoteSerializer, request.data)
        bill = self.get_object()
        bill_credit(
            bill=bill,
            credits=self._lines(bill, data["lines"]),
            reason=data["reason"],
            recorded_by=request.user,
            red_letter_confirmation=data["red_letter_confirmation"],
        )
        return Response(BillSerializer(bill_list_for(user=request.user).get(pk=bill.pk)).data)

    @extend_schema(request=AmountSerializer, responses={200: BillSerializer})
    @action(detail=True, methods=["post"])
    def debit(self, request, pk=None):
        """A debit adjustment: the bill asks ``amount`` more."""
        data = _validated(AmountSerializer, request.data)
        bill = self.get_object()
        bill_debit(bill=bill, amount=data["amount"], reason=data["reason"], recorded_by=request.user)
        return Response(BillSerializer(bill_list_for(user=request.user).get(pk=bill.pk)).data)

    @extend_schema(request=AmountSerializer, responses={200: BillSerializer})
    @action(detail=True, methods=["post"], url_path="waive-late-fees")
    def waive_late_fees(self, request, pk=None):
        data = _validated(AmountSerializer, request.data)
        bill = self.get_object()
        late_fee_waive(bill=bill, amount=data["amount"], reason=data["reason"], recorded_by=request.user)
        return Response(BillSerializer(bill_list_for(user=request.user).get(pk=bill.pk)).data)

    @extend_schema(responses={200: LedgerEntrySerializer(many=True)})
    @action(detail=True, methods=["get"])
    def ledger(self, request, pk=None):
        """Every ledger entry of the bill, in order."""
        return Response(LedgerEntrySerializer(bill_entries(bill=self.get_object()), many=True).data)

    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(description="The bill as a PDF")})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        bill = self.get_object()
        if bill.status == Bill.Status.SCHEDULED:
            return Response(
                {"code": "not_issued", "message": "This bill is not issued yet.", "fields": {}},
                status=status.HTTP_409_CONFLICT,
            )
        content = bill_pdf(bill=bill_for_pdf(bill_id=bill.pk), language=request.LANGUAGE_CODE)
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{bill.number}.pdf"'
        return response


class PaymentViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Payments: staff record them (once per method and reference); tenant users read their company's."""

    model = Payment
    filterset_class = PaymentFilterSet
    search_fields = ["reference", "receipt_number", "company__name"]
    ordering_fields = ["received_on", "amount"]
    action_permissions = {"receipt": "view"}

    def get_queryset(self):
        return payment_list_for(user=self.request.user).order_by("-received_on", "-pk")

    def get_serializer_class(self):
        return PaymentWriteSerializer if self.action == "create" else PaymentSerializer

    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(description="The receipt (收据) as a PDF")})
    @action(detail=True, methods=["get"])
    def receipt(self, request, pk=None):
        return receipt_response(payment=self.get_object(), language=request.LANGUAGE_CODE)

    @extend_schema(request=PaymentWriteSerializer, responses={201: PaymentSerializer})
    def create(self, request, *args, **kwargs):
        serializer = PaymentWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        payment = payment_record(recorded_by=request.user, **serializer.validated_data)
        return Response(
            PaymentSerializer(payment_list_for(user=request.user).get(pk=payment.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=ReasonSerializer, responses={200: PaymentSerializer})
    @action(detail=True, methods=["post"])
    def reverse(self, request, pk=None):
        """A payment that bounced: what it paid is taken back and the payer owes it again."""
        data = _validated(ReasonSerializer, request.data)
        payment = self.get_object()
        payment_reverse(payment=payment, reason=data["reason"], recorded_by=request.user)
        return Response(PaymentSerializer(payment_list_for(user=request.user).get(pk=payment.pk)).data)

    @extend_schema(request=RefundSerializer, responses={201: LedgerEntrySerializer(many=True)})
    @action(detail=True, methods=["post"])
    def refund(self, request, pk=None):
        """Refund ``amount`` of the credit of this payment's payer (its latest payments first)."""
        data = _validated(RefundSerializer, request.data)
        payment = self.get_object()
        entries = credit_refund(
            company=payment.company, resident_name=payment.resident_name, recorded_by=request.user, **data
        )
        return Response(LedgerEntrySerializer(entries, many=True).data, status=status.HTTP_201_CREATED)


class LedgerEntryViewSet(viewsets.ReadOnlyModelViewSet):
    """The receivables ledger, read only: staff see every entry, tenant users their company's."""

    model = LedgerEntry
    action_permissions = {"position": "view"}
    serializer_class = LedgerEntrySerializer
    filterset_class = LedgerEntryFilterSet
    search_fields = ["number", "reason"]
    ordering_fields = ["posted_on", "debit", "credit"]

    def get_queryset(self):
        return ledger_entry_list_for(user=self.request.user).order_by("posted_on", "pk")

    @extend_schema(parameters=[PositionQuerySerializer], responses={200: PositionSerializer})
    @action(detail=False, methods=["get"])
    def position(self, request):
        """A payer's balance and aging as of a day (``?company=&resident_name=&as_of=``; today by default)."""
        query = PositionQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        company = get_object_or_404(company_list_for(user=request.user), pk=query.validated_data["company"])
        as_of = query.validated_data["as_of"] or timezone.localdate()
        position = payer_position(company=company, as_of=as_of, resident_name=query.validated_data["resident_name"])
        return Response(PositionSerializer(position).data)


class DepositEntryViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Deposits: staff post movements through the deposit services; tenant users read their company's."""

    model = DepositEntry
    filterset_fields = ["lease", "company", "kind"]
    action_permissions = {"receipt": "view"}
    ordering_fields = ["posted_on", "amount"]

    def get_queryset(self):
        return deposit_entry_list_for(user=self.request.user).order_by("posted_on", "pk")

    def get_serializer_class(self):
        return DepositMovementSerializer if self.action == "create" else DepositEntrySerializer

    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(description="The receipt (收据) as a PDF")})
    @action(detail=True, methods=["get"])
    def receipt(self, request, pk=None):
        """The receipt of deposit money received (only a *received* movement has one)."""
        entry = self.get_object()
        if entry.kind != DepositEntry.Kind.RECEIVED:
            raise ValidationError({"kind": _("Only deposit money received has a receipt.")})
        return deposit_receipt_response(entry=entry, language=request.LANGUAGE_CODE)

    @extend_schema(request=DepositMovementSerializer, responses={201: DepositEntrySerializer})
    def create(self, request, *args, **kwargs):
        data = _validated(DepositMovementSerializer, request.data)
        entry = deposit_movement_post(recorded_by=request.user, **data)
        return Response(DepositEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


def _validated(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class InvoicingProfileViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Invoicing details (开票信息): staff save any company's, a tenant's portal admins their own
    (POST creates or changes the company's one profile); tenant users read their company's."""

    model = InvoicingProfile
    serializer_class = InvoicingProfileSerializer
    tenant_actions = ("create",)

    def get_queryset(self):
        return invoicing_profile_list_for(user=self.request.user).order_by("company_id")

    @extend_schema(request=InvoicingProfileSerializer, responses={201: InvoicingProfileSerializer})
    def create(self, request, *args, **kwargs):
        data = _validated(InvoicingProfileSerializer, request.data)
        company = get_object_or_404(company_list_for(user=request.user), pk=data.pop("company").pk)
        if not request.user.is_staff and tenant_membership(request.user).role != TenantMembership.Role.ADMIN:
            raise PermissionDenied(_("Only your company's portal admins change its invoicing details."))
        profile = invoicing_profile_save(company=company, **data)
        return Response(InvoicingProfileSerializer(profile).data, status=status.HTTP_201_CREATED)


class FapiaoViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Fapiao: tenant users request one for their company's bill (POST ``{"bill": id}``) and download
    its file; staff also enter a number issued elsewhere and cancel requests not sent out."""

    model = Fapiao
    serializer_class = FapiaoSerializer
    filterset_fields = ["status", "bill", "company", "batch"]
    ordering_fields = ["requested_at", "issued_on", "amount"]
    tenant_actions = ("create",)
    action_permissions = {"document": "view"}

    def get_queryset(self):
        return fapiao_list_for(user=self.request.user).order_by("requested_at", "pk")

    @extend_schema(request=FapiaoRequestSerializer, responses={201: FapiaoSerializer})
    def create(self, request, *args, **kwargs):
        data = _validated(FapiaoRequestSerializer, request.data)
        bill = get_object_or_404(bill_list_for(user=request.user), pk=data["bill"])
        fapiao = fapiao_request(bill=bill, requested_by=request.user)
        return Response(FapiaoSerializer(self.get_queryset().get(pk=fapiao.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=FapiaoIssueSerializer, responses={200: FapiaoSerializer})
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        """Record the number (and file) of a fapiao issued outside the batch files."""
        data = _validated(FapiaoIssueSerializer, request.data)
        fapiao = fapiao_issue_manual(fapiao=self.get_object(), **data)
        return Response(FapiaoSerializer(self.get_queryset().get(pk=fapiao.pk)).data)

    @extend_schema(request=None, responses={200: FapiaoSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        fapiao = fapiao_cancel(fapiao=self.get_object())
        return Response(FapiaoSerializer(self.get_queryset().get(pk=fapiao.pk)).data)

    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(description="The fapiao file")})
    @action(detail=True, methods=["get"])
    def document(self, request, pk=None):
        fapiao = self.get_object()
        if not fapiao.document:
            raise NotFound(_("This fapiao has no file yet."))
        return fapiao_document_response(fapiao)


class FapiaoBatchViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Staff only: batch files for the tax platform's batch issue (POST sends the requested fapiao,
    all or those listed), their download, and the platform's result file (``result``)."""

    model = FapiaoBatch
    serializer_class = FapiaoBatchSerializer
    action_permissions = {"download": "view"}

    def get_queryset(self):
        if not self.request.user.is_staff:
            return FapiaoBatch.objects.none()
        return FapiaoBatch.objects.prefetch_related("fapiaos").order_by("-exported_at")

    @extend_schema(request=FapiaoBatchRequestSerializer, responses={201: FapiaoBatchSerializer})
    def create(self, request, *args, **kwargs):
        data = _validated(FapiaoBatchRequestSerializer, request.data)
        chosen = Fapiao.objects.filter(pk__in=data["fapiaos"]) if "fapiaos" in data else None
        batch = fapiao_batch_export(exported_by=request.user, fapiaos=chosen)
        return Response(
            FapiaoBatchSerializer(self.get_queryset().get(pk=batch.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(responses={(200, XLSX): OpenApiResponse(description="The batch workbook")})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        batch = self.get_object()
        return FileResponse(
            batch.file.open("rb"), as_attachment=True, filename=f"fapiao-batch-{batch.pk}.xlsx", content_type=XLSX
        )

    @extend_schema(request={"multipart/form-data": UploadSerializer}, responses={200: FapiaoBatchSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def result(self, request, pk=None):
        """Read the tax platform's result file: numbers and dates of the issued, reasons of the refused."""
        data = _validated(UploadSerializer, request.data)
        batch = self.get_object()
        fapiao_batch_result_import(batch=batch, content=data["file"].read())
        return Response(FapiaoBatchSerializer(self.get_queryset().get(pk=batch.pk)).data)


class ReminderStepViewSet(viewsets.ModelViewSet):
    """Staff only: the reminder schedule (company empty: the operator's)."""

    model = ReminderStep
    serializer_class = ReminderStepSerializer
    filterset_fields = ["company"]

    def get_queryset(self):
        if not self.request.user.is_staff:
            return ReminderStep.objects.none()
        return ReminderStep.objects.order_by("company_id", "days_from_due")

    def perform_create(self, serializer):
        serializer.instance = reminder_step_save(step=ReminderStep(**serializer.validated_data))

    def perform_update(self, serializer):
        step = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(step, name, value)
        serializer.instance = reminder_step_save(step=step)


class CollectionsHoldViewSet(mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet):
    """Staff only: companies whose reminders are paused; POST pauses (or changes the pause), DELETE resumes."""

    model = CollectionsHold
    serializer_class = CollectionsHoldSerializer
    action_permissions = {"destroy": "change"}  # resuming reminders deletes nothing worth keeping

    def get_queryset(self):
        if not self.request.user.is_staff:
            return CollectionsHold.objects.none()
        return CollectionsHold.objects.order_by("company_id")

    def perform_create(self, serializer):
        serializer.instance = collections_pause(paused_by=self.request.user, **serializer.validated_data)

    def perform_destroy(self, instance):
        collections_resume(company=instance.company)


class ReminderSentViewSet(viewsets.ReadOnlyModelViewSet):
    """Reminders sent: staff see all (and ``due``: who is due one today), tenant users their company's."""

    model = ReminderSent
    serializer_class = ReminderSentSerializer
    filterset_fields = ["company", "bill", "status"]
    action_permissions = {"due": "view"}

    def get_queryset(self):
        return reminder_sent_list_for(user=self.request.user).order_by("-sent_on", "-pk")

    @extend_schema(responses={200: DueReminderSerializer(many=True)})
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def due(self, request):
        if not request.user.is_staff:
            raise PermissionDenied(_("Only staff see who is due a reminder."))
        return Response(DueReminderSerializer(reminders_due(on=timezone.localdate()), many=True).data)
