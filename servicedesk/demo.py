"""Demo service requests: a few tenants' repairs and cleaning, open, assigned and resolved."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from spaces.models import Unit
from tenants.models import TenantCompany

from .models import ServiceRequest
from .services import service_request_comment, service_request_file, service_request_save, service_requests_assign

# (company's short name, category, priority, description, what staff have done so far)
DEMO_REQUESTS = [
    ("酷狗音乐", "repair", "high", "录音棚空调不制冷，室温已到 29 ℃。", "assigned"),
    ("酷狗音乐", "access_card", "normal", "新入职三名员工，需要办理门禁卡。", "resolved"),
    ("酷狗音乐", "cleaning", "low", "会议室地毯有咖啡渍，请安排清洗。", "open"),
    ("腾讯云", "it", "normal", "机房弱电井网络跳线松动，偶发断网。", "assigned"),
    ("映宇宙", "repair", "normal", "卫生间水龙头漏水。", "resolved"),
]


@transaction.atomic
def seed_service_requests() -> None:
    """Idempotent: a request already filed with the same description is left as it is."""
    staff = get_user_model().objects.get(username="staff")
    today = timezone.localdate()
    for short_name, category, priority, description, progress in DEMO_REQUESTS:
        company = TenantCompany.objects.get(short_name=short_name)
        if ServiceRequest.objects.filter(company=company, description=description).exists():
            continue
        unit = Unit.objects.held_by(company_id=company.pk, on=today).order_by("code").first()
        if unit is None:
            continue
        requester = company.memberships.filter(role="admin").select_related("user").first()
        request = service_request_file(
            company=company,
            unit=unit,
            category=category,
            priority=priority,
            description=description,
            requested_by=requester.user if requester else None,
        )
        if progress in ("assigned", "resolved"):
            service_requests_assign(requests=[request], assignee=staff)
        if progress == "resolved":
            request.refresh_from_db()
            service_request_comment(request=request, author=staff, body="已处理完毕，请确认。", from_staff=True)
            request.status = ServiceRequest.Status.RESOLVED
            service_request_save(request=request)
