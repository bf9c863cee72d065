"""The one way ParkOps tells people something: ``notify`` writes, in the same transaction as what
happened, each recipient's inbox copy and every delivery their channels and the event's robots
call for; after commit the deliveries go to the workers. A request never waits on a channel, and
a channel that is down never fails it: deliveries stay queued and ``deliveries_send_due`` retries
them with backoff, a bounded number of times."""

import contextvars
import datetime
import logging
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.template import Context
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import RedisError

from core.jobs import job_queue

from .channels import SENDERS, ChannelError, ChannelOff, RateLimited, robot_config
from .events import DEFAULT_CHANNELS, PERSONAL_CHANNELS, Channel, Event
from .models import Contact, Delivery, Notification, Preference, RobotRoute, StaffDuty

logger = logging.getLogger(__name__)

BACKOFF_MINUTES = (1, 5, 30, 120, 720)  # after the 1st, 2nd… failed attempt
STUCK_AFTER = datetime.timedelta(minutes=10)  # a delivery "sending" this long lost its worker


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


def render(event: str, context: dict, language: str) -> Rendered:
    """The event's template in ``language``: its first line is the subject, the rest the text.
    Plain text, not HTML: nothing is escaped here (the email's HTML part escapes it)."""
    template = get_template(f"notifications/events/{event}.txt").template
    with translation.override(language):
        text = template.render(Context(context, autoescape=False)).strip()
    subject, _newline, body = text.partition("\n")
    return Rendered(subject.strip()[:200], body.strip())


def channels_for(user, event: str, preferences: dict[tuple[int, str], Preference]) -> set[str]:
    chosen = preferences.get((user.pk, event))
    if chosen is None:
        return set(DEFAULT_CHANNELS[event])
    return {channel for channel in PERSONAL_CHANNELS if getattr(chosen, channel)}


def staff_on_duty(event: str):
    groups = StaffDuty.objects.filter(event=event).values("group")
    return get_user_model().objects.filter(is_active=True, is_staff=True, groups__in=groups).distinct()


_quiet = contextvars.ContextVar("notifications_quiet", default=False)


