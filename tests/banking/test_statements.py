"""Bank statements: two banks' real-shaped exports imported line by line, each line once, matched to
payers and bills, confirmed into payments."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from banking.models import BankStatement, PayerAccount, StatementLayout, StatementLine
from banking.services import Split, statement_import, statement_line_confirm, statement_line_set_aside
from billing.models import Bill, Payment

pytestmark = pytest.mark.django_db
CMB_HEADINGS = "交易日期,交易时间,对方户名,对方账号,对方开户行,借方金额,贷方金额,余额,摘要,流水号"


@pytest.fixture
def cmb():
    return StatementLayout.objects.get(name__startswith="招商银行")


@pytest.fixture
def icbc():
    return StatementLayout.objects.get(name__startswith="工商银行")


def open_bills(data):
    """January (9,900.00 left after the 100.00 paid) and February (10,000.00)."""
    return list(Bill.objects.filter(lease=data["lease"]).open().order_by("due_on"))


def cmb_csv(*lines: str, encoding="gb18030", bom=False) -> bytes:
    """A CMB export: a title, the account and the period above the headings, totals under the lines."""
    text = "\r\n".join(
        [
            "招商银行交易明细",
            "账号：1209 0000 0000 0000,币种：人民币",
            CMB_HEADINGS,
            *lines,
            "合计,,,,,,,,,",
        ]
    )
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8" if bom else encoding)


def icbc_xlsx(rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["工商银行账户明细"])
    sheet.append(["交易时间", "对方单位名称", "对方账号", "收入金额", "支出金额", "余额", "附言"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_cmb_statement_in_gbk_is_imported_and_matched_with_reasons(world, today, cmb):
    a, b = world["a"], world["b"]
    a_january, a_february = open_bills(a)
    a_name = a["company"].name
    content = cmb_csv(
        f'2026-11-20,10:01:02,{a_name},6225880000001111,招商银行,,"10,000.00",1,房租 {a_february.number},CMB0001',
        f"2026-11-20,11:00:00,{b['company'].name},6225880000002222,工商银行,,19900.00元,2,1-2月房租,CMB0002",
        "2026-11-21,09:30:00,某某贸易有限公司,6225880000003333,建设银行,,1234.56,3,货款,CMB0003",
        "2026-11-21,15:00:00,广州供电局,4400000000000000,工商银行,500.00,,4,电费,CMB0004",
    )
    statement = statement_import(layout=cmb, content=content, filename="cmb.csv")
    assert (statement.rows, statement.duplicates) == (4, 0)
    assert (statement.first_day, statement.last_day) == (datetime.date(2026, 11, 20), datetime.date(2026, 11, 21))
    by_serial = {line.serial: line for line in StatementLine.objects.all()}
    bill_line = by_serial["CMB0001"]
    assert (bill_line.company, bill_line.bill, bill_line.confidence, bill_line.status) == (
        a["company"],
        a_february,
        98,
        "suggested",
    )
    assert a_february.number in bill_line.match_reason and bill_line.amount == Decimal("10000.00")
    assert bill_line.raw["对方开户行"] == "招商银行" and bill_line.raw["摘要"] == f"房租 {a_february.number}"
    named = by_serial["CMB0002"]  # b's name and all it owes: 9,900 + 10,000
    assert (named.company, named.bill, named.confidence) == (b["company"], None, 80)
    assert "open bills" in named.match_reason
    assert (by_serial["CMB0003"].status, by_serial["CMB0003"].company) == ("unmatched", None)
    assert (by_serial["CMB0004"].status, by_serial["CMB0004"].amount) == ("outgoing", Decimal("-500.00"))


def test_a_reupload_with_overlapping_days_imports_no_line_twice(world, today, cmb, icbc):
    a = world["a"]
    first = cmb_csv(
        "2026-11-20,10:00:00,甲,111,招商银行,,100.00,1,x,CMB0001",
        "2026-11-21,10:00:00,乙,222,招商银行,,200.00,2,y,CMB0002",
    )
    statement_import(layout=cmb, content=first, filename="week1.csv")
    again = cmb_csv(
        "2026-11-21,10:00:00,乙,222,招商银行,,200.00,2,y,CMB0002",
        "2026-11-22,10:00:00,丙,333,招商银行,,300.00,3,z,CMB0005",
        bom=True,
    )
    second = statement_import(layout=cmb, content=again, filename="week2.csv")
    assert (second.rows, second.duplicates, second.lines.count()) == (2, 1, 1)
    assert StatementLine.objects.count() == 3

    # No serial in ICBC's file: the hash of the line, counting equal lines, keeps both equal transfers.
    rows = [
        (datetime.datetime(2026, 11, 20, 9, 0), a["company"].name, "6222 0000 1111", "5,000.00", None, "1", "押金"),
        (datetime.datetime(2026, 11, 20, 9, 0), a["company"].name, "6222 0000 1111", "5,000.00", None, "2", "押金"),
    ]
    statement_import(layout=icbc, content=icbc_xlsx(rows), filename="icbc.xlsx")
    overlap = statement_import(
        layout=icbc,
        content=icbc_xlsx([*rows, (datetime.datetime(2026, 11, 21, 9, 0), "丁", "444", "70.00", None, "3", "")]),
        filename="icbc-2.xlsx",
    )
    assert (overlap.duplicates, overlap.lines.count()) == (2, 1)
    assert StatementLine.objects.filter(bank=icbc.bank).count() == 3
    line = StatementLine.objects.filter(serial="").first()
    with pytest.raises(IntegrityError), transaction.atomic():
        StatementLine.objects.create(
            **{f.attname: getattr(line, f.attname) for f in StatementLine._meta.fields if f.name != "id"}
        )


def test_one_line_pays_two_bills_and_teaches_the_payers_account(world, today, icbc, operations_user):
    a = world["a"]
    january, february = open_bills(a)
    rows = [
        (datetime.datetime(2026, 11, 20, 9, 0), "甲公司财务", "6222000011112222", "19,900.00元", None, "1", "1-2月")
    ]
    statement_import(layout=icbc, content=icbc_xlsx(rows), filename="icbc.xlsx")
    line = StatementLine.objects.get()
    assert line.status == "unmatched"  # an unknown name, and no bill asks 19,900.00 alone
    with pytest.raises(ValidationError, match="add up to 9900.00; the line brought 19900.00"):
        statement_line_confirm(line=line, splits=[Split(company=a["company"], amount=Decimal("9900.00"), bill=january)])
    payments = statement_line_confirm(
        line=line,
        splits=[
            Split(company=a["company"], amount=Decimal("9900.00"), bill=january),
            Split(company=a["company"], amount=Decimal("10000.00"), bill=february),
        ],
        decided_by=operations_user,
    )
    assert [(p.amount, p.method, p.received_on) for p in payments] == [
        (Decimal("9900.00"), "bank_transfer", datetime.date(2026, 11, 20)),
        (Decimal("10000.00"), "bank_transfer", datetime.date(2026, 11, 20)),
    ]
    january.refresh_from_db()
    february.refresh_from_db()
    assert (january.status, february.status) == ("paid", "paid")
    line.refresh_from_db()
    assert (line.status, line.decided_by) == ("confirmed", operations_user)
    assert PayerAccount.objects.get(account="6222000011112222").company == a["company"]
    with pytest.raises(ValidationError, match="already decided"):
        statement_line_confirm(line=line)

    # The next transfer from that account is known to be the company's.
    rows = [(datetime.datetime(2026, 11, 25, 9, 0), "甲公司财务", "6222000011112222", "10000.00", None, "2", "3月")]
    statement_import(layout=icbc, content=icbc_xlsx(rows), filename="icbc-2.xlsx")
    march = StatementLine.objects.get(booked_on=datetime.date(2026, 11, 25))
    assert (march.company, march.confidence, march.status) == (a["company"], 80, "suggested")
    assert "paid from this account before" in march.match_reason


def test_a_suggestion_is_confirmed_as_is_and_a_stray_line_set_aside(world, today, cmb):
    a = world["a"]
    january, _february = open_bills(a)
    statement_import(
        layout=cmb,
        content=cmb_csv(
            f"2026-11-20,10:00:00,x,111,招商银行,,9900.00,1,{january.number},CMB0010",
            "2026-11-20,10:00:00,银行,000,招商银行,,3.21,2,利息,CMB0011",
        ),
        filename="cmb.csv",
    )
    [payment] = statement_line_confirm(line=StatementLine.objects.get(serial="CMB0010"))
    assert (payment.reference, payment.company, payment.amount) == ("CMB0010", a["company"], Decimal("9900.00"))
    assert Bill.objects.get(pk=january.pk).status == "paid"
    interest = StatementLine.objects.get(serial="CMB0011")
    with pytest.raises(ValidationError, match="Nothing is suggested"):
        statement_line_confirm(line=interest)
    with pytest.raises(ValidationError, match="Say what the money is"):
        statement_line_set_aside(line=interest, note=" ")
    statement_line_set_aside(line=interest, note="存款利息")
    assert StatementLine.objects.get(serial="CMB0011").status == "not_rent"
    assert Payment.objects.filter(reference="CMB0011").count() == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xef\xbb\xbfdate,payer,amount\r\n2026-11-20,x,1.00\r\n", "Row 1: no row has the columns"),
        (cmb_csv("2026-13-45,10:00:00,x,1,招商银行,,1.00,1,x,S1"), "Row 4: “2026-13-45” is not a date"),
        (
            cmb_csv(
                "2026-11-20,10:00:00,x,1,招商银行,,1.00,1,x,S1", "2026-11-21,10:00:00,x,1,招商银行,,1.2.3元,1,x,S2"
            ),
            "Row 5: “1.2.3元” is not an amount",
        ),
        (
            cmb_csv("2026-11-20,10:00:00,x,1,招商银行,,1.00,1,x,S1", "2026-11-21,10:00:00,x,1,招商银行,,2.00,1,x,S1"),
            "Row 5: the serial number S1 appears twice",
        ),
        (b"\x81\x30\x00\xff\xfe" * 10, "neither UTF-8 nor GBK"),
        (b"PK\x03\x04broken", "does not open"),
    ],
)
def test_a_bad_file_names_its_row_and_changes_nothing(db, cmb, content, message):
    with pytest.raises(ValidationError, match=message):
        statement_import(layout=cmb, content=content, filename="bad.csv")
    assert (BankStatement.objects.count(), StatementLine.objects.count()) == (0, 0)


def test_amounts_as_banks_write_them_and_a_utf8_bom_are_read(db, cmb):
    statement_import(
        layout=cmb,
        content=cmb_csv(
            '2026/11/20,10:00:00,x,1,招商银行,,"¥12,345.67",1,x,S1',
            '20261121,10:00:00,x,1,招商银行,,"1,000.00元",1,x,S2',
            "2026年11月22日,10:00:00,x,1,招商银行,0.50,,1,x,S3",
            bom=True,
        ),
        filename="cmb.csv",
    )
    assert list(StatementLine.objects.order_by("booked_on").values_list("booked_on", "amount")) == [
        (datetime.date(2026, 11, 20), Decimal("12345.67")),
        (datetime.date(2026, 11, 21), Decimal("1000.00")),
        (datetime.date(2026, 11, 22), Decimal("-0.50")),
    ]


def test_the_database_keeps_a_line_as_the_bank_said(db, cmb):
    statement_import(layout=cmb, content=cmb_csv("2026-11-20,10:00:00,x,1,招商银行,,1.00,1,x,S1"), filename="c.csv")
    with pytest.raises(IntegrityError), transaction.atomic():
        StatementLine.objects.update(amount=Decimal("2.00"))


def test_when_several_bills_ask_the_amount_the_oldest_is_suggested(world, today, cmb):
    from billing.services import bill_issue

    a = world["a"]
    _january, february = open_bills(a)
    march = Bill.objects.filter(lease=a["lease"], status="scheduled").order_by("due_on").first()
    bill_issue(bill=march, on=today)  # February and March both ask 10,000.00
    statement_import(
        layout=cmb,
        content=cmb_csv(f"2026-11-20,10:00:00,{a['company'].name},1,招商银行,,10000.00,1,房租,S1"),
        filename="c.csv",
    )
    line = StatementLine.objects.get()
    assert (line.bill, line.confidence) == (february, 80)  # the name (70), and the oldest of two bills (+10)
