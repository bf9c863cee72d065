"""Staff assign many service requests at once: the admin's bulk action asks whom, then assigns."""

import pytest

from notifications.models import Notification
from servicedesk.models import ServiceRequest

pytestmark = pytest.mark.django_db


def test_the_bulk_action_asks_whom_then_assigns_every_open_request(client, world, operations_user):
    requests = [world["a"]["service_request"], world["b"]["service_request"]]
    ServiceRequest.objects.filter(pk=requests[1].pk).update(status="resolved")
    client.force_login(operations_user)
    url = "/admin/servicedesk/servicerequest/"
    chosen = {"action": "assign_requests", "index": "0", "_selected_action": [r.pk for r in requests]}
    page = client.post(url, chosen)
    assert page.status_code == 200 and "assignee" in page.content.decode()
    assert not ServiceRequest.objects.filter(assigned_to__isnull=False).exists()  # nothing yet
    done = client.post(url, {**chosen, "apply": "1", "assignee": operations_user.pk})
    assert done.status_code == 302
    first, resolved = (ServiceRequest.objects.get(pk=r.pk) for r in requests)
    assert (first.assigned_to, first.status) == (operations_user, "assigned")
    assert resolved.assigned_to is None and resolved.status == "resolved"  # closed work is left alone
    assert Notification.objects.filter(recipient=world["a"]["user"], event="request_assigned").exists()
