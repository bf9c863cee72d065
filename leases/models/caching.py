import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class CacheGeneration(models.Model):
    """The current generation of a family of cached markup (see ``leases.plan_cache``).

    A random token rather than a counter: a database restored from a backup must never meet
    markup cached under the same generation in another timeline.
    """

    name = models.CharField(_("name"), max_length=40, primary_key=True)
    token = models.UUIDField(_("token"), default=uuid.uuid4)

    class Meta:
        verbose_name = _("cache generation")
        verbose_name_plural = _("cache generations")

    def __str__(self) -> str:
        return f"{self.name}: {self.token}"
