import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from leases.services import lease_create
from tests.factories import TenantCompanyFactory, UnitFactory


@pytest.mark.django_db
def test_admin_speaks_simplified_chinese_first_and_english_on_request(staff_client):
    chinese = staff_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="")  # no preference: the default language
    assert "园区运营平台 · 岭南数字创意大厦" in chinese.content.decode()
    assert "空间资产" in chinese.content.decode()
    staff_client.cookies["django_language"] = "en"
    english = staff_client.get("/admin/")
    assert "ParkOps · Lingnan Digital Creative Building" in english.content.decode()
    assert "Space inventory" in english.content.decode()


@pytest.mark.django_db
def test_service_errors_come_in_the_users_language():
    for language, expected in [
        ("zh-hans", "租约的截止日期不能早于起始日期。"),
        ("en", "A lease cannot end before it starts."),
    ]:
        with translation.override(language), pytest.raises(ValidationError) as error:
            lease_create(
                number="X",
                tenant=TenantCompanyFactory(),
                units=[UnitFactory()],
                starts_on=datetime.date(2026, 2, 1),
                ends_on=datetime.date(2026, 1, 1),
            )
        assert expected in error.value.messages
