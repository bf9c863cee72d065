"""Every admin page a staff member can open answers, in both languages, on a seeded tower."""

import json
import re

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse


def walk_every_changelist_add_and_change_page_in_both_languages(client, root):
    """Every admin list, add and change page answers 200 for the superuser, in Chinese and English;
    run on the demo's data by tests/parkops/test_seed_demo.py (one seeded tower serves both)."""
    client.force_login(root)
    as_root = RequestFactory().get("/admin/")
    as_root.user = root
    for language in ("zh-hans", "en"):
        for model, model_admin in admin.site._registry.items():
            info = (model._meta.app_label, model._meta.model_name)
            listing = client.get(reverse("admin:{}_{}_changelist".format(*info)), HTTP_ACCEPT_LANGUAGE=language)
            assert listing.status_code == 200, info
            first = model_admin.get_queryset(as_root).order_by("pk").first()  # what this admin lists
            if first is not None:
                change = client.get(
                    reverse("admin:{}_{}_change".format(*info), args=[first.pk]), HTTP_ACCEPT_LANGUAGE=language
                )
                assert change.status_code == 200, info
            if model_admin.has_add_permission(as_root):
                add = client.get(reverse("admin:{}_{}_add".format(*info)), HTTP_ACCEPT_LANGUAGE=language)
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


def sidebar_models(html: str) -> set[str]:
    sidebar = html[html.index('id="nav-sidebar"') :]
    sidebar = sidebar[: sidebar.index("</nav>")]
    return set(re.findall(r'<th scope="row" id="[^"]+">\s*<a href="([^"]+)"', sidebar))


@pytest.mark.django_db
def test_the_sidebar_follows_the_users_permissions_and_language(client, django_user_model):
    from django.contrib.auth.models import Permission

    clerk = django_user_model.objects.create_user("clerk", password="x", is_staff=True)
    view_units = Permission.objects.get(codename="view_unit")
    view_leases = Permission.objects.get(codename="view_lease")
    clerk.user_permissions.add(view_units)
    client.force_login(clerk)
    units, leases = reverse("admin:spaces_unit_changelist"), reverse("admin:leases_lease_changelist")
    inbox = reverse("admin:notifications_notification_changelist")  # every staff member's own

    page = client.get(units, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert sidebar_models(page) == {units, inbox}
    assert "Space inventory" in page

    clerk.user_permissions.add(view_leases)
    page = client.get(units, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert sidebar_models(page) == {units, leases, inbox}

    clerk.user_permissions.remove(view_units)
    assert sidebar_models(client.get(leases, HTTP_ACCEPT_LANGUAGE="en").content.decode()) == {leases, inbox}


@pytest.mark.django_db
def test_the_sidebar_is_built_once_per_language_and_set_of_permissions(client, django_user_model, monkeypatch):
    builds = []
    build = admin.AdminSite._build_app_dict
    admin.site._app_lists.clear()
    monkeypatch.setattr(
        admin.AdminSite,
        "_build_app_dict",
        lambda site, request, label=None: builds.append(label) or build(site, request, label),
    )
    for name in ("root", "other-root"):
        client.force_login(django_user_model.objects.create_user(name, password="x", is_staff=True, is_superuser=True))
        for _ in range(2):
            assert client.get(reverse("admin:spaces_unit_changelist"), HTTP_ACCEPT_LANGUAGE="en").status_code == 200
    assert builds == [None]
    client.get(reverse("admin:spaces_unit_changelist"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert builds == [None, None]


def json_escaped(text: str) -> str:
    return json.dumps(text)[1:-1]


@pytest.mark.django_db
def test_the_admins_javascript_strings_are_in_chinese(staff_client):
    """The many-to-many picker's strings, which Django's own zh_Hans catalogue lacks, come from ours."""
    catalog = staff_client.get(reverse("admin:jsi18n"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    chosen = '"Choose %s by selecting them and then select the \\"Choose\\" arrow button."'
    assert f'{chosen}: "{json_escaped("选中%s后点击“选择”箭头。")}"' in catalog


@pytest.mark.django_db
def test_permissions_are_named_in_the_readers_language(staff_client):
    from django.contrib.auth.models import Group

    group = Group.objects.create(name="前台")
    page = staff_client.get(reverse("admin:auth_group_change", args=[group.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = page.content.decode()
    assert ">租赁与招商 | 租约 | 可添加租约</option>" in html
    assert ">租赁与招商 | 租约历史 | 可查看租约历史</option>" in html  # django-simple-history's copy
    assert ">报表 | 报表生成记录 | 可申请和下载报表</option>" in html  # one of our own permissions
    assert "Can add" not in html and "historical" not in html
    english = staff_client.get(reverse("admin:auth_group_change", args=[group.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert ">Leases and leasing | lease | Can add lease</option>" in english.content.decode()


def test_dates_in_chinese_are_written_2026_12_01_and_read_either_way():
    import datetime

    from django import forms
    from django.utils import formats, translation

    day = datetime.date(2026, 12, 1)
    with translation.override("zh-hans"):
        assert formats.date_format(day) == formats.localize_input(day) == "2026-12-01"
        assert formats.localize(datetime.datetime(2026, 12, 1, 9, 5)) == "2026-12-01 09:05"
        assert forms.DateField().clean("2026/12/01") == forms.DateField().clean("2026-12-01") == day
