"""Media on S3-compatible object storage, against a real S3 server on loopback (moto's server mode):
a report is stored through the storage API and served through the checking view, which sends the
reader to a link signed for a minute; anonymous users get nothing."""

import hashlib
import socket

import boto3
import pytest
import requests
from moto.server import ThreadedMotoServer

from reports.services import report_render
from tests.factories import ReportRunFactory

pytestmark = pytest.mark.django_db
BUCKET = "parkops-media"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def object_storage(settings):
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    keys = {"aws_access_key_id": "parkops", "aws_secret_access_key": "parkops-secret"}
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **keys)
    s3.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "core.files.PrivateS3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": endpoint,
                "access_key": keys["aws_access_key_id"],
                "secret_key": keys["aws_secret_access_key"],
                "region_name": "us-east-1",
                "default_acl": "private",
                "file_overwrite": False,
                "signature_version": "s3v4",
            },
        },
    }
    yield s3
    server.stop()


def test_a_report_is_stored_in_the_bucket_and_served_by_a_signed_link(object_storage, client, manager_user):
    run = report_render(run_id=ReportRunFactory().pk)  # rendered, then written through the storage API
    stored = object_storage.get_object(Bucket=BUCKET, Key=run.file.name)["Body"].read()
    assert stored.startswith(b"%PDF") and hashlib.sha256(stored).hexdigest() == run.sha256
    workbook = object_storage.get_object(Bucket=BUCKET, Key=run.xlsx.name)["Body"].read()
    assert workbook.startswith(b"PK")  # the XLSX of its tables sits beside it
    assert run.file.url == f"/files/{run.file.name}"

    assert client.get(run.file.url).status_code == 404  # anonymous
    anonymous = requests.get(f"{object_storage.meta.endpoint_url}/{BUCKET}/{run.file.name}", timeout=10)
    assert anonymous.status_code == 403  # the object itself is private

    client.force_login(manager_user)
    answer = client.get(run.file.url)
    assert answer.status_code == 302 and "X-Amz-Signature=" in answer["Location"]
    assert "X-Amz-Expires=60" in answer["Location"]
    assert requests.get(answer["Location"], timeout=10).content == stored
    download = client.get(f"/reports/{run.pk}/download/")  # the named download: signed, as an attachment
    assert download.status_code == 302
    fetched = requests.get(download["Location"], timeout=10)
    assert fetched.content == stored
    assert fetched.headers["Content-Disposition"] == f"attachment; filename*=UTF-8''occupancy-2026-10-{run.pk}.pdf"
