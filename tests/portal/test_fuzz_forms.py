"""Every form of the portal and the reports page, fuzzed with hypothesis.

The forms are read off the pages themselves (every POST form, its fields and their options), so a
form added later is fuzzed too. Each field gets one of its own valid values or hostile text (very
long, control and NUL characters, markup, SQL, odd dates and numbers). Whatever arrives, the answer
is never a server error; a submission that is refused is shown again with its errors and writes
nothing."""

import datetime
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apartments.identity import validate_identity
from apartments.models import IdType
from core.masking import mask_id, mask_phone
from parkops.roles import MANAGERS, roles_ensure
from reports.services import period_parse
from tenants.validators import validate_credit_code

pytestmark = pytest.mark.django_db

PROJECT_APPS = ("tenants", "leases", "events", "reports")
HOSTILE = st.one_of(
    st.text(max_size=40),
    st.text(min_size=3000, max_size=5000, alphabet="岭南数字创意大厦ab1"),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "0",
            "-1",
            "1e309",
            "NaN",
            "99999999999999999999",
            "2026-02-30",
            "2026-13-01",
            "9999-12-31",
            "0000-00-00",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "=cmd|' /C calc'!A0",
            "１２３",
            "\u202e",
            "😀" * 10,
        ]
    ),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.dates(min_value=datetime.date(1, 1, 1)).map(lambda day: day.isoformat()),
)


class FormReader(HTMLParser):
    """The POST forms of a page: action, and per field name the values the page offers."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(
                {
                    "method": (attrs.get("method") or "get").lower(),
                    "action": attrs.get("action") or "",
                    "fields": {},
                    "fixed": {},
                }
            )
            return
        if not self.forms or "name" not in attrs and tag != "option":
            return
        form = self.forms[-1]
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("hidden", "submit"):
                form["fixed"][attrs["name"]] = attrs.get("value", "")
            elif kind != "file":
                form["fields"].setdefault(attrs["name"], []).extend([attrs["value"]] if attrs.get("value") else [])
        elif tag == "button":
            form["fixed"][attrs["name"]] = attrs.get("value", "")
        elif tag == "textarea":
            form["fields"].setdefault(attrs["name"], [])
        elif tag == "select":
            self._select = form["fields"].setdefault(attrs["name"], [])
        elif tag == "option" and self._select is not None and attrs.get("value"):
            self._select.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def post_forms(client, url: str) -> list[tuple[str, dict]]:
    page = client.get(url)
    assert page.status_code == 200, url
    reader = FormReader()
    reader.feed(page.content.decode())
    return [
        (form["action"] or url, form)
        for form in reader.forms
        if form["method"] == "post" and "/i18n/" not in form["action"] and form["fields"]
    ]


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count() for model in apps.get_models() if model._meta.app_label in PROJECT_APPS
    }


def submissions(form: dict):
    values = {
        name: st.one_of(st.sampled_from(offered), HOSTILE) if offered else HOSTILE
        for name, offered in form["fields"].items()
    }
    return st.fixed_dictionaries(values)


def fuzz_form(client, action: str, form: dict, examples: int) -> None:
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=submissions(form))
    def submit(data):
        before = row_counts()
        response = client.post(action, {**form["fixed"], **data})
        assert response.status_code in (200, 302, 400, 403, 404, 409), (action, data, response.status_code)
        if response.status_code != 302:  # refused: shown again with what is wrong, nothing written
            assert row_counts() == before, (action, data)
            if response.status_code == 200:
                assert b"errorlist" in response.content or b'role="alert"' in response.content, (action, data)

    submit()


def fuzz(client, url: str, examples: int = 25) -> int:
    forms = post_forms(client, url)
    assert forms, f"no form to fuzz on {url}"
    for action, form in forms:
        fuzz_form(client, action, form, examples)
    return len(forms)


def test_every_portal_form_refuses_bad_input_cleanly(client, world):
    a = world["a"]
    client.force_login(a["user"])
    pages = [
        reverse("portal:service_request_new"),
        reverse("portal:service_request", args=[a["service_request"].pk]),
        reverse("portal:hall", args=[world["hall"].pk]),
        reverse("portal:apartments"),
        reverse("portal:profile"),
        reverse("portal:members"),
        reverse("portal:visitors"),
    ]
    assert sum(fuzz(client, page) for page in pages) >= len(pages)


def test_sign_in_reset_and_report_forms_refuse_bad_input_cleanly(client, django_user_model):
    assert fuzz(client, reverse("portal:login")) and fuzz(client, reverse("portal:password_reset"))
    manager = django_user_model.objects.create_user("manager", is_staff=True)
    manager.groups.add(roles_ensure()[MANAGERS])
    client.force_login(manager)
    assert fuzz(client, reverse("reports:list"))


@settings(max_examples=300, deadline=None)
@given(text=HOSTILE, id_type=st.sampled_from(IdType.values))
def test_the_checks_behind_the_forms_answer_any_text_with_a_validation_error_or_accept_it(text, id_type):
    """Credit codes, identity documents and report periods: a clear refusal, never a crash."""
    for check in (validate_credit_code, lambda value: validate_identity(id_type, value), period_parse):
        try:
            check(text)
        except ValidationError as error:
            assert all(message.strip() for message in error.messages)
        mask_id(text), mask_phone(text)
