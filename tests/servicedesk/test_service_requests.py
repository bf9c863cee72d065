"""Service requests: photos are judged by their content and stored as pixels under names of ours;
descriptions have one length limit everywhere, down to the database."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from PIL import Image

from servicedesk.models import ServiceRequest, ServiceRequestPhoto
from servicedesk.services import service_request_file

pytestmark = pytest.mark.django_db


def image_bytes(kind: str = "PNG", size=(4, 3)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=kind)
    return buffer.getvalue()


def file_request(world, *photos):
    return service_request_file(
        company=world["a"]["company"],
        unit=world["a"]["unit"],
        category="repair",
        priority="normal",
        description="窗户漏水",
        photos=list(photos),
    )


def test_a_photo_is_stored_re_encoded_under_a_name_of_its_own(world):
    trailer = b"<html><script>alert(document.cookie)</script></html>"
    upload = SimpleUploadedFile("../evil.html", image_bytes("PNG") + trailer, content_type="text/html")
    photo = file_request(world, upload).photos.get()
    stored = photo.image.read()
    assert photo.image.name.endswith(".png") and "evil" not in photo.image.name
    assert trailer not in stored and Image.open(io.BytesIO(stored)).size == (4, 3)
    jpeg = file_request(world, SimpleUploadedFile("photo.png", image_bytes("JPEG"))).photos.get()
    assert jpeg.image.name.endswith(".jpg")  # the extension follows the content, not the name


def test_a_header_without_an_image_behind_it_is_refused_and_nothing_is_written(world):
    before = (ServiceRequest.objects.count(), ServiceRequestPhoto.objects.count())
    for content in (b"\xff\xd8\xff\xe0" + b"<html>not a photo</html>" * 20, image_bytes("PNG")[:40], b"GIF89a...."):
        with pytest.raises(ValidationError, match="Photos must be JPEG, PNG or WebP images"):
            file_request(world, SimpleUploadedFile("photo.jpg", content, content_type="image/jpeg"))
    assert (ServiceRequest.objects.count(), ServiceRequestPhoto.objects.count()) == before


def test_the_database_refuses_a_description_over_the_limit_when_the_service_is_bypassed(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceRequest.objects.create(
            company=world["a"]["company"], unit=world["a"]["unit"], category="repair", description="漏" * 4001
        )
