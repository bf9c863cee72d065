"""Requesting and rendering report runs. The web page, the admin, the command and the schedule all
come here; the Celery task only calls ``report_render``. Files are written and read through Django's
storage API only, so media may live on local disk or on S3-compatible object storage."""

import datetime
import hashlib
import logging
import re
import traceback
import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import RedisError

from core.jobs import job_queue
from core.validators import EARLIEST_DATE, LATEST_DATE
from core.version import code_version
from notifications.events import Event
from notifications.services import notify
from spaces.models import Building

from .models import ReportRun
from .rendering import render_run
from .snapshots import snapshot_hash

logger = logging.getLogger(__name__)
PERIOD_PATTERN = re.compile(r"^(?P<year>\d{4})-(?:(?P<month>\d{2})|Q(?P<quarter>[1-4]))$")


# The render task's hard time limit (seconds): a run still running after it lost its worker.
RENDER_TIME_LIMIT = 900


class TransientReportError(Exception):
    """A failure that may pass (database or disk trouble): the task retries it, a bounded number of times."""


def period_parse(text: str) -> tuple[str, datetime.date]:
    """``2026-10`` is a month, ``2026-Q3`` a quarter; returns (period type, first day)."""
    match = PERIOD_PATTERN.match(text.strip())
    month = int(match["month"]) if match and match["month"] else None
    if not match or (month is not None and not 1 <= month <= 12):
        raise ValidationError({"period": _("Give the period as YYYY-MM (a month) or YYYY-Q1 … YYYY-Q4 (a quarter).")})
    year = int(match["year"])
    if not EARLIEST_DATE.year <= year <= LATEST_DATE.year:
        raise ValidationError({"period": _("Give a period between 2000 and 2100.")})
    if month is not None:
        return ReportRun.PeriodType.MONTH, datetime.date(year, month, 1)
    return ReportRun.PeriodType.QUARTER, datetime.date(year, 3 * int(match["quarter"]) - 2, 1)


@transaction.atomic
def report_request(
    *,
    kind: str,
    period_type: str,
    period_start: datetime.date,
    building: Building | None = None,
    language: str = settings.LANGUAGE_CODE,
    requested_by=None,
) -> ReportRun:
    """Queue a new run; the worker renders it once the transaction has committed."""
    run = ReportRun(
        kind=kind,
        period_type=period_type,
        period_start=period_start,
        building=building,
        language=language,
        requested_by=requested_by,
    )
    run.full_clean()
    if run.period_start > timezone.localdate():
        raise ValidationError({"period": _("This period has not begun yet.")})
    run.save()
    transaction.on_commit(lambda: report_enqueue(run_id=run.pk))
    return run


def report_enqueue(*, run_id: int) -> bool:
    """Hand a run to the workers. When the broker is unreachable the run simply stays queued, and
    ``reports_requeue_stale`` hands it over again once the broker is back; the request never fails."""
    try:
        job_queue("reports.report_render", run_id)
    except (KombuOperationalError, RedisError, OSError):
        logger.warning("Report run %s stays queued: the broker is unreachable.", run_id, exc_info=True)
        return False
    return True


def reports_requeue_stale(*, older_than: datetime.timedelta = datetime.timedelta(minutes=5)) -> int:
    """Queue again the runs still waiting after ``older_than`` (the broker was down when they were
    requested, or a message was lost) and the runs still running after the task's time limit (their
    worker died); rendering is idempotent, so a duplicate does no harm."""
    now = timezone.now()
    stuck_since = now - datetime.timedelta(seconds=RENDER_TIME_LIMIT) - older_than
    stale = ReportRun.objects.filter(
        Q(status=ReportRun.Status.QUEUED, queued_at__lt=now - older_than)
        | Q(status=ReportRun.Status.RUNNING, started_at__lt=stuck_since)
    )
    return sum(report_enqueue(run_id=run_id) for run_id in stale.values_list("pk", flat=True))


def _save(run: ReportRun, content: bytes, extension: str) -> str:
    """Store a file under a name of its own: two attempts never write into one file, and nobody
    reads it before the run names it, once it is whole."""
    name = f"reports/{run.pk}/{run.kind}-{run.period_label}-{uuid.uuid4().hex[:8]}.{extension}"
    return default_storage.save(name, ContentFile(content))


def _start(run_id: int) -> ReportRun | None:
    with transaction.atomic():
        run = ReportRun.objects.select_for_update().get(pk=run_id)
        if run.status == ReportRun.Status.DONE:
            return None
        run.status, run.started_at, run.error = ReportRun.Status.RUNNING, timezone.now(), ""
        run.attempts += 1
        run.save(update_fields=["status", "started_at", "error", "attempts"])
        return run


