"""Park statistics (园区统计) in the portal: the company's filings, and one filing to fill in with last
period's and last year's values beside each figure, evidence, save and submit."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from core.forms import add_service_errors
from filings.models import FilingEvidence, FilingValue, PeriodIndicator
from filings.selectors import comparison_values, filings_for
from filings.services import evidence_add, filing_save

from ..access import tenant_required

SUBMITTED = gettext_lazy(
    "Submitted. The park's staff will review the figures; you will be told when they accept them "
    "or return them with a comment."
)
SAVED = gettext_lazy("Saved as a draft. Submit it before %(deadline)s.")


class FilingForm(forms.Form):
    """A value and an explanation box for each indicator the period asks."""

    def __init__(self, *args, asked, **kwargs):
        super().__init__(*args, **kwargs)
        self.asked = asked
        for item in asked:
            indicator = item.indicator
            self.fields[f"value-{indicator.pk}"] = forms.CharField(
                label=f"{indicator.name}（{indicator.unit}）",
                required=False,
                help_text=indicator.definition,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            )
            self.fields[f"explanation-{indicator.pk}"] = forms.CharField(
                label=_("explanation for %(indicator)s") % {"indicator": indicator.name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def entries(self) -> dict[int, tuple]:
        return {
            item.indicator.pk: (
                self.cleaned_data.get(f"value-{item.indicator.pk}"),
                self.cleaned_data.get(f"explanation-{item.indicator.pk}", ""),
            )
            for item in self.asked
        }


class EvidenceForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("document (PDF)"))
    description = forms.CharField(label=gettext_lazy("what it shows"), max_length=200)


@tenant_required
def filing_list(request):
    filings = filings_for(user=request.user).order_by("-period__starts_on")
    return render(request, "portal/filing_list.html", {"filings": filings, "today": timezone.localdate()})


@tenant_required
@require_http_methods(["GET", "POST"])
def filing_detail(request, pk: int):
    filing = get_object_or_404(filings_for(user=request.user), pk=pk)
    may_file = request.membership.may_file_statistics
    asked = list(PeriodIndicator.objects.filter(period=filing.period).select_related("indicator"))
    saved = {value.indicator_id: value for value in FilingValue.objects.filter(filing=filing)}
    initial = {}
    for indicator_id, value in saved.items():
        initial[f"value-{indicator_id}"] = "" if value.value is None else value.value
        initial[f"explanation-{indicator_id}"] = value.explanation
    form = FilingForm(initial=initial, asked=asked)
    evidence_form = EvidenceForm()
    if request.method == "POST":
        if not may_file:
            raise PermissionDenied
        if "evidence" in request.POST:
            evidence_form = EvidenceForm(request.POST, request.FILES)
            if evidence_form.is_valid():
                try:
                    evidence_add(
                        filing=filing,
                        upload=evidence_form.cleaned_data["file"],
                        description=evidence_form.cleaned_data["description"],
                        user=request.user,
                    )
                except ValidationError as error:
                    add_service_errors(evidence_form, error)
                else:
                    messages.success(request, _("Document added to the filing."))
                    return redirect("portal:filing", filing.pk)
        else:
            form = FilingForm(request.POST, asked=asked)
            submit = "submit" in request.POST
            if form.is_valid():
                try:
                    filing_save(filing=filing, entries=form.entries(), user=request.user, submit=submit)
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    deadline = filing.period.deadline.strftime("%Y-%m-%d")
                    messages.success(request, SUBMITTED if submit else SAVED % {"deadline": deadline})
                    return redirect("portal:filing", filing.pk)
    comparisons = comparison_values(filing=filing)
    rows = [
        {
            "indicator": item.indicator,
            "required": item.required,
            "value": form[f"value-{item.indicator.pk}"],
            "explanation": form[f"explanation-{item.indicator.pk}"],
            "saved": saved.get(item.indicator.pk),
            "previous": comparisons.get(item.indicator.code, (None, None))[0],
            "last_year": comparisons.get(item.indicator.code, (None, None))[1],
        }
        for item in asked
    ]
    return render(
        request,
        "portal/filing_detail.html",
        {
            "filing": filing,
            "form": form,
            "rows": rows,
            "evidence": FilingEvidence.objects.filter(filing=filing),
            "evidence_form": evidence_form,
            "may_file": may_file and not filing.is_locked,
            "late": filing.is_late(),
        },
    )
