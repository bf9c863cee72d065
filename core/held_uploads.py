"""Photos a form accepted while another of its fields was wrong, kept for the next try so that
nobody has to pick them again. They are checked and re-encoded first (``core.uploads``), stored
privately under ``held/<user pk>/`` with names of ours, and named in a hidden field; only the
user who uploaded them can take them back. A user's held files older than a day are deleted the
next time they hold any."""

import datetime
import uuid
from pathlib import PurePath

from django.core.files.storage import default_storage
from django.utils import timezone

from .uploads import reencoded_image, validate_image_upload

FOLDER = "held"
KEEP = datetime.timedelta(days=1)


def _folder(user) -> str:
    return f"{FOLDER}/{user.pk}"


def _prune(user) -> None:
    folder = _folder(user)
    if not default_storage.exists(folder):
        return
    _dirs, files = default_storage.listdir(folder)
    for name in files:
        path = f"{folder}/{name}"
        if default_storage.get_modified_time(path) < timezone.now() - KEEP:
            default_storage.delete(path)


def uploads_hold(photos, *, user) -> list[str]:
    """Check and keep ``photos``; returns their stored names. A photo that is no image raises."""
    _prune(user)
    names = []
    for photo in photos:
        validate_image_upload(photo)
        content = reencoded_image(photo)
        names.append(
            default_storage.save(f"{_folder(user)}/{uuid.uuid4().hex}{PurePath(content.name).suffix}", content)
        )
    return names


def held_names(text: str, *, user) -> list[str]:
    """The names in a hidden field's ``text`` that are this user's held files (others are ignored)."""
    prefix = f"{_folder(user)}/"
    return [
        name
        for name in dict.fromkeys(part.strip() for part in (text or "").split(","))
        if name.startswith(prefix) and "/.." not in name and default_storage.exists(name)
    ]


def uploads_take(names: list[str]):
    """The held files, opened for reading, named as they were stored."""
    return [default_storage.open(name, "rb") for name in names]


def uploads_release(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)
