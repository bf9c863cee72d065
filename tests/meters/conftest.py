import datetime

import pytest


@pytest.fixture
def today(monkeypatch):
    """The day the billing tests run on, as the services read it."""
    day = datetime.date(2026, 11, 24)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: day)
    return day
