from django import forms
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from core.files import file_response
from core.forms import add_service_errors
from spaces.models import Building
from tenants.models import IndustryCluster
from tenants.selectors import tenant_membership

from .dashboard import USES, dashboard
from .filters import ReportRunFilterSet
from .forms import ReportRequestForm
from .models import ReportRun
from .services import report_regenerate, report_request


def report_user_required(view):
    """Managers and staff with the report permission; tenant users never, whatever they were given."""

    @login_required(login_url="admin:login")  # managers are staff: they sign in where staff do
    def wrapped(request, *args, **kwargs):
        if tenant_membership(request.user) or not request.user.has_perm("reports.download_report"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@report_user_required
@require_http_methods(["GET", "POST"])
def run_list(request):
    form = ReportRequestForm(request.POST or None, initial={"language": get_language()})
    if request.method == "POST" and form.is_valid():
        period_type, period_start = form.cleaned_data["period"]
        try:
            run = report_request(
                kind=form.cleaned_data["kind"],
                period_type=period_type,
                period_start=period_start,
                building=form.cleaned_data["building"],
                language=form.cleaned_data["language"],
                requested_by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("reports:run", run.pk)
    runs = ReportRunFilterSet(
        request.GET or None, queryset=ReportRun.objects.select_related("building", "requested_by").defer("snapshot")
    )
    return render(request, "reports/run_list.html", {"filter": runs, "runs": runs.qs[:200], "form": form})


@report_user_required
def run_detail(request, pk: int):
    run = get_object_or_404(
        ReportRun.objects.select_related("building", "requested_by", "regenerated_from").defer("snapshot"), pk=pk
    )
    return render(request, "reports/run_detail.html", {"run": run})


@report_user_required
def run_download(request, pk: int, kind: str = "pdf"):
    """The run's PDF, the XLSX of its tables, or the JSON snapshot of its figures."""
    run = get_object_or_404(ReportRun, pk=pk)
    if run.status != ReportRun.Status.DONE or kind not in ("pdf", "xlsx", "json"):
        raise Http404
    download_name = f"{run.kind}-{run.period_label}-{run.pk}.{kind}"
    if kind == "json":
        response = JsonResponse(run.snapshot, json_dumps_params={"ensure_ascii": False, "indent": 1})
        response["Content-Disposition"] = f'attachment; filename="{download_name}"'
        return response
    return file_response((run.xlsx if kind == "xlsx" else run.file).name, download_name=download_name)


@report_user_required
@require_POST
def run_regenerate(request, pk: int):
    run = get_object_or_404(ReportRun, pk=pk)
    try:
        copy = report_regenerate(run=run, requested_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("reports:run", run.pk)
    messages.success(
        request, _("A copy is being drawn from this report's snapshot; this page shows it when it is done.")
    )
    return redirect("reports:run", copy.pk)


class DashboardFilter(forms.Form):
    building = forms.ModelChoiceField(
        label=_("building"),
        queryset=Building.objects.order_by("code"),
        required=False,
        empty_label=_("whole portfolio"),
    )
    use = forms.ChoiceField(
        label=_("use"),
        choices=[("", _("all uses"))] + [(use.value, use.label) for use in USES],
        required=False,
    )
    cluster = forms.ModelChoiceField(
        label=_("industry cluster"),
        queryset=IndustryCluster.objects.all(),
        required=False,
        empty_label=_("all clusters"),
    )
    months = forms.TypedChoiceField(
        label=_("trend over"),
        coerce=int,
        choices=[(12, _("12 months")), (24, _("24 months"))],
        initial=24,
        required=False,
    )


@staff_member_required(login_url="admin:login")
def dashboard_view(request):
    """The managers' dashboard (驾驶舱): figures frozen month by month plus today's live ones."""
    choice = DashboardFilter(request.GET or None)
    data = choice.cleaned_data if choice.is_valid() else {}
    board = dashboard(
        on=timezone.localdate(),
        building=data.get("building"),
        use=data.get("use") or None,
        cluster=data.get("cluster"),
        months=data.get("months") or 24,
    )
    labels = {
        "area": _("by area"),
        "count": _("by count"),
        "collection_rate": _("collection rate"),
        "monthly_rent": _("passing rent a month (CNY)"),
        "arrears": _("arrears (CNY)"),
        "cluster_area": _("let area of the cluster (m²)"),
        "expiries": _("area expiring (m²)"),
        "weekdays": [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")],
    }
    return render(request, "reports/dashboard.html", {"board": board, "choice": choice, "labels": labels})
