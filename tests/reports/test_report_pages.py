"""The reports' pages and PDFs as managers find them: a real 0 is 0, tables never leave their last
row alone on a page, the scope has its own words, and managers sign in where staff do and move
between the admin and the reports."""

import io

import pypdf
import pytest
from django.template import Context, Template
from django.urls import reverse
from weasyprint import HTML

from core.templatetags.figures import figure, percent


def test_zero_is_a_figure_and_only_a_missing_one_is_a_dash():
    assert (percent(0), percent(12.5), percent(None)) == ("0 %", "12.5 %", "—")
    assert (figure(0), figure("3.2"), figure(None)) == ("0", "3.2", "—")


def rows_per_page(rows: int, *, last_row_rule: bool = True) -> list[int]:
    html = Template(
        '{% extends "pdf/base.html" %}{% block content %}<h2>T</h2><table><thead><tr><th>unit</th></tr></thead>'
        "<tbody>{% for r in rows %}<tr><td>row-{{ r }}</td></tr>{% endfor %}</tbody></table>{% endblock %}"
    ).render(Context({"rows": range(rows)}))
    if not last_row_rule:
        html = html.replace("tbody tr:last-child { break-before: avoid; }", "")
    pages = pypdf.PdfReader(io.BytesIO(HTML(string=html).write_pdf())).pages
    return [page.extract_text().count("row-") for page in pages]


def test_a_tables_last_row_never_sits_alone_on_a_page():
    first, second, *_rest = rows_per_page(100, last_row_rule=False)
    orphaning = first + second + 1  # one row more than two pages hold
    assert rows_per_page(orphaning, last_row_rule=False)[-1] == 1  # what the rule prevents
    kept = rows_per_page(orphaning)
    assert kept[-1] >= 2 and sum(kept) == orphaning


@pytest.mark.django_db
def test_a_signed_out_manager_is_sent_to_the_staff_sign_in_and_pages_link_both_ways(client, manager_user):
    answer = client.get(reverse("reports:list"))
    assert answer.status_code == 302 and answer["Location"] == "/admin/login/?next=/reports/"
    client.force_login(manager_user)
    reports = client.get(reverse("reports:list"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'href="/admin/"' in reports and "统计范围" in reports and "合作范围" not in reports
    admin = client.get(reverse("admin:index")).content.decode()
    assert 'href="/reports/"' in admin
