"""What billing tells the apps that build on it; they connect receivers, billing imports none of them."""

from django.dispatch import Signal

# Sent inside the voiding transaction with ``bill``: a lease's schedule bills the period again.
bill_voided = Signal()
