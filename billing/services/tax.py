"""VAT on bill lines: prices are tax-inclusive (含税价); each line is split into net and tax at the
rate in force for its kind on the first day of its period, net = amount ÷ (1 + rate) rounded half
up to the fen, tax = amount − net, so net + tax is the line exactly."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from billing.models import TaxRate
from core.money import tax_split

from .ledger import ZERO

__all__ = ["TaxRates", "tax_split"]


class TaxRates:
    """The VAT rates of every kind of charge by day, read once (the table is a handful of rows)."""

    def __init__(self, rows: Iterable[TaxRate] | None = None):
        self.rows = sorted(
            TaxRate.objects.all() if rows is None else rows, key=lambda row: row.effective_from, reverse=True
        )

    def in_force(self, kind: str, on: datetime.date) -> TaxRate | None:
        return next((row for row in self.rows if row.kind == kind and row.effective_from <= on), None)

    def rate(self, kind: str, on: datetime.date) -> Decimal:
        """The rate for ``kind`` in force on ``on``; nothing when no rate is set for it yet."""
        row = self.in_force(kind, on)
        return row.rate if row else ZERO

    def goods_code(self, kind: str, on: datetime.date) -> str:
        """The goods and services tax code of ``kind`` on ``on``, for its fapiao lines."""
        row = self.in_force(kind, on)
        return row.goods_code if row else ""

    def line_fields(self, kind: str, amount: Decimal, on: datetime.date) -> dict[str, Decimal]:
        """The VAT fields of a bill line of ``kind`` for ``amount`` whose period starts ``on``."""
        rate = self.rate(kind, on)
        net, tax = tax_split(amount, rate)
        return {"tax_rate": rate, "net_amount": net, "tax_amount": tax}
