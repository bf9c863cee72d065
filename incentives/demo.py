"""Demo incentives: a rent reduction for digital-music companies whose tax reaches a threshold,
granted to those eligible, and a headcount quota of talent-apartment beds granted to one company."""

import datetime
from decimal import Decimal

from tenants.models import IndustryCluster, TenantCompany

from .models import IncentiveGrant, IncentivePolicy
from .services import eligibility, grant_create, grant_credits_apply


def seed_incentives(*, on: datetime.date) -> list[IncentiveGrant]:
    if IncentivePolicy.objects.exists():
        return list(IncentiveGrant.objects.all())
    rent = IncentivePolicy.objects.create(
        name_zh="数字产业企业租金减免（首年七折）",
        name_en="Digital-industry rent reduction (30 % off in year one)",
        kind=IncentivePolicy.Kind.RENT_REDUCTION,
        description="近四个季度纳税额合计达到 40 万元的数字音乐、游戏动漫企业，首年租金减免 30%。",
        reduction_percent=Decimal("30"),
        months=12,
        indicator_code="tax",
        threshold=Decimal("40"),
        quarters_counted=4,
    )
    rent.clusters.set(IndustryCluster.objects.filter(code__in=["digital-music", "games-animation"]))
    quota = IncentivePolicy.objects.create(
        name_zh="人才公寓配额（每 20 名员工 1 个床位）",
        name_en="Talent-apartment quota (one bed per 20 employees)",
        kind=IncentivePolicy.Kind.APARTMENT_QUOTA,
        employees_per_bed=20,
        max_beds=10,
    )
    starts_on = on.replace(day=1)
    grants = []
    tenants = TenantCompany.objects.filter(status=TenantCompany.Status.TENANT).select_related("primary_cluster")
    for company in tenants.order_by("name"):
        if len(grants) < 2 and eligibility(policy=rent, company=company, on=starts_on).eligible:
            grant = grant_create(policy=rent, company=company, starts_on=starts_on)
            grant_credits_apply(grant=grant, on=on)
            grants.append(grant)
    for company in tenants.order_by("-headcount"):
        if eligibility(policy=quota, company=company, on=starts_on).eligible:
            grants.append(grant_create(policy=quota, company=company, starts_on=starts_on))
            break
    return grants
