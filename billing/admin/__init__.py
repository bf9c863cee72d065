"""Billing in the admin: bills, payments and the ledger (``ledger``); fapiao and their batches
(``fapiao``); reminders (``collections``)."""

from . import collections, fapiao, ledger

__all__ = ["collections", "fapiao", "ledger"]
