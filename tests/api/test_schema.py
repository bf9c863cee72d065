"""Schemathesis against our own OpenAPI schema, in-process: bounded examples per operation, as
staff and as a tenant user; no server error and no response that breaks the schema."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from core.api.throttling import AnonThrottle, UserThrottle
from parkops.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
CHECKS = [not_a_server_error, response_schema_conformance]
EXAMPLES = settings(max_examples=8, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))


@pytest.fixture(autouse=True)
def keep_the_test_transaction():
    """Schemathesis calls the WSGI app directly, so Django's request signals would close the database
    connection (and roll back the test's transaction) after each call; the test client avoids that
    the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def no_throttling(monkeypatch):
    """Eight examples of every operation would run into the per-user rate; throttling has tests of its own."""
    for throttle in (UserThrottle, AnonThrottle):
        monkeypatch.setattr(throttle, "THROTTLE_RATES", {"user": None, "anon": None})


@pytest.fixture
def staff_token(world, django_user_model):
    user = django_user_model.objects.create_superuser("schema-admin", password="pw-123456789")
    return Token.objects.create(user=user).key


@pytest.fixture
def tenant_token(world):
    return Token.objects.create(user=world["a"]["user"]).key


@pytest.mark.django_db
@schema.parametrize()
@EXAMPLES
def test_api_as_staff(case, staff_token):
    case.call_and_validate(headers={"Authorization": f"Token {staff_token}"}, checks=CHECKS)


@pytest.mark.django_db
@schema.parametrize()
@EXAMPLES
def test_api_as_tenant(case, tenant_token):
    case.call_and_validate(headers={"Authorization": f"Token {tenant_token}"}, checks=CHECKS)
