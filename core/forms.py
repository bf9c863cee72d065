"""Form helpers shared by the admin and the portal."""

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has one, else on top."""
    errors = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
    for field, messages in errors.items():
        form.add_error(field if field in form.fields else None, messages)
