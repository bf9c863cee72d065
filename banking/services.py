"""Writes to bank statements: importing a bank's file line by line (each line once, however often
overlapping days are uploaded), matching lines to payers and bills, and turning confirmed lines
into payments in the ledger."""

import datetime
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.models import Bill, Payment
from billing.services import payment_record
from core.db import bulk_insert
from core.tables import Row, parse_amount, parse_day, row_error, table_rows
from tenants.models import TenantCompany

from .models import BankStatement, PayerAccount, StatementLayout, StatementLine, StatementLinePayment

ZERO = Decimal("0.00")
HEADER_SEARCH_ROWS = 30  # banks put a title, the account and the period above the headings
SUMMARY_MARKS = ("合计", "总计", "小计", "本页", "共")
BILL_NUMBER = re.compile(r"ZD\s*(\d{4})\s*-?\s*(\d{6})", re.IGNORECASE)


@dataclass(frozen=True)
class ParsedLine:
    row: int
    raw: dict
    booked_on: datetime.date
    payer_name: str
    payer_account: str
    amount: Decimal
    remark: str
    serial: str


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value).strip()


def _header(rows: list[Row], layout: StatementLayout) -> tuple[int, dict[str, int], list[str]]:
    """The position of the headings row and of each mapped column in it."""
    wanted = layout.columns()
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        headings = [_cell_text(cell).lstrip("*") for cell in row.cells]
        if all(heading in headings for heading in wanted.values()):
            return index, {field: headings.index(heading) for field, heading in wanted.items()}, headings
    first = rows[0] if rows else None
    found = "、".join(_cell_text(cell) for cell in first.cells if _cell_text(cell)) if first else ""
    raise ValidationError(
        _(
            "Row %(row)s: no row has the columns of the layout “%(layout)s” (%(wanted)s); "
            "the file starts with %(found)s."
        )
        % {
            "row": first.number if first else 1,
            "layout": layout,
            "wanted": "、".join(wanted.values()),
            "found": found or _("nothing"),
        },
        code="wrong_columns",
    )


def statement_parse(*, layout: StatementLayout, content: bytes) -> list[ParsedLine]:
    """Every line of the bank's file, read with ``layout``; the first row that cannot be read stops
    it with an error naming that row."""
    rows = table_rows(content)
    if not rows:
        raise ValidationError(_("The file is empty."), code="empty")
    start, at, headings = _header(rows, layout)
    lines = []
    for row in rows[start + 1 :]:
        cells = list(row.cells) + [None] * (len(headings) - len(row.cells))
        value = {field: cells[position] for field, position in at.items()}
        date_text = _cell_text(value["date"])
        if not date_text or date_text.startswith(SUMMARY_MARKS):
            continue  # the bank's totals under the lines
        booked_on = parse_day(value["date"], row=row.number)
        if "amount" in value:
            amount = parse_amount(value["amount"], row=row.number)
        else:
            amount = parse_amount(value["credit"], row=row.number, blank_is_zero=True)
            if "debit" in value:
                amount -= parse_amount(value["debit"], row=row.number, blank_is_zero=True)
        lines.append(
            ParsedLine(
                row=row.number,
                raw={heading: _cell_text(cell) for heading, cell in zip(headings, cells, strict=False) if heading},
                booked_on=booked_on,
                payer_name=_cell_text(value.get("payer_name"))[:200],
                payer_account=re.sub(r"\s", "", _cell_text(value.get("payer_account")))[:60],
                amount=amount,
                remark=_cell_text(value.get("remark"))[:300],
                serial=_cell_text(value.get("serial"))[:80],
            )
        )
    return lines


def _fingerprints(lines: Sequence[ParsedLine]) -> list[str]:
    """A hash of what each line says, with how many identical lines came before it in the file, so
    two equal transfers on one day stay two lines and a re-upload finds both again."""
    seen: Counter = Counter()
    hashes = []
    for line in lines:
        key = "|".join(
            [line.booked_on.isoformat(), line.payer_name, line.payer_account, f"{line.amount:.2f}", line.remark]
        )
        seen[key] += 1
        hashes.append(hashlib.sha256(f"{key}|{seen[key]}".encode()).hexdigest())
    return hashes