@contextmanager
def quietly():
    """Write what happens into people's inboxes, but send nothing (no email, SMS or robot message):
    for loading history (the demo, an import of past records) that nobody needs to be told again."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


@dataclass(frozen=True)
class News:
    """One happening to tell: the template's ``context``, the tenant users it concerns, the page a
    tenant opens (``link``) and the admin's (``staff_link``, for staff and robots), and who made it
    happen (``actor``, never told)."""

    context: dict
    users: tuple = ()
    link: str = ""
    staff_link: str = ""
    actor: object = None
    attachment: str = ""  # a stored file's name, attached to the emails (a report's PDF, say)


def notify(
    *,
    event: str,
    context: dict,
    users: Iterable = (),
    link: str = "",
    staff_link: str = "",
    staff: bool = True,
    actor=None,
    attachment: str = "",
) -> list[Delivery]:
    """Tell ``users`` (tenant users, chosen by the caller), the staff on duty for ``event`` (unless
    ``staff`` is false) and the robots routed to it; never the ``actor`` who made it happen.
    ``attachment`` names a stored file the emails carry. Returns the deliveries."""
    news = News(
        context=context, users=tuple(users), link=link, staff_link=staff_link, actor=actor, attachment=attachment
    )
    return notify_each(event=event, news=[news], staff=staff)


@transaction.atomic
def notify_each(*, event: str, news: Iterable[News], staff: bool = True) -> list[Delivery]:
    """``notify`` for many happenings of one event (a day's bills, say): who is on duty, the robots,
    preferences and contacts are read once for all of them."""
    Event(event)  # an unknown event is a programming error: fail loudly
    news = list(news)
    on_duty = list(staff_on_duty(event)) if staff and news else []
    everyone = {user.pk: user for item in news for user in item.users if user is not None and user.is_active}
    everyone.update({user.pk: user for user in on_duty})
    preferences = {
        (row.user_id, row.event): row for row in Preference.objects.filter(user_id__in=everyone, event=event)
    }
    contacts = {row.user_id: row for row in Contact.objects.filter(user_id__in=everyone)}
    robots = list(RobotRoute.objects.filter(event=event).values_list("robot", flat=True)) if news else []
    now = timezone.now()
    notifications: list[tuple[Notification, dict, Rendered]] = []  # each with its addresses and text
    deliveries = []
    for item in news:
        texts: dict[str, Rendered] = {}  # one rendering per language, however many are told

        def text(language: str, item=item, texts=texts) -> Rendered:
            if language not in texts:
                texts[language] = render(event, item.context, language)
            return texts[language]

        recipients = {user.pk: user for user in item.users if user is not None and user.is_active}
        recipients.update({user.pk: user for user in on_duty})
        if item.actor is not None:
            recipients.pop(item.actor.pk, None)
        for user in recipients.values():
            contact = contacts.get(user.pk)
            message = text(contact.language if contact else settings.LANGUAGE_CODE)
            channels = channels_for(user, event, preferences)
            notification = Notification(
                recipient=user,
                event=event,
                subject=message.subject,
                body=message.body,
                link=(item.staff_link or item.link) if user.is_staff else item.link,
                in_inbox=Channel.IN_APP in channels,
            )
            addresses = {Channel.EMAIL: user.email, Channel.SMS: contact.mobile if contact else ""}
            chosen = {channel: addresses[channel] for channel in (Channel.EMAIL, Channel.SMS) if channel in channels}
            notifications.append((notification, {c: a for c, a in chosen.items() if a}, message, item.attachment))
        if robots:
            message = text(settings.LANGUAGE_CODE)
            deliveries += [
                Delivery(
                    event=event,
                    channel=(robot_config(robot) or {}).get("kind", Channel.WECOM),
                    robot=robot,
                    address=robot,
                    subject=message.subject,
                    body=message.body,
                    link=item.staff_link or item.link,
                    next_attempt_at=now,
                )
                for robot in robots
            ]
    Notification.objects.bulk_create([notification for notification, _addresses, _message, _file in notifications])
    deliveries += [
        Delivery(
            event=event,
            channel=channel,
            notification=notification,
            address=address,
            subject=message.subject,
            body=message.body,
            link=notification.link,
            attachment=attachment if channel == Channel.EMAIL else "",
            next_attempt_at=now,
        )
        for notification, addresses, message, attachment in notifications
        for channel, address in addresses.items()
    ]
    if _quiet.get():
        deliveries = []
    deliveries = Delivery.objects.bulk_create(deliveries)
    ids = [delivery.pk for delivery in deliveries]
    if ids:
        transaction.on_commit(lambda: deliveries_enqueue(ids))
    return deliveries


def deliveries_enqueue(ids: list[int]) -> None:
    """Hand deliveries to the workers; with the broker down they wait for ``deliveries_send_due``."""
    for pk in ids:
        try:
            job_queue("notifications.delivery_send", pk)
        except (KombuOperationalError, RedisError, OSError):
            logger.warning("Delivery %s stays queued: the broker is unreachable.", pk, exc_info=True)
            return


def delivery_send(*, delivery_id: int) -> Delivery | None:
    """Send one queued delivery whose time has come; record what happened. Another worker holding
    it, or a delivery already sent, makes this do nothing."""
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(pk=delivery_id, status=Delivery.Status.QUEUED, next_attempt_at__lte=now)
            .first()
        )
        if delivery is None:
            return None
        delivery.status = Delivery.Status.SENDING
        delivery.save(update_fields=["status"])
    try:
        detail = SENDERS[delivery.channel](delivery)
    except ChannelOff as off:
        delivery.status, delivery.last_error = Delivery.Status.OFF, str(off)[:500]
    except RateLimited as limited:
        delivery.status, delivery.last_error = Delivery.Status.QUEUED, str(limited)[:500]
        delivery.next_attempt_at = timezone.now() + datetime.timedelta(seconds=max(limited.wait, 1))
    except ChannelError as error:
        delivery.attempts += 1
        delivery.last_error = str(error)[:500]
        if delivery.attempts >= settings.PARKOPS_NOTIFY_MAX_ATTEMPTS:
            delivery.status = Delivery.Status.FAILED
        else:
            delivery.status = Delivery.Status.QUEUED
            wait = BACKOFF_MINUTES[min(delivery.attempts, len(BACKOFF_MINUTES)) - 1]
            delivery.next_attempt_at = timezone.now() + datetime.timedelta(minutes=wait)
    else:
        delivery.attempts += 1
        delivery.status, delivery.sent_at, delivery.detail, delivery.last_error = (
            Delivery.Status.SENT,
            timezone.now(),
            detail,
            "",
        )
    delivery.save(update_fields=["status", "attempts", "next_attempt_at", "last_error", "sent_at", "detail"])
    return delivery


def deliveries_send_due(*, now: datetime.datetime | None = None) -> int:
    """Queue every delivery whose next attempt is due (retries, rate-limited ones, those the broker
    missed) and free those a dead worker left "sending". Returns how many were queued."""
    now = now or timezone.now()
    Delivery.objects.filter(status=Delivery.Status.SENDING, next_attempt_at__lt=now - STUCK_AFTER).update(
        status=Delivery.Status.QUEUED
    )
    ids = list(
        Delivery.objects.filter(status=Delivery.Status.QUEUED, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:1000]
    )
    deliveries_enqueue(ids)
    return len(ids)


@transaction.atomic
def delivery_resend(*, delivery: Delivery) -> Delivery:
    """Staff send a failed (or sent) delivery again: a new delivery, so the log keeps the old one."""
    if delivery.status in (Delivery.Status.QUEUED, Delivery.Status.SENDING):
        raise ValidationError(_("This delivery is still on its way."))
    again = Delivery.objects.create(
        event=delivery.event,
        channel=delivery.channel,
        notification=delivery.notification,
        robot=delivery.robot,
        address=delivery.address,
        subject=delivery.subject,
        body=delivery.body,
        link=delivery.link,
        next_attempt_at=timezone.now(),
    )
    transaction.on_commit(lambda: deliveries_enqueue([again.pk]))
    return again


def deliveries_prune(*, now: datetime.datetime | None = None) -> int:
    """Delete delivery log rows and read notifications older than ``PARKOPS_NOTIFY_LOG_DAYS``."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.PARKOPS_NOTIFY_LOG_DAYS)
    removed, _counts = (
        Delivery.objects.filter(created_at__lt=cutoff)
        .exclude(status__in=[Delivery.Status.QUEUED, Delivery.Status.SENDING])
        .delete()
    )
    Notification.objects.filter(created_at__lt=cutoff).filter(Q(read_at__isnull=False) | Q(in_inbox=False)).delete()
    return removed


def notifications_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark a person's notifications read: the ones named, or all."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


@transaction.atomic
def preferences_save(*, user, chosen: dict[str, set[str]], mobile: str | None = None, language: str | None = None):
    """Save a person's channels for each event (``chosen[event]`` ⊆ in_app, email, sms), and their
    mobile number and language. SMS needs a mobile number."""
    contact, _created = Contact.objects.get_or_create(user=user)
    if mobile is not None:
        contact.mobile = mobile.strip()
    if language is not None:
        contact.language = language
    contact.full_clean(exclude=["user"])
    contact.save()
    if any(Channel.SMS in channels for channels in chosen.values()) and not contact.mobile:
        raise ValidationError({"mobile": _("Give a mobile number to receive SMS.")})
    for event, channels in chosen.items():
        Event(event)
        Preference.objects.update_or_create(
            user=user,
            event=event,
            defaults={channel: channel in channels for channel in PERSONAL_CHANNELS},
        )
    return contact
