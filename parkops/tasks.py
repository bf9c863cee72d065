from celery import shared_task


@shared_task(name="parkops.ping")
def ping() -> str:
    """A task with no side effect, to prove that a worker takes work from the broker."""
    return "pong"