def _chunks(values: list, size: int = 2000) -> Iterable[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


@transaction.atomic
def statement_import(*, layout: StatementLayout, content: bytes, filename: str, uploaded_by=None) -> BankStatement:
    """Import a bank's statement file: every line kept raw, lines an earlier upload brought in
    skipped (by the bank's serial number, else by the line's hash), the new ones matched."""
    parsed = statement_parse(layout=layout, content=content)
    hashes = _fingerprints(parsed)
    bank = layout.bank
    serials = [line.serial for line in parsed if line.serial]
    known_serials = set()
    for chunk in _chunks(serials):
        known_serials.update(StatementLine.objects.filter(bank=bank, serial__in=chunk).values_list("serial", flat=True))
    known_hashes = set()
    for chunk in _chunks([h for line, h in zip(parsed, hashes, strict=True) if not line.serial]):
        known_hashes.update(
            StatementLine.objects.filter(bank=bank, serial="", fingerprint__in=chunk).values_list(
                "fingerprint", flat=True
            )
        )
    statement = BankStatement(
        layout=layout,
        filename=filename[:200],
        uploaded_by=uploaded_by,
        rows=len(parsed),
        first_day=min((line.booked_on for line in parsed), default=None),
        last_day=max((line.booked_on for line in parsed), default=None),
    )
    statement.file.save(f"statement{_suffix(content)}", ContentFile(content), save=False)
    new, in_file = [], set()
    for line, fingerprint in zip(parsed, hashes, strict=True):
        key = ("serial", line.serial) if line.serial else ("hash", fingerprint)
        if (line.serial and line.serial in known_serials) or (not line.serial and fingerprint in known_hashes):
            continue
        if key in in_file:
            raise row_error(
                line.row, _("the serial number %(serial)s appears twice in the file.") % {"serial": line.serial}
            )
        in_file.add(key)
        new.append(
            StatementLine(
                row=line.row,
                raw=line.raw,
                bank=bank,
                booked_on=line.booked_on,
                payer_name=line.payer_name,
                payer_account=line.payer_account,
                amount=line.amount,
                remark=line.remark,
                serial=line.serial,
                fingerprint=fingerprint,
                status=_status_of_amount(line.amount),
            )
        )
    statement.duplicates = len(parsed) - len(new)
    statement.save()
    for line in new:
        line.statement = statement
    statement_lines_match(lines=[line for line in new if line.amount > 0])
    bulk_insert(StatementLine, new)
    return statement


def _suffix(content: bytes) -> str:
    return ".xlsx" if content.startswith(b"PK\x03\x04") else ".csv"


def _status_of_amount(amount: Decimal) -> str:
    if amount < 0:
        return StatementLine.Status.OUTGOING
    if amount == 0:
        return StatementLine.Status.NOT_RENT
    return StatementLine.Status.UNMATCHED


def _name_key(name: str) -> str:
    return re.sub(r"[\s()（）]", "", name)


class Matcher:
    """What the matching reads, loaded once for a whole statement: every open bill with what it
    still asks, every payer's open total, the accounts payers paid from before, and names."""

    def __init__(self):
        self.bills_by_number: dict[str, dict] = {}
        self.bills_by_payer: dict[tuple[int, str], list[dict]] = defaultdict(list)
        self.bills_by_amount: dict[Decimal, list[dict]] = defaultdict(list)
        for bill in (
            Bill.objects.open()
            .annotate(outstanding=F("amount_due") - F("amount_paid"))
            .values("pk", "number", "company_id", "resident_name", "outstanding")
            .order_by("due_on", "pk")
        ):
            bill["outstanding"] = Decimal(bill["outstanding"]).quantize(Decimal("0.01"))
            self.bills_by_number[bill["number"]] = bill
            self.bills_by_payer[(bill["company_id"], bill["resident_name"])].append(bill)
            self.bills_by_amount[bill["outstanding"]].append(bill)
        self.open_totals = {
            payer: sum((bill["outstanding"] for bill in bills), ZERO) for payer, bills in self.bills_by_payer.items()
        }
        self.accounts = {
            account: (company_id, resident)
            for account, company_id, resident in PayerAccount.objects.values_list(
                "account", "company_id", "resident_name"
            )
        }
        self.names: dict[str, set[tuple[int, str]]] = defaultdict(set)
        companies = dict(TenantCompany.objects.values_list("pk", "name"))
        for pk, name in companies.items():
            self.names[_name_key(name)].add((pk, ""))
        for company_id, resident in self.bills_by_payer:
            if resident:
                self.names[_name_key(resident)].add((company_id, resident))
        self.company_names = companies

    def payer_label(self, payer: tuple[int, str]) -> str:
        company, resident = payer
        return f"{self.company_names.get(company, company)}{' · ' + resident if resident else ''}"

    def match(self, line: StatementLine) -> tuple[tuple[int, str] | None, int | None, int, str]:
        """(payer, bill, confidence, reason) for a line of money in."""
        for found in BILL_NUMBER.finditer(line.remark):
            bill = self.bills_by_number.get(f"ZD{found.group(1)}-{found.group(2)}")
            if bill is None:
                continue
            payer = (bill["company_id"], bill["resident_name"])
            if line.amount == bill["outstanding"]:
                return (
                    payer,
                    bill["pk"],
                    98,
                    _("bill %(bill)s in the remark; the amount is what it asks") % {"bill": bill["number"]},
                )
            return payer, bill["pk"], 85, _("bill %(bill)s in the remark") % {"bill": bill["number"]}
        payer, confidence, reason = None, 0, ""
        if line.payer_account and line.payer_account in self.accounts:
            payer, confidence = self.accounts[line.payer_account], 80
            reason = _("paid from this account before: %(payer)s") % {"payer": self.payer_label(payer)}
        else:
            named = self.names.get(_name_key(line.payer_name), set())
            if len(named) == 1:
                payer, confidence = next(iter(named)), 70
                reason = _("the payer's name is %(payer)s") % {"payer": self.payer_label(payer)}
        if payer is not None:
            bills = [bill for bill in self.bills_by_payer.get(payer, []) if bill["outstanding"] == line.amount]
            if bills:
                # Several bills asking the same (monthly rent): the oldest is the one most likely paid.
                bonus = 15 if len(bills) == 1 else 10
                return (
                    payer,
                    bills[0]["pk"],
                    confidence + bonus,
                    reason + _("; the amount is what bill %(bill)s asks") % {"bill": bills[0]["number"]},
                )
            if line.amount == self.open_totals.get(payer):
                return payer, None, confidence + 10, reason + _("; the amount is all the payer's open bills")
            return payer, None, confidence, reason
        bills = self.bills_by_amount.get(line.amount, [])
        if len(bills) == 1:
            bill = bills[0]
            return (
                (bill["company_id"], bill["resident_name"]),
                bill["pk"],
                50,
                _("only bill %(bill)s asks exactly this amount") % {"bill": bill["number"]},
            )
        return None, None, 0, ""


def statement_lines_match(*, lines: Sequence[StatementLine], matcher: Matcher | None = None) -> None:
    """Suggest a payer and a bill for each line of money in, with a confidence and the reason (set on
    the objects; the caller saves them)."""
    matcher = matcher or Matcher()
    for line in lines:
        payer, bill_id, confidence, reason = matcher.match(line)
        line.company_id, line.resident_name = payer if payer else (None, "")
        line.bill_id, line.confidence, line.match_reason = bill_id, confidence, reason[:300]
        line.status = StatementLine.Status.SUGGESTED if payer else StatementLine.Status.UNMATCHED


@transaction.atomic
def statement_lines_rematch() -> int:
    """Match the waiting lines again (new bills were issued, a payer's account became known)."""
    lines = list(StatementLine.objects.select_for_update().waiting())
    statement_lines_match(lines=lines)
    StatementLine.objects.bulk_update(
        lines, ["company", "resident_name", "bill", "confidence", "match_reason", "status"], batch_size=2000
    )
    return len(lines)


@dataclass(frozen=True)
class Split:
    """A part of a line's money: who paid it and, if named, the bill it pays first."""

    company: TenantCompany
    amount: Decimal
    bill: Bill | None = None
    resident_name: str = ""


def _waiting(line: StatementLine) -> StatementLine:
    line = StatementLine.objects.select_for_update().get(pk=line.pk)
    if line.status not in (StatementLine.Status.UNMATCHED, StatementLine.Status.SUGGESTED):
        raise ValidationError(
            {"status": _("This line is already decided: %(status)s.") % {"status": line.get_status_display()}}
        )
    return line


@transaction.atomic
def statement_line_confirm(
    *, line: StatementLine, splits: Sequence[Split] | None = None, decided_by=None
) -> list[Payment]:
    """The line is money from these payers (its suggestion, unless ``splits`` say otherwise): each
    part becomes a payment with the bank's serial as its reference, applied to its bill first and
    then to the payer's oldest open bills. The account it came from is remembered for the payer."""
    line = _waiting(line)
    if splits is None:
        if line.company_id is None:
            raise ValidationError({"company": _("Nothing is suggested for this line: name the payer.")})
        splits = [Split(company=line.company, amount=line.amount, bill=line.bill, resident_name=line.resident_name)]
    if not splits:
        raise ValidationError({"splits": _("Name at least one payer.")})
    if any(split.amount <= 0 for split in splits):
        raise ValidationError({"splits": _("Each part is a positive amount.")})
    total = sum((split.amount for split in splits), ZERO)
    if total != line.amount:
        raise ValidationError(
            {
                "splits": _("The parts add up to %(total)s; the line brought %(amount)s.")
                % {"total": total, "amount": line.amount}
            }
        )
    reference = line.serial or f"H{line.fingerprint[:20]}"
    payments = []
    for index, split in enumerate(splits, start=1):
        payment = payment_record(
            company=split.company,
            resident_name=split.resident_name,
            amount=split.amount,
            received_on=line.booked_on,
            method=Payment.Method.BANK_TRANSFER,
            reference=reference if len(splits) == 1 else f"{reference}/{index}",
            note=_("Bank statement line of %(day)s from %(payer)s") % {"day": line.booked_on, "payer": line.payer_name},
            recorded_by=decided_by,
            bill=split.bill,
        )
        StatementLinePayment.objects.create(line=line, payment=payment)
        payments.append(payment)
    payers = {(split.company.pk, split.resident_name) for split in splits}
    if len(payers) == 1 and line.payer_account:
        company_id, resident_name = next(iter(payers))
        PayerAccount.objects.update_or_create(
            account=line.payer_account,
            defaults={"company_id": company_id, "resident_name": resident_name, "account_name": line.payer_name},
            create_defaults={
                "company_id": company_id,
                "resident_name": resident_name,
                "account_name": line.payer_name,
                "first_seen_on": line.booked_on,
            },
        )
    line.status, line.decided_by, line.decided_at = StatementLine.Status.CONFIRMED, decided_by, timezone.now()
    if len(splits) == 1:
        line.company, line.resident_name, line.bill = splits[0].company, splits[0].resident_name, splits[0].bill
    line.save(update_fields=["status", "decided_by", "decided_at", "company", "resident_name", "bill"])
    return payments


@transaction.atomic
def statement_line_set_aside(*, line: StatementLine, note: str, decided_by=None) -> StatementLine:
    """The line is not rent (a refund from a supplier, interest, a transfer between accounts)."""
    line = _waiting(line)
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Say what the money is.")})
    line.status, line.note, line.decided_by, line.decided_at = (
        StatementLine.Status.NOT_RENT,
        note[:300],
        decided_by,
        timezone.now(),
    )
    line.save(update_fields=["status", "note", "decided_by", "decided_at"])
    return line
