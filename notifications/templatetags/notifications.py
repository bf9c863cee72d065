from django import template

from notifications.selectors import unread_count

register = template.Library()


@register.simple_tag
def unread_notifications(user) -> int:
    """The bell's count: one query, only on the pages that show the bell."""
    return unread_count(user) if user.is_authenticated else 0
