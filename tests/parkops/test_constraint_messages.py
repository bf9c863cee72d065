"""Every database constraint's message can be shown, in both languages: Django formats it with
``%``, so a stray percent sign would turn a refusal into a server error."""

import pytest
from django.apps import apps
from django.utils import translation

PROJECT_APPS = {"tenants", "spaces", "billing", "leases", "apartments", "servicedesk", "events", "reports"}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_constraint_message_formats_in_each_language(language):
    constraints = [
        (model, constraint)
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS
        for constraint in model._meta.constraints
    ]
    assert len(constraints) > 50
    with translation.override(language):
        for model, constraint in constraints:
            message = constraint.get_violation_error_message()
            assert message and "%(" not in message, f"{model.__name__}.{constraint.name}: {message!r}"
