import django_filters

from core.speedups.filter_form_cache import FilterSet

from .models import Bill, Payment


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
