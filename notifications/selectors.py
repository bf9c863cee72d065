"""Reads of people's notifications."""

from .models import Notification


def inbox_for(user):
    return Notification.objects.filter(recipient=user, in_inbox=True).order_by("-created_at", "-pk")


def unread_count(user) -> int:
    return inbox_for(user).filter(read_at__isnull=True).count()
