import csv
import io

import openpyxl
import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tenants.models import TenantCompany
from tenants.resources import CompanyResource
from tests.factories import IndustryClusterFactory, TenantCompanyFactory, valid_credit_code

pytestmark = pytest.mark.django_db
HEADER = ["credit_code", "name", "short_name", "status", "primary_cluster", "secondary_clusters", "headcount"]


def csv_file(rows, header=HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


@pytest.fixture
def clusters():
    return IndustryClusterFactory(code="ai"), IndustryClusterFactory(code="digital-music")


def test_a_clean_file_imports_every_row_through_the_service(clusters):
    data = tablib.Dataset(headers=HEADER)
    data.append([valid_credit_code(1).lower(), "广州甲科技有限公司", "甲", "tenant", "ai", "digital-music", "40"])
    data.append([valid_credit_code(2), "广州乙科技有限公司", "乙", "prospect", "digital-music", "", ""])
    result = CompanyResource().import_data(data, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    first = TenantCompany.objects.get(name="广州甲科技有限公司")
    assert first.credit_code == valid_credit_code(1)  # normalised to capitals by company_save
    assert list(first.secondary_clusters.values_list("code", flat=True)) == ["digital-music"]
    assert first.headcount == 40


def test_a_file_with_a_bad_row_imports_nothing_and_names_the_rows(clusters):
    data = tablib.Dataset(headers=HEADER)
    data.append([valid_credit_code(1), "广州甲科技有限公司", "甲", "tenant", "ai", "", ""])
    data.append(["9144030071526726XH", "广州乙科技有限公司", "乙", "tenant", "ai", "", ""])  # wrong check character
    data.append([valid_credit_code(3), "广州丙科技有限公司", "丙", "landlord", "ai", "", ""])  # no such status
    result = CompanyResource().import_data(data, dry_run=False)
    assert TenantCompany.objects.count() == 0
    invalid = {row.number: row.error.message_dict for row in result.invalid_rows}
    assert set(invalid) == {2, 3}
    assert "should be G, not H" in invalid[2]["credit_code"][0]
    assert "landlord" in invalid[3]["status"][0]


def test_admin_import_previews_errors_and_writes_nothing(staff_client, clusters):
    upload = SimpleUploadedFile(
        "companies.csv",
        csv_file(
            [
                [valid_credit_code(1), "广州甲科技有限公司", "甲", "tenant", "ai", "", ""],
                ["91440101ABC", "广州乙科技有限公司", "乙", "tenant", "ai", "", ""],
            ]
        ),
        content_type="text/csv",
    )
    response = staff_client.post(reverse("admin:tenants_tenantcompany_import"), {"import_file": upload, "format": "0"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "has 18 characters; this one has 11" in html
    assert 'name="confirm"' not in html and "Confirm import" not in html
    assert TenantCompany.objects.count() == 0


def test_admin_import_dry_run_then_confirm_imports_a_clean_file(staff_client, clusters):
    upload = SimpleUploadedFile(
        "companies.csv",
        csv_file(
            [
                [valid_credit_code(1), "广州甲科技有限公司", "甲", "tenant", "ai", "", ""],
            ]
        ),
        content_type="text/csv",
    )
    preview = staff_client.post(reverse("admin:tenants_tenantcompany_import"), {"import_file": upload, "format": "0"})
    assert TenantCompany.objects.count() == 0  # the preview is a dry run
    confirm = preview.context["confirm_form"]
    response = staff_client.post(reverse("admin:tenants_tenantcompany_process_import"), confirm.initial)
    assert response.status_code == 302
    assert TenantCompany.objects.get().name == "广州甲科技有限公司"


def test_exports_neutralise_spreadsheet_formulas(clusters):
    TenantCompanyFactory(
        name='=HYPERLINK("http://evil.example","x")', short_name="+1+1", notes="@SUM(A1)", primary_cluster=clusters[0]
    )
    dataset = CompanyResource().export()
    row = dict(zip(dataset.headers, dataset[0], strict=True))
    assert row["name"] == '\'=HYPERLINK("http://evil.example","x")'
    assert row["short_name"] == "'+1+1" and row["notes"] == "'@SUM(A1)"


def test_admin_xlsx_export_carries_no_formula(staff_client, clusters):
    TenantCompanyFactory(name="=1+2", primary_cluster=clusters[0])
    response = staff_client.post(
        reverse("admin:tenants_tenantcompany_export"),
        {"format": "1", "resource": "0", **{f"companyresource_{name}": "on" for name in CompanyResource._meta.fields}},
    )
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    names = [cell.value for cell in next(sheet.iter_cols(min_col=2, max_col=2, min_row=2))]
    assert names == ["'=1+2"]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_an_export_imports_back_unchanged(clusters):
    TenantCompanyFactory(name="-负号开头的公司", primary_cluster=clusters[0])
    exported = CompanyResource().export()
    TenantCompany.objects.all().delete()
    result = CompanyResource().import_data(tablib.Dataset().load(exported.csv, format="csv"), dry_run=False)
    assert not result.has_validation_errors()
    assert TenantCompany.objects.get().name == "-负号开头的公司"
