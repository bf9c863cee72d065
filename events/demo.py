"""Demo halls, the conference of 2025-03-28 and a month of bookings.

The halls' names and the conference (新基建高质量发展大会 with keynotes, signings and a plaque
unveiling) are facts; capacities, prices, times and the other bookings are demo values.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from spaces.models import Unit
from tenants.models import TenantCompany

from .models import Booking, Event, Hall, ProgrammeItem
from .services import booking_approve, booking_record, booking_request, event_save, hall_save, programme_item_save

HALLS = [
    # name, English, kind, unit code, theatre, classroom, banquet, hourly, half day, discount %
    ("多功能厅A", "Multi-function Hall A", Hall.Kind.MULTI_FUNCTION, "0201", 800, 400, 360, "3000", "10000", "20"),
    ("多功能厅B", "Multi-function Hall B", Hall.Kind.MULTI_FUNCTION, "0202", 300, 160, 150, "1500", "5000", "20"),
    ("会议室 203", "Meeting Room 203", Hall.Kind.MEETING_ROOM, "0203", 60, 40, 0, "300", "1000", "30"),
    ("会议室 204", "Meeting Room 204", Hall.Kind.MEETING_ROOM, "0204", 60, 40, 0, "300", "1000", "30"),
    ("创业工坊", "Startup Workshop", Hall.Kind.WORKSHOP, "0301", 120, 80, 0, "500", "1600", "50"),
    ("音乐空间", "Music Space", Hall.Kind.MUSIC_SPACE, "0302", 200, 0, 0, "1200", "4000", "20"),
]
CONFERENCE = "岭南数字创意大厦新基建高质量发展大会"
D, T = datetime.date, datetime.time


def _at(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


def seed_halls() -> dict[str, Hall]:
    halls = {}
    for name, english, kind, unit_code, theatre, classroom, banquet, hourly, half_day, discount in HALLS:
        hall = Hall.objects.filter(name_zh=name).first() or Hall(name_zh=name)
        hall.name_en, hall.kind = english, kind
        hall.unit = Unit.objects.filter(building__code="LDC", code=unit_code).first()
        hall.capacity_theatre, hall.capacity_classroom, hall.capacity_banquet = theatre, classroom, banquet
        hall.hourly_rate, hall.half_day_rate = Decimal(hourly), Decimal(half_day)
        hall.tenant_discount_percent = Decimal(discount)
        hall.equipment = (
            "LED 屏、扩声系统、无线话筒、同声传译间（演示数据）"
            if kind == Hall.Kind.MULTI_FUNCTION
            else "投影、白板（演示数据）"
        )
        halls[name] = hall_save(hall=hall)
    return halls


def seed_conference(*, halls: dict[str, Hall]) -> Event:
    event = Event.objects.filter(title=CONFERENCE).first()
    if event:
        return event
    day = D(2025, 3, 28)
    event = event_save(
        event=Event(
            title=CONFERENCE,
            title_en="New-Infrastructure High-Quality Development Conference of the Lingnan Digital Creative Building",
            capacity=800,
            is_demo=True,
            description="大厦启动招商运营：主旨演讲、首批 12 家战略合作伙伴签约、揭牌仪式。",
        )
    )
    booking_record(
        booking=Booking(
            hall=halls["多功能厅A"],
            organiser=Booking.Organiser.OPERATOR,
            title=CONFERENCE,
            event=event,
            starts_at=_at(day, T(9, 0)),
            ends_at=_at(day, T(12, 30)),
            attendees=600,
            layout=Booking.Layout.THEATRE,
        )
    )
    for start, end, title, speaker in [
        (T(9, 0), T(9, 20), "开幕致辞", "羊城晚报报业集团"),
        (T(9, 20), T(10, 20), "主旨演讲：新基建与数字创意产业高质量发展", "嘉宾（演示数据）"),
        (T(10, 20), T(11, 0), "岭南文化大数据中心发布", "广东岭创数字科技有限公司"),
        (T(11, 0), T(11, 45), "首批 12 家战略合作伙伴签约仪式", "腾讯云、酷狗音乐、招商银行等"),
        (T(11, 45), T(12, 15), "岭南数字创意大厦揭牌仪式", ""),
    ]:
        programme_item_save(
            item=ProgrammeItem(
                event=event, starts_at=_at(day, start), ends_at=_at(day, end), title=title, speaker=speaker
            )
        )
    return event


def seed_bookings(*, halls: dict[str, Hall], month_of: datetime.date) -> None:
    """About forty bookings over the month of ``month_of``: tenants' meetings and launches, the
    operator's programmes, an outside party or two; past ones approved, some future ones awaiting
    approval (demo values)."""
    first = month_of.replace(day=1)
    if Booking.objects.filter(
        starts_at__gte=_at(first, T(0)),
        starts_at__lt=_at(first + datetime.timedelta(31), T(0)),
        title__startswith="【演示】",
    ).exists():
        return
    tenants = list(TenantCompany.objects.filter(status=TenantCompany.Status.TENANT).order_by("name")[:12])
    plans = [
        ("会议室 203", T(10, 0), T(12, 0), "季度经营分析会", 30, Booking.Layout.CLASSROOM),
        ("会议室 204", T(14, 0), T(17, 0), "产品评审会", 25, Booking.Layout.CLASSROOM),
        ("多功能厅B", T(14, 0), T(18, 0), "新品发布会", 200, Booking.Layout.THEATRE),
        ("创业工坊", T(9, 30), T(12, 30), "创业工坊：AI 应用路演", 80, Booking.Layout.CLASSROOM),
        ("音乐空间", T(19, 0), T(21, 30), "音乐空间：原创音乐分享夜", 150, Booking.Layout.THEATRE),
    ]
    day, index = first, 0
    while day.month == first.month:
        if day.weekday() < 5:
            for offset in (0, 2):
                hall_name, start, end, title, attendees, layout = plans[(index + offset) % len(plans)]
                company = tenants[index % len(tenants)] if tenants else None
                operator = hall_name in ("创业工坊", "音乐空间") or company is None
                booking = Booking(
                    hall=halls[hall_name],
                    title=f"【演示】{title}",
                    attendees=attendees,
                    layout=layout,
                    organiser=Booking.Organiser.OPERATOR if operator else Booking.Organiser.TENANT,
                    company=None if operator else company,
                    starts_at=_at(day, start),
                    ends_at=_at(day, end),
                )
                if day < timezone.localdate():
                    booking_record(booking=booking)  # the month's bookings before today, as history
                    continue
                booking = booking_request(booking=booking)
                if index % 3:
                    booking_approve(booking=booking, by=None)
            index += 1
        day += datetime.timedelta(days=1)
