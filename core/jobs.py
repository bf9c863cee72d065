"""Handing work to the Celery workers by the task's name.

A task module imports the service it calls; a service that queues a task names it instead of
importing it, so that no import runs the other way round. The shell imports every app's tasks
when Django starts (``parkops.apps``), so every task is known by its name in every process.
"""

from celery import current_app


def job_queue(task_name: str, *args) -> None:
    """Queue ``task_name`` with ``args`` (run at once where Celery is eager)."""
    current_app.tasks[task_name].delay(*args)
