"""The fapiao queue in the admin: sending requests out, reading the platform's answer, entering a
number by hand, attaching and downloading the file."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from billing.models import Fapiao, FapiaoBatch
from billing.services import fapiao_request
from tests.factories import pdf_bytes

from .test_fapiao import NUMBER_1, NUMBER_2, bills_of, profile, result_file

pytestmark = pytest.mark.django_db


def test_staff_send_a_batch_read_its_result_and_enter_a_number_by_hand(staff_client, world, today):
    a, b = world["a"], world["b"]
    profile(a["company"])
    profile(b["company"])
    first = fapiao_request(bill=bills_of(a)[0])
    second = fapiao_request(bill=bills_of(b)[0])
    queue = reverse("admin:billing_fapiao_changelist")
    page = staff_client.get(queue).content.decode()
    assert first.bill.number in page and second.bill.number in page

    sent = staff_client.post(queue, {"action": "send_to_tax_platform", "_selected_action": [first.pk]})
    batch = FapiaoBatch.objects.get()
    assert sent["Location"] == reverse("admin:billing_fapiaobatch_change", args=[batch.pk])
    workbook = staff_client.get(reverse("admin:billing_fapiaobatch_download", args=[batch.pk]))
    sheets = openpyxl.load_workbook(io.BytesIO(b"".join(workbook.streaming_content)))
    assert sheets["1-发票基本信息"]["A2"].value == first.request_number

    result = reverse("admin:billing_fapiaobatch_result", args=[batch.pk])
    bad = staff_client.post(
        result, {"result_file": SimpleUploadedFile("r.xlsx", result_file([("PK1", "开具成功", NUMBER_1, "x", None)]))}
    )
    assert "Row 2" in bad.content.decode() and Fapiao.objects.get(pk=first.pk).status == "submitted"
    staff_client.post(
        result,
        {
            "result_file": SimpleUploadedFile(
                "r.xlsx", result_file([(first.request_number, "开具成功", NUMBER_1, "2026-11-20", None)])
            )
        },
    )
    assert Fapiao.objects.get(pk=first.pk).number == NUMBER_1

    issue = reverse("admin:billing_fapiao_issue", args=[second.pk])
    refused = staff_client.post(issue, {"number": NUMBER_1, "issued_on": "2026-11-20"})
    assert "already recorded" in refused.content.decode()
    staff_client.post(
        issue, {"number": NUMBER_2, "issued_on": "2026-11-20", "document": SimpleUploadedFile("f.pdf", pdf_bytes())}
    )
    second.refresh_from_db()
    assert (second.status, second.provider) == ("issued", "manual")
    download = staff_client.get(reverse("admin:billing_fapiao_download", args=[second.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    staff_client.post(
        reverse("admin:billing_fapiao_document", args=[first.pk]),
        {"document": SimpleUploadedFile("f.pdf", pdf_bytes())},
    )
    assert Fapiao.objects.get(pk=first.pk).document.name.endswith(".pdf")
