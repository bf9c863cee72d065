"""Fapiao (发票): requested for bills, issued through the tax platform's batch files or by hand,
corrected by red-letter fapiao, downloaded by the tenant."""

import csv
import datetime
import io
import shutil
import subprocess
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from billing.fapiao_files import HEADER_COLUMNS, LINE_COLUMNS, RESULT_COLUMNS
from billing.models import Bill, Fapiao, FapiaoLine, LedgerEntry, RedLetterFapiao
from billing.selectors import statement_of_account
from billing.services import (
    bill_credit,
    bill_void,
    fapiao_batch_export,
    fapiao_batch_result_import,
    fapiao_issue_manual,
    fapiao_request,
    fapiaos_request_by_policy,
    invoicing_profile_save,
)
from tests.factories import pdf_bytes

pytestmark = pytest.mark.django_db
D = datetime.date
NUMBER_1 = "26442000000012345678"
NUMBER_2 = "26442000000012345679"


def profile(company, **changes):
    return invoicing_profile_save(
        company=company,
        **{
            "title": company.name,
            "taxpayer_number": company.credit_code,
            "address_phone": "广州市天河区 020-12345678",
            "bank_account": "工商银行广州分行 3602000000000000000",
            "fapiao_type": "special",
            "email": "finance@example.cn",
            **changes,
        },
    )


def bills_of(data):
    return list(Bill.objects.filter(lease=data["lease"], status__in=Bill.OPEN_STATUSES + ("paid",)).order_by("due_on"))


