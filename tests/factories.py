from decimal import Decimal

import factory

from spaces.models import Building, Floor, Unit
from tenants.models import IndustryCluster, TenantCompany
from tenants.validators import credit_code_check_character


def valid_credit_code(number: int) -> str:
    body = f"91440101{number:09d}"
    return body + credit_code_check_character(body)


class IndustryClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndustryCluster

    code = factory.Sequence(lambda n: f"cluster-{n}")
    name_zh = factory.Sequence(lambda n: f"产业{n}")
    name_en = factory.Sequence(lambda n: f"Cluster {n}")
    colour = "#1f77b4"


class TenantCompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TenantCompany

    name = factory.Sequence(lambda n: f"广州测试{n}科技有限公司")
    short_name = factory.Sequence(lambda n: f"测试{n}")
    credit_code = factory.Sequence(valid_credit_code)
    primary_cluster = factory.SubFactory(IndustryClusterFactory)
    status = TenantCompany.Status.TENANT


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Building

    code = factory.Sequence(lambda n: f"B{n}")
    name_zh = factory.Sequence(lambda n: f"测试大厦{n}")
    gross_floor_area = Decimal("50000")
    storeys_above_ground = 30


class FloorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Floor

    building = factory.SubFactory(BuildingFactory)
    sort_order = factory.Sequence(lambda n: n + 1)
    label = factory.LazyAttribute(lambda floor: f"{floor.sort_order}F")
    gross_area = Decimal("3000")
    leasable_area = Decimal("2000")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    floor = factory.SubFactory(FloorFactory)
    building = factory.LazyAttribute(lambda unit: unit.floor.building)
    code = factory.Sequence(lambda n: f"U{n:04d}")
    leasable_area = Decimal("100")
