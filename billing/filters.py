import django_filters

from core.speedups.filter_form_cache import FilterSet

from .models import Bill, LedgerEntry, Payment


class BillFilterSet(FilterSet):
    due_before = django_filters.DateFilter(field_name="due_on", lookup_expr="lte")
    due_after = django_filters.DateFilter(field_name="due_on", lookup_expr="gte")

    class Meta:
        model = Bill
        fields = ["status", "company", "lease", "due_before", "due_after"]


class PaymentFilterSet(FilterSet):
    class Meta:
        model = Payment
        fields = ["company", "method", "received_on"]


class LedgerEntryFilterSet(FilterSet):
    posted_after = django_filters.DateFilter(field_name="posted_on", lookup_expr="gte")
    posted_before = django_filters.DateFilter(field_name="posted_on", lookup_expr="lte")

    class Meta:
        model = LedgerEntry
        fields = ["company", "resident_name", "kind", "bill", "payment", "posted_after", "posted_before"]
