import django_filters
from django.utils.translation import gettext_lazy as _

from core.speedups.filter_form_cache import FilterSet

from .models import ReportRun


class ReportRunFilterSet(FilterSet):
    kind = django_filters.ChoiceFilter(label=_("report"), choices=ReportRun.Kind.choices)
    status = django_filters.ChoiceFilter(label=_("status"), choices=ReportRun.Status.choices)

    class Meta:
        model = ReportRun
        fields = ["kind", "status", "building"]
