"""Bank statements through the admin and the API: upload, the queue, confirming and setting aside."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from banking.models import BankStatement, StatementLayout, StatementLine
from billing.models import Bill, Payment

from .test_statements import cmb_csv, open_bills

pytestmark = pytest.mark.django_db


@pytest.fixture
def cmb():
    return StatementLayout.objects.get(name__startswith="招商银行")


def statement_lines(count: int, start: int = 0) -> list[str]:
    return [
        f"2026-11-20,10:00:00,付款人{n},62250000{n:04d},招商银行,,{100 + n}.00,1,货款,S{n:05d}"
        for n in range(start, start + count)
    ]


def test_staff_upload_in_the_admin_and_a_bad_file_is_refused_in_their_language(staff_client, world, today, cmb):
    url = reverse("admin:banking_bankstatement_add")
    bad = staff_client.post(
        url,
        {"layout": cmb.pk, "file": SimpleUploadedFile("bad.csv", cmb_csv("2026-11-31,1,x,1,b,,1.00,1,x,S1"))},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert bad.status_code == 200 and "第 4 行" in bad.content.decode()
    assert BankStatement.objects.count() == 0
    january = open_bills(world["a"])[0]
    done = staff_client.post(
        url,
        {
            "layout": cmb.pk,
            "file": SimpleUploadedFile("cmb.csv", cmb_csv(f"2026-11-20,1,x,1,b,,9900.00,1,{january.number},S1")),
        },
    )
    assert done.status_code == 302 and StatementLine.objects.get().status == "suggested"
    queue = staff_client.get(done["Location"]).content.decode()
    assert january.number in queue and "98" in queue


def test_the_queue_lists_in_a_fixed_number_of_queries(staff_client, db, cmb, django_assert_max_num_queries):
    from banking.services import statement_import

    url = reverse("admin:banking_statementline_changelist") + "?status__exact=unmatched"
    statement_import(layout=cmb, content=cmb_csv(*statement_lines(3)), filename="a.csv")
    with django_assert_max_num_queries(12):
        assert staff_client.get(url).status_code == 200
    statement_import(layout=cmb, content=cmb_csv(*statement_lines(40, start=3)), filename="b.csv")
    with django_assert_max_num_queries(12):
        page = staff_client.get(url).content.decode()
    assert "付款人42" in page


def test_a_line_is_split_across_two_payers_in_the_admin(staff_client, world, today, cmb):
    from banking.services import statement_import

    a, b = world["a"], world["b"]
    statement_import(layout=cmb, content=cmb_csv("2026-11-20,1,集团,1,b,,19900.00,1,两家房租,S1"), filename="c.csv")
    line = StatementLine.objects.get()
    url = reverse("admin:banking_statementline_confirm", args=[line.pk])
    form = {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "0", "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "20"}
    a_january = open_bills(a)[0]
    rows = {
        "form-0-company": a["company"].pk,
        "form-0-bill": a_january.number,
        "form-0-amount": "9900.00",
        "form-1-company": b["company"].pk,
        "form-1-amount": "9000.00",
    }
    short = staff_client.post(url, {**form, **rows})
    assert "add up to 18900.00" in short.content.decode() and not Payment.objects.filter(reference__startswith="S1")
    done = staff_client.post(url, {**form, **rows, "form-1-amount": "10000.00"})
    assert done.status_code == 302
    assert sorted(Payment.objects.filter(reference__startswith="S1/").values_list("reference", "amount")) == [
        ("S1/1", Decimal("9900.00")),
        ("S1/2", Decimal("10000.00")),
    ]
    assert Bill.objects.get(pk=a_january.pk).status == "paid"
    # b's 10,000.00, with no bill named, paid its oldest: January's 9,900.00 left, then 100.00 of February.
    b_january, b_february = Bill.objects.filter(lease=b["lease"]).exclude(status="scheduled").order_by("due_on")
    assert (b_january.status, b_february.amount_paid) == ("paid", Decimal("100.00"))
    assert StatementLine.objects.get().status == "confirmed"


def test_the_api_uploads_confirms_and_keeps_tenants_out(api, world, today, cmb, operations_user):
    a = world["a"]
    api.force_authenticate(a["user"])
    assert api.get(reverse("api:statement-line-list")).json()["results"] == []
    upload = {"layout": cmb.pk, "file": SimpleUploadedFile("c.csv", cmb_csv(*statement_lines(2)))}
    assert api.post(reverse("api:bank-statement-list"), upload, format="multipart").status_code == 403

    api.force_authenticate(operations_user)
    upload = {"layout": cmb.pk, "file": SimpleUploadedFile("c.csv", cmb_csv(*statement_lines(2)))}
    created = api.post(reverse("api:bank-statement-list"), upload, format="multipart")
    assert created.status_code == 201 and created.json()["rows"] == 2
    lines = api.get(reverse("api:statement-line-list"), {"status": "unmatched"}).json()["results"]
    assert [line["amount"] for line in lines] == ["100.00", "101.00"]
    february = open_bills(a)[1]
    confirmed = api.post(
        reverse("api:statement-line-confirm", args=[lines[0]["id"]]),
        {"splits": [{"company": a["company"].pk, "amount": "100.00", "bill": february.pk}]},
        format="json",
    )
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    assert Bill.objects.get(pk=february.pk).amount_paid == Decimal("100.00")
    refused = api.post(reverse("api:statement-line-set-aside", args=[lines[0]["id"]]), {"note": "x"}, format="json")
    assert refused.status_code == 400
    aside = api.post(reverse("api:statement-line-set-aside", args=[lines[1]["id"]]), {"note": "退款"}, format="json")
    assert aside.json()["status"] == "not_rent"
    assert StatementLine.objects.get(pk=lines[1]["id"]).booked_on == datetime.date(2026, 11, 20)


def test_staff_set_a_line_aside_and_bulk_confirm_suggestions_in_the_admin(staff_client, world, today, cmb):
    from banking.services import statement_import

    january = open_bills(world["a"])[0]
    statement_import(
        layout=cmb,
        content=cmb_csv(
            f"2026-11-20,1,x,1,b,,9900.00,1,{january.number},S1",
            "2026-11-20,1,银行,2,b,,1.23,1,利息,S2",
        ),
        filename="c.csv",
    )
    interest = StatementLine.objects.get(serial="S2")
    url = reverse("admin:banking_statementline_set_aside", args=[interest.pk])
    assert "required" in staff_client.post(url, {"note": ""}).content.decode().lower()
    staff_client.post(url, {"note": "存款利息"})
    assert StatementLine.objects.get(pk=interest.pk).status == "not_rent"
    changelist = reverse("admin:banking_statementline_changelist")
    staff_client.post(
        changelist, {"action": "confirm_suggestions", "_selected_action": [StatementLine.objects.get(serial="S1").pk]}
    )
    assert StatementLine.objects.get(serial="S1").status == "confirmed"
    assert Bill.objects.get(pk=january.pk).status == "paid"
