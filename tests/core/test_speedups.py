"""Each speed-up in core/speedups/ behaves exactly as the library code it replaces."""

import datetime
from decimal import Decimal

import django_filters
import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.http import QueryDict
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from rest_framework import exceptions, serializers
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from core.speedups.column_converters import column_converter
from core.speedups.token_cache import CachedTokenAuthentication
from leases.filters import LeaseFilterSet
from parkops.admin_site import ordered_app_list


def representation(field, value):
    convert = column_converter(field)
    return value if convert is None else convert(value)


@pytest.mark.parametrize(
    ("field", "values"),
    [
        (serializers.IntegerField(), [0, 7, -3]),
        (serializers.BigIntegerField(), [2**40]),
        (serializers.BigIntegerField(coerce_to_string=True), [2**40]),
        (serializers.CharField(), ["LDC-17", "岭南数字创意大厦", ""]),
        (serializers.ChoiceField(choices=[("active", "Active"), ("expired", "Expired")]), ["active", "expired"]),
        (serializers.ChoiceField(choices=[(1, "one"), (2, "two")]), [1, 2]),
        (serializers.DateField(), [datetime.date(2026, 11, 24), datetime.date(1999, 1, 1)]),
        (serializers.DateField(format="%d/%m/%Y"), [datetime.date(2026, 11, 24)]),
        (
            serializers.DecimalField(max_digits=12, decimal_places=2),
            [Decimal("216488.12"), Decimal("0.00"), Decimal("-5.10"), Decimal("4.255"), Decimal("7"), Decimal("1E+3")],
        ),  # the last three are rounded, as DRF does
        (serializers.DecimalField(max_digits=12, decimal_places=2, coerce_to_string=False), [Decimal("4.25")]),
        (serializers.DecimalField(max_digits=12, decimal_places=2, normalize_output=True), [Decimal("4.50")]),
    ],
)
def test_a_column_converts_exactly_as_its_serializer_field(field, values):
    for value in values:
        converted = representation(field, value)
        assert converted == field.to_representation(value)
        assert type(converted) is type(field.to_representation(value))


def test_conversions_that_change_a_value_are_kept():
    assert column_converter(serializers.BigIntegerField(coerce_to_string=True))(2**40) == str(2**40)
    assert column_converter(serializers.DateField())(datetime.date(2026, 11, 24)) == "2026-11-24"
    money = column_converter(serializers.DecimalField(max_digits=12, decimal_places=2))
    assert (money(Decimal("216488.12")), money(Decimal("4.255")), money(Decimal("7"))) == ("216488.12", "4.26", "7.00")


# Token cache (core/speedups/token_cache.py) against DRF's TokenAuthentication.


def both_token_auths(key):
    outcomes = []
    for authentication in (TokenAuthentication(), CachedTokenAuthentication()):
        try:
            user, token = authentication.authenticate_credentials(key)
            outcomes.append((user.pk, token.key))
        except exceptions.AuthenticationFailed as error:
            outcomes.append(str(error.detail))
    return outcomes


@pytest.mark.django_db
def test_the_token_cache_answers_as_drf_for_a_token_an_inactive_user_and_a_deleted_token(django_user_model):
    user = django_user_model.objects.create_user("integrator", password="x")
    token = Token.objects.create(user=user)
    for _ in range(2):  # the second time from the cache
        drf, cached = both_token_auths(token.key)
        assert drf == cached == (user.pk, token.key)
    user.is_active = False
    user.save()
    drf, cached = both_token_auths(token.key)
    assert drf == cached == "User inactive or deleted."
    user.is_active = True
    user.save()
    assert both_token_auths(token.key)[1] == (user.pk, token.key)
    token.delete()
    drf, cached = both_token_auths(token.key)
    assert drf == cached == "Invalid token."


# Admin sidebar (core/speedups/app_list_cache.py) against Django's own AdminSite.get_app_list.


def app_lists(request):
    return ordered_app_list(admin.AdminSite.get_app_list(admin.site, request)), admin.site.get_app_list(request)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_cached_sidebar_equals_djangos_for_any_user_and_language(django_user_model, language):
    admin.site._app_lists.clear()
    clerk = django_user_model.objects.create_user("clerk", is_staff=True)
    clerk.user_permissions.add(*Permission.objects.filter(codename__in=["view_unit", "view_lease", "change_bill"]))
    root = django_user_model.objects.create_user("root", is_staff=True, is_superuser=True)
    with translation.override(language):
        for user in (clerk, root, clerk):
            request = RequestFactory().get(reverse("admin:index"))
            request.user = django_user_model.objects.get(pk=user.pk)  # a fresh permission cache
            django_list, cached = app_lists(request)
            assert cached == django_list
            if user == root:
                everything = cached
    names = {model["object_name"] for app in cached for model in app["models"]}
    assert {"Unit", "Lease", "Bill"} <= names
    # in the order of the work: spaces, leasing, billing first; units after buildings and floors
    labels = [app["app_label"] for app in everything]
    assert labels[:3] == ["spaces", "leases", "billing"] and labels.index("tenants") > labels.index("events")
    spaces = next(app for app in everything if app["app_label"] == "spaces")
    assert [model["object_name"] for model in spaces["models"]][:3] == ["Building", "Floor", "Unit"]


# Filter form class (core/speedups/filter_form_cache.py) against django-filter building it per request.


class PlainLeaseFilterSet(django_filters.FilterSet):
    """The same filters as LeaseFilterSet, on django-filter's own base class."""

    ends_before = LeaseFilterSet.base_filters["ends_before"]
    ends_after = LeaseFilterSet.base_filters["ends_after"]
    building = django_filters.CharFilter(method="filter_building", label="building code")
    filter_building = LeaseFilterSet.filter_building

    class Meta(LeaseFilterSet.Meta):
        pass


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "",
        "ends_before=2026-12-31",
        "ends_before=nonsense",
        "status=active&building=LDC",
        "status=nonsense",
        "tenant=abc",
        "ends_after=2026-01-01&payment_cycle=quarterly",
    ],
)
def test_the_cached_filter_form_judges_and_filters_as_django_filter_does(query):
    cached, plain = LeaseFilterSet(data=QueryDict(query)), PlainLeaseFilterSet(data=QueryDict(query))
    assert cached.is_valid() == plain.is_valid()
    assert cached.form.errors == plain.form.errors
    if plain.is_valid():
        assert str(cached.qs.query) == str(plain.qs.query)


@pytest.mark.django_db
def test_a_filter_set_builds_its_form_class_once_and_validates_each_request(api, world, django_user_model):
    first = LeaseFilterSet(data=QueryDict("ends_before=2026-12-31")).form
    second = LeaseFilterSet(data=QueryDict("ends_before=nonsense")).form
    assert type(first) is type(second)
    assert first.is_valid() and not second.is_valid()

    api.force_authenticate(django_user_model.objects.create_user("staff", is_staff=True, is_superuser=True))
    url = reverse("api:lease-list")
    refused = api.get(url, {"ends_before": "nonsense"})
    assert refused.status_code == 400 and refused.json()["fields"]["ends_before"] == ["Enter a valid date."]
    listed = api.get(url, {"ends_before": "2026-12-31", "tenant": world["a"]["company"].pk})
    assert [row["number"] for row in listed.json()["results"]] == [world["a"]["lease"].number]
    assert api.get(url, {"ends_before": "2026-06-30"}).json()["count"] == 0
