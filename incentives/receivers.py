from .services import grants_check_conditions


def conditions_check_on_acceptance(sender, filing, **kwargs):
    """Accepted figures may no longer meet a grant's condition: flag it for staff to decide."""
    grants_check_conditions(company=filing.company, on=filing.period.ends_on)
