"""Billing in the admin: bills, payments and the ledger (``ledger``); fapiao and their batches (``fapiao``)."""

from . import fapiao, ledger

__all__ = ["fapiao", "ledger"]
