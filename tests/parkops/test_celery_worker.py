import os

import pytest

from parkops.tasks import ping
from tests.conftest import requires_redis


@requires_redis
@pytest.mark.django_db
@pytest.mark.real_clock
def test_a_real_worker_runs_a_task_through_redis(celery_worker_queue, settings):
    assert settings.CELERY_BROKER_URL == os.environ["REDIS_URL"]
    result = ping.apply_async(queue=celery_worker_queue)
    assert result.get(timeout=60) == "pong"
    assert result.successful()


def test_without_redis_tasks_run_eagerly_in_process(settings):
    assert settings.CELERY_TASK_ALWAYS_EAGER is True
    assert ping.delay().get() == "pong"
