from django.core.exceptions import ValidationError


class Conflict(ValidationError):
    """A write refused because another row already holds the slot (a unit, a hall): HTTP 409 in the API."""
