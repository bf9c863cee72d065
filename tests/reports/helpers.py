"""Leases for the report tests."""

import datetime

from leases.services import lease_create, lease_sign
from tests.factories import TenantCompanyFactory


def signed(number, units, starts_on, ends_on, tenant=None, **terms):
    lease = lease_create(
        number=number,
        tenant=tenant or TenantCompanyFactory(),
        units=units,
        starts_on=starts_on,
        ends_on=ends_on,
        **terms,
    )
    return lease_sign(lease=lease, signed_on=starts_on - datetime.timedelta(days=20))
