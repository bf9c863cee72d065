import datetime
from pathlib import PurePath

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tenants.models import AgreementDocument, Milestone, PartnerAgreement
from tenants.services import agreement_document_save, milestones_flag_overdue
from tenants.tasks import milestones_flag_overdue as milestones_flag_overdue_task
from tests.factories import TenantCompanyFactory, pdf_bytes

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 11, 24)


@pytest.fixture
def agreement():
    return PartnerAgreement.objects.create(
        partner=TenantCompanyFactory(short_name="酷狗音乐"),
        title="共建音乐硅谷",
        status="active",
        signed_on=D(2025, 3, 28),
    )


@pytest.fixture
def milestones(agreement):
    def make(description, due_on, status=Milestone.Status.PLANNED):
        return Milestone.objects.create(
            agreement=agreement,
            description=description,
            owner="酷狗音乐",
            due_on=due_on,
            status=status,
            completed_on=due_on if status == Milestone.Status.DONE else None,
        )

    return {
        "late": make("版权交易中心上线", D(2026, 6, 30), Milestone.Status.IN_PROGRESS),
        "done": make("AI 作曲实验室", D(2025, 9, 30), Milestone.Status.DONE),
        "soon": make("丝路音乐计划", D(2026, 12, 15)),
        "today": make("今日到期", TODAY),
        "later": make("全息粤剧", D(2027, 3, 31)),
    }


def test_milestone_dashboard_lists_overdue_and_due_within_30_days(staff_client, milestones, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: TODAY)
    html = staff_client.get(reverse("admin:tenants_milestone_dashboard")).content.decode()
    overdue, due_soon = html.split('id="due-soon"')
    assert "版权交易中心上线" in overdue and "丝路音乐计划" not in overdue
    assert "丝路音乐计划" in due_soon and "今日到期" in due_soon
    assert "全息粤剧" not in html and "AI 作曲实验室" not in html


def test_admin_index_shows_the_milestone_counts(staff_client, milestones, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: TODAY)
    html = staff_client.get(reverse("admin:index")).content.decode()
    assert "<strong>1</strong> overdue" in html and "<strong>2</strong> due within 30 days" in html


def test_daily_job_flags_each_overdue_milestone_once_and_tells_operations(
    milestones, settings, django_capture_on_commit_callbacks
):
    settings.OPERATIONS_EMAILS = ["ops@parkops.example"]
    with django_capture_on_commit_callbacks(execute=True):
        flagged = milestones_flag_overdue(on=TODAY)
    assert [m.description for m in flagged] == ["版权交易中心上线"]
    assert Milestone.objects.get(pk=milestones["late"].pk).overdue_flagged_on == TODAY
    assert len(mail.outbox) == 1 and "版权交易中心上线" in mail.outbox[0].body
    assert milestones_flag_overdue(on=TODAY) == []  # flagged once only
    tomorrow = milestones_flag_overdue(on=TODAY + datetime.timedelta(days=1))
    assert [m.description for m in tomorrow] == ["今日到期"]


def test_the_task_runs_the_service(milestones, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: TODAY)
    assert milestones_flag_overdue_task.delay().get() == 1


def test_a_done_milestone_needs_its_date():
    with pytest.raises(ValidationError):
        Milestone(agreement=PartnerAgreement(pk=1), description="x", owner="y", due_on=TODAY, status="done").full_clean(
            exclude=["agreement"]
        )


def test_documents_must_be_pdfs_that_open_within_the_size_limit_and_get_names_of_their_own(agreement, settings):
    content = pdf_bytes()
    good = SimpleUploadedFile("../../etc/协议 final.PDF.exe", content, content_type="application/x-msdownload")
    document = agreement_document_save(document=AgreementDocument(agreement=agreement, title="协议", file=good))
    stored = PurePath(document.file.name)
    assert document.size == len(content) and stored.parent == PurePath(f"agreements/{agreement.pk}")
    assert stored.suffix == ".pdf" and len(stored.stem) == 32 and "协议" not in document.file.name

    disguised = SimpleUploadedFile("agreement.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError, match="not a PDF"):
        agreement_document_save(document=AgreementDocument(agreement=agreement, title="伪装", file=disguised))
    truncated = SimpleUploadedFile(
        "agreement.pdf", b"%PDF-1.7\n<html><script>alert(1)</script>", content_type="application/pdf"
    )
    with pytest.raises(ValidationError, match="does not open"):
        agreement_document_save(document=AgreementDocument(agreement=agreement, title="坏", file=truncated))
    settings.PARKOPS_MAX_UPLOAD_BYTES = 10
    with pytest.raises(ValidationError, match="the limit is"):
        agreement_document_save(document=AgreementDocument(agreement=agreement, title="大", file=good))
    assert AgreementDocument.objects.count() == 1


def test_overdue_milestones_are_marked_in_the_agreements_list_and_on_the_agreement(
    staff_client, agreement, milestones, django_assert_max_num_queries
):
    PartnerAgreement.objects.create(partner=agreement.partner, title="无逾期协议", status="active", signed_on=TODAY)
    with django_assert_max_num_queries(12):  # the count rides on the list's one query of agreements
        listing = staff_client.get(reverse("admin:tenants_partneragreement_changelist")).content.decode()
    # only 版权交易中心上线 (due 2026-06-30, in progress) is open and past due; due today is not late
    assert '<td class="field-overdue_milestones"><strong class="overdue">1</strong></td>' in listing
    assert '<td class="field-overdue_milestones">0</td>' in listing
    page = staff_client.get(reverse("admin:tenants_partneragreement_change", args=[agreement.pk])).content.decode()
    assert '<strong class="overdue">147 days</strong>' in page  # 30 June to 24 November
    assert page.count('class="overdue"') == 1
    assert milestones["late"].days_overdue(on=TODAY) == 147 and milestones["today"].days_overdue(on=TODAY) == 0
