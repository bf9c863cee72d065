"""Every admin page a staff member can open answers, in both languages, on a seeded tower."""

from io import StringIO

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse


@pytest.mark.django_db
def test_every_changelist_add_and_change_page_answers_in_both_languages(client, django_user_model):
    call_command("seed_demo", stdout=StringIO())
    root = django_user_model.objects.get(username="admin")
    client.force_login(root)
    for language in ("zh-hans", "en"):
        for model, model_admin in admin.site._registry.items():
            info = (model._meta.app_label, model._meta.model_name)
            listing = client.get(reverse("admin:%s_%s_changelist" % info), HTTP_ACCEPT_LANGUAGE=language)
            assert listing.status_code == 200, info
            first = model._default_manager.order_by("pk").first()
            if first is not None:
                change = client.get(reverse("admin:%s_%s_change" % info, args=[first.pk]),
                                    HTTP_ACCEPT_LANGUAGE=language)
                assert change.status_code == 200, info
            if model_admin.has_add_permission(type("Request", (), {"user": root})()):
                add = client.get(reverse("admin:%s_%s_add" % info), HTTP_ACCEPT_LANGUAGE=language)
                assert add.status_code == 200, info


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_long_lists_write_the_same_row_checkbox_as_django(language):
    from django.contrib.admin import ModelAdmin
    from django.utils import translation

    from leases.models import Lease

    lease_admin = admin.site._registry[Lease]
    lease = Lease(pk=12, number="L-<1>&2")
    with translation.override(language):
        assert lease_admin.action_checkbox(lease) == ModelAdmin.action_checkbox(lease_admin, lease)
