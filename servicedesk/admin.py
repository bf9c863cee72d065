from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyInline
from servicedesk.models import ServiceRequest, ServiceRequestComment, ServiceRequestPhoto
from servicedesk.services import service_request_comment, service_request_save, service_requests_assign


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("assign to"),
        queryset=get_user_model().objects.filter(is_staff=True, is_active=True).order_by("username"),
    )


class PhotoInline(ReadOnlyInline):
    model = ServiceRequestPhoto
    fields = ["image", "uploaded_at"]


class CommentInline(admin.TabularInline):
    model = ServiceRequestComment
    extra = 1
    fields = ["body", "author", "from_staff", "created_at"]
    readonly_fields = ["author", "from_staff", "created_at"]
    can_delete = False


@admin.register(ServiceRequest)
class ServiceRequestAdmin(admin.ModelAdmin):
    """Staff handle requests here: assign, move the status along, answer; deadlines follow the priority."""

    list_display = [
        "__str__",
        "company",
        "priority",
        "status",
        "assigned_to",
        "created_at",
        "response_deadline",
        "resolution_deadline",
        "rating",
    ]
    list_filter = ["status", "priority", "category", "assigned_to"]
    list_select_related = ["company", "unit__building", "assigned_to"]
    search_fields = ["description", "company__name", "company__short_name", "unit__code"]
    readonly_fields = [
        "company",
        "unit",
        "category",
        "description",
        "requested_by",
        "created_at",
        "responded_at",
        "resolved_at",
        "rating",
    ]
    fields = [
        "company",
        "unit",
        "category",
        "priority",
        "description",
        "status",
        "assigned_to",
        "requested_by",
        "created_at",
        "responded_at",
        "resolved_at",
        "rating",
    ]
    inlines = [PhotoInline, CommentInline]
    actions = ["assign_requests"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Assign the selected requests to…"), permissions=["change"])
    def assign_requests(self, request, queryset):
        """First the choice of a staff member, then every selected request still open assigned."""
        form = AssignForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            count = service_requests_assign(requests=queryset, assignee=form.cleaned_data["assignee"])
            self.message_user(
                request,
                _("%(count)d requests assigned to %(user)s.") % {"count": count, "user": form.cleaned_data["assignee"]},
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Assign the selected requests"),
            "form": form,
            "queryset": queryset,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "select_across": request.POST.get("select_across", "0"),
        }
        return TemplateResponse(request, "admin/servicedesk/assign.html", context)

    def _deadline(self, due, done):
        late = done is None and timezone.now() > due
        text = timezone.localtime(due).strftime("%Y-%m-%d %H:%M")
        return format_html('<strong style="color: #b00020">{} ⚠</strong>', text) if late else text

    @admin.display(description=_("respond by"))
    def response_deadline(self, filed):
        return self._deadline(filed.response_due, filed.responded_at)

    @admin.display(description=_("resolve by"))
    def resolution_deadline(self, filed):
        return self._deadline(filed.resolution_due, filed.resolved_at)

    def save_model(self, request, obj, form, change):
        service_request_save(request=obj)

    def save_formset(self, request, form, formset, change):
        for comment in formset.save(commit=False):
            service_request_comment(request=form.instance, author=request.user, body=comment.body, from_staff=True)
