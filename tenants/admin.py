from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import IndustryCluster, TenantCompany
from .services import cluster_save, company_save, normalise_credit_code


@admin.register(IndustryCluster)
class IndustryClusterAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "colour", "order"]
    list_editable = ["order"]
    search_fields = ["code", "name_zh", "name_en"]

    def save_model(self, request, obj, form, change):
        cluster_save(cluster=obj)


class TenantCompanyForm(forms.ModelForm):
    class Meta:
        model = TenantCompany
        fields = "__all__"

    def clean_credit_code(self):
        return normalise_credit_code(self.cleaned_data["credit_code"])


@admin.register(TenantCompany)
class TenantCompanyAdmin(admin.ModelAdmin):
    form = TenantCompanyForm
    list_display = ["name", "short_name", "credit_code", "primary_cluster", "status", "is_demo"]
    list_filter = ["status", "primary_cluster", "secondary_clusters", "is_demo"]
    list_select_related = ["primary_cluster"]
    search_fields = ["name", "short_name", "name_en", "credit_code"]
    filter_horizontal = ["secondary_clusters"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "name_en", "credit_code", "status"]}),
        (_("Industry"), {"fields": ["primary_cluster", "secondary_clusters"]}),
        (_("Other"), {"fields": ["notes", "is_demo", "created_at", "updated_at"]}),
    ]

    def save_model(self, request, obj, form, change):
        company_save(company=obj)
