from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncentivesConfig(AppConfig):
    name = "incentives"
    verbose_name = _("Incentive policies")

    def ready(self):
        from filings.services import filing_accepted

        from . import receivers

        filing_accepted.connect(receivers.conditions_check_on_acceptance, dispatch_uid="incentives-conditions")
