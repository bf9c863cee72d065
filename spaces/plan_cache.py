"""The stacking plan's markup, cached per building, day, colouring and language.

A plan of 1,200 units takes about 100 ms to query and render, and staff open the same few plans
all day while they change a few times a day. Every committed change to what a plan shows (a
building, floor, unit, lease, the units a lease holds, a tenant, a cluster) stamps a new generation
of plans; markup is cached under the generation it was rendered in, so after a change every plan is
rendered afresh on its next view. The generation lives in the database beside the data, so it is
right whatever cache holds the markup, one Redis for all workers or a memory cache per process,
and whether or not Redis is reachable (then every view renders).

Writes that bypass model signals (``QuerySet.update``, ``bulk_create``) must call
``stacking_plans_changed`` themselves.
"""

import datetime
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from tenants.models import IndustryCluster, TenantCompany

from .models import Building, CacheGeneration, Floor, Unit
from .selectors import stacking_plan

GENERATION = "stacking-plan"
# Leases are named by label: the leases app builds on this one, not the other way round.
SHOWN_MODELS = (Building, Floor, Unit, "leases.Lease", "leases.LeaseUnit", TenantCompany, IndustryCluster)


def stacking_plans_changed() -> None:
    """Stamp a new generation of plans once the current transaction commits (at once outside one)."""
    transaction.on_commit(_new_generation, robust=True)


def _new_generation() -> None:
    CacheGeneration.objects.update_or_create(name=GENERATION, defaults={"token": uuid.uuid4()})


def stacking_plan_markup(*, building: Building, on: datetime.date, colour_by: str) -> SafeString:
    """The plan's summary, legend and floors as HTML, from the cache when nothing has changed since."""
    # The generation is read before the data: a change committed after this read stamps a newer
    # generation, so markup rendered from older data is never stored under the current one.
    token = CacheGeneration.objects.filter(name=GENERATION).values_list("token", flat=True).first()
    key = f"stacking-plan:{token}:{building.pk}:{on.isoformat()}:{colour_by}:{get_language()}"
    markup = cache.get(key) if token else None
    if markup is None:
        markup = render_to_string(
            "admin/spaces/building/stacking_plan_body.html",
            {
                "plan": stacking_plan(building=building, on=on),
                "colour_by": colour_by,
                "clusters": IndustryCluster.objects.all(),
                "statuses": Unit.Status,
            },
        )
        if token:
            cache.set(key, markup, settings.STACKING_PLAN_CACHE_SECONDS)
    return mark_safe(markup)  # rendered by the template engine, which escaped what it had to


def _changed(sender, **kwargs) -> None:
    stacking_plans_changed()


def connect_signals() -> None:
    for model in SHOWN_MODELS:
        label = model if isinstance(model, str) else model._meta.label
        post_save.connect(_changed, sender=model, dispatch_uid=f"stacking-plan-save-{label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"stacking-plan-delete-{label}")
    m2m_changed.connect(_changed, sender="leases.LeaseUnit", dispatch_uid="stacking-plan-lease-units")
