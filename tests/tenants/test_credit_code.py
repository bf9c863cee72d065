import pytest
from django.core.exceptions import ValidationError

from tenants.models import TenantCompany
from tenants.services import company_save
from tenants.validators import credit_code_check_character, validate_credit_code
from tests.factories import IndustryClusterFactory

# Published codes of real companies (each ends with its correct check character).
VALID = ["91350100M000100Y43", "9144030071526726XG", "91440300708461136T", "914403001922038216", "91110000100010433L"]


@pytest.mark.parametrize("code", VALID)
def test_published_codes_are_valid(code):
    validate_credit_code(code)
    assert credit_code_check_character(code[:17]) == code[17]


@pytest.mark.parametrize(
    "code, message",
    [
        ("9144030071526726XH", "should be G, not H"),
        ("91440300708461136", "has 18 characters; this one has 17"),
        ("9144030071526726IG", "may not contain I"),
        ("914403007152672OXG", "may not contain O"),
    ],
)
def test_bad_codes_are_refused_with_the_reason(code, message):
    with pytest.raises(ValidationError) as error:
        validate_credit_code(code)
    assert message in error.value.messages[0]


def test_a_code_may_start_with_a_letter():
    body = "A1440101000000001"
    validate_credit_code(body + credit_code_check_character(body))


@pytest.mark.django_db
def test_company_save_normalises_spacing_and_case_and_refuses_a_bad_check_character():
    cluster = IndustryClusterFactory()
    company = company_save(
        company=TenantCompany(
            name="深圳市腾讯计算机系统有限公司", credit_code="9144 0300 7152 6726 xg", primary_cluster=cluster
        )
    )
    assert company.credit_code == "9144030071526726XG"
    with pytest.raises(ValidationError) as error:
        company_save(company=TenantCompany(name="另一家", credit_code="9144030071526726XH", primary_cluster=cluster))
    assert "credit_code" in error.value.message_dict
    assert TenantCompany.objects.count() == 1
