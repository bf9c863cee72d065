from .bills import MONEY, Bill, BillLine, BillQuerySet, DocumentNumberSequence, LateFeeTerms
from .deposits import DepositEntry
from .invoicing import InvoicingProfile
from .ledger import BooksClosing, LedgerEntry
from .payments import Payment, PaymentAllocation
from .tax import TaxRate

__all__ = [
    "MONEY",
    "Bill",
    "BillLine",
    "BillQuerySet",
    "BooksClosing",
    "DepositEntry",
    "DocumentNumberSequence",
    "InvoicingProfile",
    "LateFeeTerms",
    "LedgerEntry",
    "Payment",
    "PaymentAllocation",
    "TaxRate",
]
