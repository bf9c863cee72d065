"""Import and export of companies as CSV and XLSX (django-import-export).

Imports are all or nothing: one bad row and nothing is written, and every bad row is reported with
its reasons. Rows are saved through ``company_save``, like every other write. Exported text that a
spreadsheet would run as a formula is neutralised with a leading apostrophe.
"""

from import_export import fields, resources, widgets

from core.spreadsheets import PlainTextWidget, neutralise_formula

from .models import IndustryCluster, TenantCompany
from .services import company_save, normalise_credit_code


class FormulaSafeResource(resources.ModelResource):
    def export_field(self, field, instance, **kwargs):
        return neutralise_formula(super().export_field(field, instance, **kwargs))

    def import_data(self, dataset, **kwargs):
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, **kwargs)


def text(attribute: str) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=attribute, widget=PlainTextWidget())


class CompanyResource(FormulaSafeResource):
    name = text("name")
    short_name = text("short_name")
    name_en = text("name_en")
    credit_code = text("credit_code")
    notes = text("notes")
    ticker = text("ticker")
    primary_cluster = fields.Field(
        attribute="primary_cluster",
        column_name="primary_cluster",
        widget=widgets.ForeignKeyWidget(IndustryCluster, field="code"),
    )
    secondary_clusters = fields.Field(
        attribute="secondary_clusters",
        column_name="secondary_clusters",
        widget=widgets.ManyToManyWidget(IndustryCluster, field="code", separator=";"),
    )

    class Meta:
        model = TenantCompany
        import_id_fields = ["credit_code"]
        fields = [
            "credit_code",
            "name",
            "short_name",
            "name_en",
            "status",
            "primary_cluster",
            "secondary_clusters",
            "stock_exchange",
            "ticker",
            "is_incubated_in_park",
            "moved_in_on",
            "headcount",
            "registered_capital",
            "notes",
        ]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def before_import_row(self, row, **kwargs):
        if row.get("credit_code"):
            row["credit_code"] = normalise_credit_code(str(row["credit_code"]))

    def do_instance_save(self, instance, is_create):
        company_save(company=instance)
