"""Thin Celery tasks over the notification services."""

from celery import shared_task

from . import services


@shared_task(name="notifications.delivery_send")
def delivery_send(delivery_id: int) -> str | None:
    delivery = services.delivery_send(delivery_id=delivery_id)
    return delivery.status if delivery else None


@shared_task(name="notifications.deliveries_send_due")
def deliveries_send_due() -> int:
    return services.deliveries_send_due()


@shared_task(name="notifications.deliveries_prune")
def deliveries_prune() -> int:
    return services.deliveries_prune()