def result_file(rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(RESULT_COLUMNS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_request_copies_the_buyer_and_splits_each_line_into_net_and_vat(world, today):
    a = world["a"]
    profile(a["company"])
    january = bills_of(a)[0]
    fapiao = fapiao_request(bill=january, requested_by=a["user"])
    # 10,000.00 of rent at 9 %: net 10,000 / 1.09 = 9,174.311… → 9,174.31, VAT 825.69
    assert (fapiao.amount, fapiao.net_amount, fapiao.tax_amount) == (
        Decimal("10000.00"),
        Decimal("9174.31"),
        Decimal("825.69"),
    )
    assert (fapiao.buyer_taxpayer_number, fapiao.fapiao_type) == (a["company"].credit_code, "special")
    [line] = fapiao.lines.all()
    assert (line.goods_code, line.tax_rate) == ("3040502020200000000", Decimal("0.0900"))
    assert Bill.objects.prefetch_related("fapiaos").get(pk=january.pk).fapiao_status == "requested"
    with pytest.raises(ValidationError, match="already has a fapiao"):
        fapiao_request(bill=january)
    with pytest.raises(IntegrityError), transaction.atomic():
        Fapiao.objects.create(**{f.name: getattr(fapiao, f.name) for f in Fapiao._meta.fields if f.name != "id"})


def test_a_request_needs_invoicing_details_and_an_issued_bill(world, today):
    a = world["a"]
    with pytest.raises(ValidationError, match="invoicing details"):
        fapiao_request(bill=bills_of(a)[0])
    profile(a["company"])
    scheduled = Bill.objects.filter(lease=a["lease"], status="scheduled").first()
    with pytest.raises(ValidationError, match="issued and not void"):
        fapiao_request(bill=scheduled)
    assert not Fapiao.objects.exists()


def test_a_credit_before_the_request_leaves_only_the_rest_to_invoice(world, today):
    a = world["a"]
    profile(a["company"])
    february = bills_of(a)[1]
    bill_credit(bill=february, credits=[(february.lines.get(), Decimal("1000.00"))], reason="discount")
    fapiao = fapiao_request(bill=february)
    # 9,000.00 at 9 %: 9,000 / 1.09 = 8,256.880… → 8,256.88, VAT 743.12
    assert (fapiao.amount, fapiao.net_amount, fapiao.tax_amount) == (
        Decimal("9000.00"),
        Decimal("8256.88"),
        Decimal("743.12"),
    )


def libreoffice_sheets(path, tmp_path) -> dict[str, list[list[str]]]:
    """The workbook as LibreOffice reads it: every sheet converted to CSV by soffice itself."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice (make test installs libreoffice-calc-nogui)"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    sheets = {}
    for sheet in ("1-发票基本信息", "2-发票明细信息"):
        with open(tmp_path / f"{path.stem}-{sheet}.csv", encoding="utf-8") as handle:
            sheets[sheet] = list(csv.reader(handle))
    return sheets


def test_the_batch_file_opens_in_libreoffice_and_its_result_file_round_trips(world, today, tmp_path, operations_user):
    a, b = world["a"], world["b"]
    profile(a["company"])
    profile(b["company"], fapiao_type="ordinary", address_phone="", bank_account="")
    first = fapiao_request(bill=bills_of(a)[0])
    second = fapiao_request(bill=bills_of(b)[1])
    batch = fapiao_batch_export(exported_by=operations_user)
    assert set(Fapiao.objects.values_list("status", flat=True)) == {"submitted"}

    path = tmp_path / "batch.xlsx"
    path.write_bytes(batch.file.read())
    sheets = libreoffice_sheets(path, tmp_path)
    header, *fapiaos = sheets["1-发票基本信息"]
    assert tuple(header) == HEADER_COLUMNS
    assert [row[:5] for row in fapiaos] == [
        [first.request_number, "数电发票（增值税专用发票）", "否", a["company"].name, a["company"].credit_code],
        [second.request_number, "数电发票（普通发票）", "否", b["company"].name, b["company"].credit_code],
    ]
    header, *lines = sheets["2-发票明细信息"]
    assert tuple(header) == LINE_COLUMNS
    assert lines[0][0] == first.request_number
    assert lines[0][2:] == ["3040502020200000000", "1", "9174.31", "9174.31", "0.09", "825.69"]

    # The platform answers: the first issued, the second refused.
    counts = fapiao_batch_result_import(
        batch=batch,
        content=result_file(
            [
                (first.request_number, "开具成功", NUMBER_1, "2026-11-20", None),
                (second.request_number, "开具失败", None, None, "购买方纳税人识别号与名称不符"),
            ]
        ),
    )
    assert counts == {"issued": 1, "refused": 1}
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.number, first.issued_on, first.provider) == (
        "issued",
        NUMBER_1,
        D(2026, 11, 20),
        "tax_platform",
    )
    assert (second.status, second.batch, second.error) == ("requested", None, "购买方纳税人识别号与名称不符")
    assert batch.result_imported_at is not None or Fapiao.objects.filter(batch=batch).count() == 1


@pytest.mark.parametrize(
    ("rows", "columns", "message"),
    [
        ([("{first}", "开具成功", NUMBER_1, "2026-11-20", "")], RESULT_COLUMNS[:3], "Row 1: the columns 开票日期"),
        ([("{first}", "开具成功", NUMBER_1, "2026-13-40", "")], RESULT_COLUMNS, "Row 2: “2026-13-40” is not a date"),
        ([("PK9999999999", "开具成功", NUMBER_1, "2026-11-20", "")], RESULT_COLUMNS, "Row 2: the request PK99"),
        ([("{first}", "开具成功", "12345", "2026-11-20", "")], RESULT_COLUMNS, "Row 2: “12345” is not a 20-digit"),
        ([("{first}", "待开具", None, None, None)], RESULT_COLUMNS, "Row 2: the status is “待开具”"),
    ],
)
def test_a_bad_result_file_names_its_row_and_changes_nothing(world, today, rows, columns, message):
    a = world["a"]
    profile(a["company"])
    fapiao = fapiao_request(bill=bills_of(a)[0])
    batch = fapiao_batch_export()
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(columns)
    for row in rows:
        sheet.append([str(cell).format(first=fapiao.request_number) if cell else cell for cell in row][: len(columns)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(ValidationError, match=message):
        fapiao_batch_result_import(batch=batch, content=buffer.getvalue())
    fapiao.refresh_from_db()
    batch.refresh_from_db()
    assert (fapiao.status, fapiao.number, batch.result_imported_at) == ("submitted", None, None)


def test_a_number_issued_elsewhere_is_entered_by_hand_with_its_file(world, today):
    a = world["a"]
    profile(a["company"])
    fapiao = fapiao_request(bill=bills_of(a)[0])
    with pytest.raises(ValidationError, match="20 digits"):
        fapiao_issue_manual(fapiao=fapiao, number="1234", issued_on=today)
    with pytest.raises(ValidationError, match="in the future"):
        fapiao_issue_manual(fapiao=fapiao, number=NUMBER_1, issued_on=today + datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="PDF, OFD or XML"):
        fapiao_issue_manual(
            fapiao=fapiao, number=NUMBER_1, issued_on=today, document=SimpleUploadedFile("x.pdf", b"MZ\x90\x00")
        )
    fapiao_issue_manual(
        fapiao=fapiao, number=NUMBER_1, issued_on=today, document=SimpleUploadedFile("f.pdf", pdf_bytes())
    )
    fapiao.refresh_from_db()
    assert (fapiao.status, fapiao.provider, fapiao.document.name.endswith(".pdf")) == ("issued", "manual", True)
    other = fapiao_request(bill=bills_of(world["b"])[0]) if profile(world["b"]["company"]) else None
    with pytest.raises(ValidationError, match="already recorded"):
        fapiao_issue_manual(fapiao=other, number=NUMBER_1, issued_on=today)


def test_a_credit_note_on_an_invoiced_bill_needs_its_red_letter_confirmation(world, today, operations_user):
    a = world["a"]
    profile(a["company"])
    february = bills_of(a)[1]
    fapiao = fapiao_request(bill=february)
    fapiao_issue_manual(fapiao=fapiao, number=NUMBER_1, issued_on=D(2026, 2, 5))
    line = february.lines.get()
    entries = LedgerEntry.objects.count()
    with pytest.raises(ValidationError, match="red-letter confirmation number"):
        bill_credit(bill=february, credits=[(line, Decimal("1000.00"))], reason="discount")
    assert LedgerEntry.objects.count() == entries
    with pytest.raises(ValidationError, match="credit note with its red-letter"):
        bill_void(bill=february, reason="wrong tenant")

    bill_credit(
        bill=february,
        credits=[(line, Decimal("1000.00"))],
        reason="discount",
        red_letter_confirmation="44010026110000001",
        recorded_by=operations_user,
    )
    red = RedLetterFapiao.objects.get()
    # 1,000.00 at 9 %: net 1,000 / 1.09 = 917.431… → 917.43, VAT 82.57
    assert (red.amount, red.net_amount, red.tax_amount) == (Decimal("1000.00"), Decimal("917.43"), Decimal("82.57"))
    assert red.credit_note_number.startswith("HC2026")
    fapiao.refresh_from_db()
    assert fapiao.status == "red_lettered"
    statement = statement_of_account(company=a["company"], first=today, last=today)
    assert [(e.credit, e.tax) for e in statement.entries] == [(Decimal("1000.00"), Decimal("82.57"))]
    assert Bill.objects.prefetch_related("fapiaos").get(pk=february.pk).fapiao_status.label == "red-lettered"
    # The fapiao still covers 9,000.00: no second fapiao, and the next credit needs its own red letter.
    with pytest.raises(ValidationError, match="already has a fapiao"):
        fapiao_request(bill=february)
    with pytest.raises(ValidationError, match="red-letter confirmation number"):
        bill_credit(bill=february, credits=[(line, Decimal("9000.00"))], reason="cancelled")
    with pytest.raises(ValidationError, match="already recorded"):
        bill_credit(
            bill=february,
            credits=[(line, Decimal("9000.00"))],
            reason="cancelled",
            red_letter_confirmation="44010026110000001",
        )


def test_a_credit_on_a_request_not_sent_out_redraws_it(world, today):
    a = world["a"]
    profile(a["company"])
    february = bills_of(a)[1]
    fapiao = fapiao_request(bill=february)
    bill_credit(bill=february, credits=[(february.lines.get(), Decimal("1000.00"))], reason="discount")
    fapiao.refresh_from_db()
    assert (fapiao.amount, fapiao.net_amount, fapiao.tax_amount) == (
        Decimal("9000.00"),
        Decimal("8256.88"),
        Decimal("743.12"),
    )
    assert FapiaoLine.objects.get(fapiao=fapiao).amount == Decimal("9000.00")
    batch = fapiao_batch_export()
    with pytest.raises(ValidationError, match="with the tax platform"):
        bill_credit(bill=february, credits=[(february.lines.get(), Decimal("1.00"))], reason="x")
    assert batch.fapiaos.get() == fapiao


def test_the_policy_requests_a_fapiao_for_every_issued_bill(world, today, settings):
    a, b = world["a"], world["b"]
    profile(a["company"])  # b has no invoicing details: nothing for it
    settings.PARKOPS_FAPIAO_POLICY = "on_request"
    assert fapiaos_request_by_policy(on=today) == []
    settings.PARKOPS_FAPIAO_POLICY = "on_issue"
    requested = fapiaos_request_by_policy(on=today)
    assert sorted(f.bill_id for f in requested) == [bill.pk for bill in bills_of(a)]
    assert not Fapiao.objects.filter(company=b["company"]).exists()
    assert fapiaos_request_by_policy(on=today) == []  # once


def test_the_database_keeps_an_issued_fapiao_as_issued(world, today):
    a = world["a"]
    profile(a["company"])
    fapiao = fapiao_issue_manual(fapiao=fapiao_request(bill=bills_of(a)[0]), number=NUMBER_1, issued_on=today)
    with pytest.raises(IntegrityError), transaction.atomic():
        Fapiao.objects.filter(pk=fapiao.pk).update(number=NUMBER_2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Fapiao.objects.filter(pk=fapiao.pk).update(status="requested")


def test_the_tenant_requests_sees_and_downloads_its_fapiao_and_never_another_companys(client, world, today):
    a, b = world["a"], world["b"]
    client.force_login(a["user"])
    january = bills_of(a)[0]
    refused = client.post(reverse("portal:fapiao_request", args=[january.pk]), follow=True)
    assert "invoicing details" in refused.content.decode() and not Fapiao.objects.exists()
    profile(a["company"])
    client.post(reverse("portal:fapiao_request", args=[january.pk]))
    fapiao = Fapiao.objects.get(bill=january)
    assert fapiao.requested_by == a["user"]
    page = client.get(reverse("portal:bill", args=[january.pk])).content.decode()
    assert "9,174.31" in page and "825.69" in page
    fapiao_issue_manual(
        fapiao=fapiao, number=NUMBER_1, issued_on=today, document=SimpleUploadedFile("f.pdf", pdf_bytes())
    )
    download = client.get(reverse("portal:fapiao_download", args=[fapiao.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF-")
    assert download["Content-Disposition"].endswith(f'{NUMBER_1}.pdf"')
    client.force_login(b["user"])
    assert client.get(reverse("portal:fapiao_download", args=[fapiao.pk])).status_code == 404
    assert client.post(reverse("portal:fapiao_request", args=[january.pk])).status_code == 404


def test_the_api_requests_exports_and_reads_results(api, world, today, operations_user):
    a, b = world["a"], world["b"]
    profile(a["company"])
    api.force_authenticate(a["user"])
    january = bills_of(a)[0]
    created = api.post(reverse("api:fapiao-list"), {"bill": january.pk}, format="json")
    assert created.status_code == 201 and created.json()["tax_amount"] == "825.69"
    assert api.post(reverse("api:fapiao-batch-list"), {}, format="json").status_code == 403
    api.force_authenticate(b["user"])
    assert api.get(reverse("api:fapiao-list")).json()["results"] == []
    assert api.post(reverse("api:fapiao-list"), {"bill": january.pk}, format="json").status_code == 404

    api.force_authenticate(operations_user)
    batch = api.post(reverse("api:fapiao-batch-list"), {}, format="json").json()
    assert batch["fapiaos"] == [created.json()["id"]]
    workbook = api.get(reverse("api:fapiao-batch-download", args=[batch["id"]]))
    assert openpyxl.load_workbook(io.BytesIO(b"".join(workbook.streaming_content))).sheetnames == [
        "1-发票基本信息",
        "2-发票明细信息",
    ]
    request_number = Fapiao.objects.get().request_number
    upload = SimpleUploadedFile(
        "result.xlsx", result_file([(request_number, "开具成功", NUMBER_1, datetime.datetime(2026, 11, 23), None)])
    )
    answered = api.post(reverse("api:fapiao-batch-result", args=[batch["id"]]), {"file": upload}, format="multipart")
    assert answered.status_code == 200, answered.json()
    assert api.get(reverse("api:fapiao-detail", args=[created.json()["id"]])).json()["number"] == NUMBER_1
    bill = api.get(reverse("api:bill-detail", args=[january.pk])).json()
    assert bill["fapiao_status"] == "issued"
