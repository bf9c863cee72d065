"""Writes to service requests (报修 / 服务): filing, handling, comments and rating."""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.uploads import reencoded_image
from notifications.events import Event
from notifications.services import notify
from spaces.models import Unit
from tenants.models import TenantCompany
from tenants.selectors import company_recipients

from .models import ServiceRequest, ServiceRequestComment, ServiceRequestPhoto

MAX_PHOTOS = 5


@transaction.atomic
def service_request_file(
    *,
    company: TenantCompany,
    unit: Unit,
    category: str,
    priority: str,
    description: str,
    photos: Sequence[UploadedFile] = (),
    requested_by=None,
) -> ServiceRequest:
    """File a request about one of the company's units, with up to five photos (checked by content)."""
    if not Unit.objects.held_by(company_id=company.pk, on=timezone.localdate()).filter(pk=unit.pk).exists():
        raise ValidationError({"unit": _("Choose one of your company's units.")})
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("Attach at most %(count)d photos.") % {"count": MAX_PHOTOS}})
    request = ServiceRequest(
        company=company,
        unit=unit,
        category=category,
        priority=priority,
        description=description,
        requested_by=requested_by,
    )
    request.full_clean()
    request.save()
    for upload in photos:
        photo = ServiceRequestPhoto(request=request, image=upload)
        try:
            photo.full_clean()
        except ValidationError as error:
            raise ValidationError({"photos": [f"{upload.name}: {message}" for message in error.messages]}) from error
        photo.image = reencoded_image(upload)  # only the pixels are stored, under a name of ours
        photo.save()
    _tell(request, Event.REQUEST_FILED, actor=requested_by)
    return request


def _tell(request: ServiceRequest, event: str, actor=None, **context) -> None:
    """News of a request goes to its company (admins and who filed it) and to the staff on duty."""
    users = company_recipients(request.company, also=[request.requested_by])
    notify(
        event=event,
        context={"request": request, **context},
        users=[user for user in users if not user.is_staff],
        link=reverse("portal:service_request", args=[request.pk]),
        staff_link=reverse("admin:servicedesk_servicerequest_change", args=[request.pk]),
        actor=actor,
    )


@transaction.atomic
def service_request_comment(*, request: ServiceRequest, author, body: str, from_staff: bool) -> ServiceRequestComment:
    comment = ServiceRequestComment(request=request, author=author, body=body.strip(), from_staff=from_staff)
    comment.full_clean()
    comment.save()
    if from_staff and request.responded_at is None:
        ServiceRequest.objects.filter(pk=request.pk).update(responded_at=timezone.now())
    _tell(request, Event.REQUEST_COMMENTED, actor=author, comment=comment)
    return comment


@transaction.atomic
def service_request_save(*, request: ServiceRequest) -> ServiceRequest:
    """Staff move a request along; the first change out of 'open' is the response, 'resolved' the resolution."""
    now = timezone.now()
    before = ServiceRequest.objects.filter(pk=request.pk).values("assigned_to_id", "status").first() or {}
    if request.status != ServiceRequest.Status.OPEN and request.responded_at is None:
        request.responded_at = now
    if request.status in (ServiceRequest.Status.RESOLVED, ServiceRequest.Status.CLOSED) and request.resolved_at is None:
        request.resolved_at = now
    request.full_clean()
    request.save()
    if request.assigned_to_id and request.assigned_to_id != before.get("assigned_to_id"):
        _tell(request, Event.REQUEST_ASSIGNED)
    if request.status == ServiceRequest.Status.RESOLVED and before.get("status") != ServiceRequest.Status.RESOLVED:
        _tell(request, Event.REQUEST_RESOLVED)
    return request


@transaction.atomic
def service_requests_assign(*, requests, assignee) -> int:
    """Assign each request to ``assignee`` (staff); an open one becomes assigned. Closed and resolved
    requests are left as they are. Returns how many were assigned."""
    assigned = 0
    for request in requests:
        if request.status in (ServiceRequest.Status.RESOLVED, ServiceRequest.Status.CLOSED):
            continue
        request.assigned_to = assignee
        if request.status == ServiceRequest.Status.OPEN:
            request.status = ServiceRequest.Status.ASSIGNED
        service_request_save(request=request)
        assigned += 1
    return assigned


@transaction.atomic
def service_request_rate(*, request: ServiceRequest, rating: int) -> ServiceRequest:
    request = ServiceRequest.objects.select_for_update().get(pk=request.pk)
    if request.status not in (ServiceRequest.Status.RESOLVED, ServiceRequest.Status.CLOSED):
        raise ValidationError({"rating": _("A request can be rated once it is resolved.")})
    request.rating = rating
    request.full_clean()
    request.save(update_fields=["rating"])
    return request


@transaction.atomic
def service_request_cancel(*, request: ServiceRequest) -> ServiceRequest:
    """The tenant withdraws a request nobody has picked up yet; it is closed."""
    request = ServiceRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != ServiceRequest.Status.OPEN:
        raise ValidationError({"status": _("Only an open request can be cancelled; ask the operator instead.")})
    request.status = ServiceRequest.Status.CLOSED
    request.save(update_fields=["status"])
    return request
