"""Demo logins: one per staff role."""

from django.contrib.auth import get_user_model
from django.db import transaction

from .roles import MANAGERS, OPERATIONS, roles_ensure

DEMO_ACCOUNTS = [
    # username, role shown in the README and at the end of seed_demo, superuser, group
    ("admin", "superuser: everything", True, None),
    ("manager", "manager: reads everything, downloads reports", False, MANAGERS),
    ("staff", "operations staff: runs the tower day to day", False, OPERATIONS),
]


@transaction.atomic
def seed_accounts(*, password: str) -> list[tuple[str, str]]:
    groups = roles_ensure()
    user_model = get_user_model()
    for username, _, is_superuser, group in DEMO_ACCOUNTS:
        user, _created = user_model.objects.get_or_create(
            username=username, defaults={"email": f"{username}@parkops.example"}
        )
        user.is_staff, user.is_superuser, user.is_active = True, is_superuser, True
        if not user.check_password(password):
            user.set_password(password)
        user.save()
        user.groups.set([groups[group]] if group else [])
    return [(username, role) for username, role, *_ in DEMO_ACCOUNTS]
