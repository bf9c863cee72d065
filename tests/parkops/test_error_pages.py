"""The error pages speak the reader's language, not Django's bare English."""

import pytest
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def test_a_page_refused_or_missing_says_so_in_chinese(client, world):
    client.force_login(world["a"]["user"])  # a tenant user: the managers' reports are not theirs
    refused = client.get("/reports/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert refused.status_code == 403
    text = refused.content.decode()
    assert '<html lang="zh-hans">' in text and "您无权打开此页面" in text and "Forbidden" not in text
    missing = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert missing.status_code == 404 and "找不到页面" in missing.content.decode()
    assert "Page not found" in client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_a_server_error_page_needs_no_context_and_is_translated():
    with translation.override("zh-hans"):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500 and "出错了" in response.content.decode()
