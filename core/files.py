"""Private files. Nothing under ``MEDIA_ROOT`` is served directly: the default storage's URLs point
at ``/files/<name>``, a view that serves a file only to staff holding the permission its app named
for it, or to a tenant user whose company owns it (the app's own check), and to nobody else.
Behind nginx the view answers with ``X-Accel-Redirect`` to an internal location
(``PARKOPS_MEDIA_ACCEL_PREFIX``) and nginx sends the bytes; in the demo Django sends them."""

import mimetypes
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from storages.backends.s3 import S3Storage


@dataclass(frozen=True)
class PrivateFiles:
    prefix: str
    permission: str
    tenant_owns: Callable[[object, str], bool] | None = None


_REGISTRY: list[PrivateFiles] = []


def private_files_register(prefix: str, *, permission: str, tenant_owns: Callable[[object, str], bool] | None = None):
    """Declare the files stored under ``prefix``: staff read them with ``permission``; a tenant user
    reads one when ``tenant_owns(user, name)`` says their company owns it."""
    _REGISTRY.append(PrivateFiles(prefix, permission, tenant_owns))


def private_files_for(name: str) -> PrivateFiles | None:
    return next((entry for entry in _REGISTRY if name.startswith(entry.prefix)), None)


def may_read(user, name: str) -> bool:
    entry = private_files_for(name)
    if entry is None or not user.is_authenticated or not user.is_active or ".." in name.split("/"):
        return False
    if user.is_staff:
        return user.has_perm(entry.permission)
    return entry.tenant_owns is not None and entry.tenant_owns(user, name)


class PrivateStorage(FileSystemStorage):
    """The local disk, with every file's URL the checking view's."""

    def url(self, name):
        return reverse("private_file", args=[name])


class PrivateS3Storage(S3Storage):
    """S3-compatible object storage (several web hosts and workers share it), private objects, and
    every file's URL the checking view's; the view then sends the reader to a link signed for a
    minute (``signed_url``)."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        return reverse("private_file", args=[name])

    def signed_url(self, name: str, *, download_name: str | None = None) -> str:
        parameters = None
        if download_name:
            parameters = {"ResponseContentDisposition": f"attachment; filename*=UTF-8''{quote(download_name)}"}
        return super().url(name, parameters=parameters, expire=60)


def file_response(name: str, *, download_name: str | None = None) -> HttpResponse:
    """The stored file ``name``: from object storage by a link signed for a minute; from local disk
    handed to nginx by ``X-Accel-Redirect`` in production, or sent by Django."""
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    signed_url = getattr(default_storage, "signed_url", None)  # object storage
    if signed_url is not None:
        return HttpResponseRedirect(signed_url(name, download_name=download_name))
    prefix = settings.PARKOPS_MEDIA_ACCEL_PREFIX
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(name)
        if download_name:
            response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(download_name)}"
        return response
    if not default_storage.exists(name):
        raise Http404
    return FileResponse(
        default_storage.open(name, "rb"),
        content_type=content_type,
        as_attachment=bool(download_name),
        filename=download_name or "",
    )


def private_file(request, name: str):
    """Serve ``name`` to who may read it; anyone else — anonymous, another company, staff without
    the permission — gets 404, which says nothing of whether it exists."""
    if not may_read(request.user, name):
        raise Http404
    response = file_response(name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