def report_render(*, run_id: int) -> ReportRun:
    """Render a run: its figures as of the period's end frozen into a snapshot (a regenerated run
    brings its own), the PDF and the XLSX drawn from it and saved, the run marked done. A run
    already done is left alone; a failure is recorded on the run with its error. Transient
    failures are raised as ``TransientReportError`` so that the task retries them."""
    run = _start(run_id)
    if run is None:
        return ReportRun.objects.get(pk=run_id)
    try:
        rendered = render_run(run)
        names = [_save(run, rendered.pdf, "pdf"), _save(run, rendered.xlsx, "xlsx")]
    except Exception as error:
        _fail(run_id, error)
        if isinstance(error, (DatabaseError, OSError)):
            raise TransientReportError(str(error)) from error
        raise
    with transaction.atomic():
        run = ReportRun.objects.select_for_update().get(pk=run_id)
        if run.status == ReportRun.Status.DONE:  # another attempt finished first: keep its files
            for name in names:
                default_storage.delete(name)
            return run
        run.file.name, run.xlsx.name = names
        run.size, run.sha256 = len(rendered.pdf), hashlib.sha256(rendered.pdf).hexdigest()
        run.snapshot, run.snapshot_sha256 = rendered.snapshot, snapshot_hash(rendered.snapshot)
        run.code_version = code_version()
        run.status, run.finished_at = ReportRun.Status.DONE, timezone.now()
        run.full_clean()
        run.save()
        _remove_leftovers(run)
        transaction.on_commit(lambda: report_notify(run=run))
    return run


@transaction.atomic
def report_regenerate(*, run: ReportRun, requested_by=None) -> ReportRun:
    """A new run drawn from ``run``'s stored snapshot, not from today's data: the same figures, with a
    note saying so. The snapshot is checked against its hash first."""
    if run.status != ReportRun.Status.DONE or run.snapshot is None:
        raise ValidationError(_("Only a finished report can be regenerated."))
    if snapshot_hash(run.snapshot) != run.snapshot_sha256:
        raise ValidationError(_("This report's snapshot does not match its checksum; it cannot be regenerated."))
    original = run.regenerated_from or run
    copy = ReportRun.objects.create(
        kind=run.kind,
        period_type=run.period_type,
        period_start=run.period_start,
        building=run.building,
        language=run.language,
        requested_by=requested_by,
        regenerated_from=original,
        snapshot=run.snapshot,
        snapshot_sha256=run.snapshot_sha256,
    )
    transaction.on_commit(lambda: report_enqueue(run_id=copy.pk))
    return copy


def _remove_leftovers(run: ReportRun) -> None:
    """Delete the run's other files: those of attempts whose worker died after writing them."""
    folder = f"reports/{run.pk}"
    _folders, files = default_storage.listdir(folder)
    for name in files:
        if f"{folder}/{name}" not in (run.file.name, run.xlsx.name):
            default_storage.delete(f"{folder}/{name}")


def _fail(run_id: int, error: Exception) -> None:
    detail = "".join(traceback.format_exception_only(type(error), error)).strip()
    ReportRun.objects.filter(pk=run_id).exclude(status=ReportRun.Status.DONE).update(
        status=ReportRun.Status.FAILED, error=detail[:4000], finished_at=timezone.now()
    )


def report_recipients(*, run: ReportRun) -> list:
    """The requester, or for a scheduled run everyone who may download reports."""
    if run.requested_by_id:
        return [run.requested_by]
    return list(
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(user_permissions__codename="download_report")
            | Q(groups__permissions__codename="download_report")
        )
        .distinct()
        .order_by("pk")
    )


def report_notify(*, run: ReportRun) -> None:
    """Tell the report's readers it is ready, through notifications (the bell, and email unless they
    chose otherwise): the link opens its page; the board pack's email carries its PDF."""
    notify(
        event=Event.REPORT_READY,
        context={"run": run},
        users=report_recipients(run=run),
        link=reverse("reports:run", args=[run.pk]),
        staff=False,
        attachment=run.file.name if run.kind == ReportRun.Kind.BOARD else "",
    )


def _previous_period(on: datetime.date, months: int) -> datetime.date:
    first = datetime.date(on.year, on.month, 1)
    if months == 3:
        first = datetime.date(on.year, 3 * ((on.month - 1) // 3) + 1, 1)
    index = first.year * 12 + first.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, 1)


def reports_request_monthly_occupancy(*, on: datetime.date) -> ReportRun:
    """The schedule's monthly run: the whole portfolio's occupancy for the month before ``on``."""
    return report_request(
        kind=ReportRun.Kind.OCCUPANCY, period_type=ReportRun.PeriodType.MONTH, period_start=_previous_period(on, 1)
    )


def reports_request_quarterly_clusters(*, on: datetime.date) -> ReportRun:
    """The schedule's quarterly run: the industry-cluster report for the quarter before ``on``."""
    return report_request(
        kind=ReportRun.Kind.CLUSTERS, period_type=ReportRun.PeriodType.QUARTER, period_start=_previous_period(on, 3)
    )


def reports_request_monthly_board(*, on: datetime.date) -> ReportRun:
    """The schedule's board pack (月度经营报告) for the month before ``on``."""
    return report_request(
        kind=ReportRun.Kind.BOARD, period_type=ReportRun.PeriodType.MONTH, period_start=_previous_period(on, 1)
    )
