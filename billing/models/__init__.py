from .bills import MONEY, Bill, BillFapiaoStatus, BillLine, BillQuerySet, DocumentNumberSequence, LateFeeTerms
from .collections import CollectionsHold, ReminderSent, ReminderStep
from .deposits import DepositEntry
from .fapiao import Fapiao, FapiaoBatch, FapiaoLine, RedLetterFapiao
from .invoicing import InvoicingProfile
from .ledger import BooksClosing, LedgerEntry
from .payments import Payment, PaymentAllocation
from .tax import TaxRate

__all__ = [
    "MONEY",
    "Bill",
    "BillFapiaoStatus",
    "BillLine",
    "BillQuerySet",
    "BooksClosing",
    "CollectionsHold",
    "DepositEntry",
    "DocumentNumberSequence",
    "Fapiao",
    "FapiaoBatch",
    "FapiaoLine",
    "InvoicingProfile",
    "LateFeeTerms",
    "LedgerEntry",
    "Payment",
    "PaymentAllocation",
    "RedLetterFapiao",
    "ReminderSent",
    "ReminderStep",
    "TaxRate",
]
