import datetime
import io
from decimal import Decimal

import factory
import pypdf

from leases.services import lease_create, lease_sign
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


def pdf_bytes(pages: int = 1) -> bytes:
    """A small PDF that opens, with ``pages`` blank A6 pages."""
    writer = pypdf.PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=298, height=420)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


class HallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "events.Hall"

    name_zh = factory.Sequence(lambda n: f"多功能厅{n}")
    name_en = factory.Sequence(lambda n: f"Hall {n}")
    capacity_theatre = 800
    hourly_rate = Decimal("3000")
    half_day_rate = Decimal("10000")
    tenant_discount_percent = Decimal("20")


class PartnerAgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "tenants.PartnerAgreement"

    partner = factory.SubFactory(TenantCompanyFactory)
    title = factory.Sequence(lambda n: f"战略合作协议 {n}")


class ApartmentRoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "apartments.ApartmentRoom"

    unit = factory.SubFactory(UnitFactory, use="apartment", leasable_area=Decimal("40"))
    layout = "studio"
    monthly_rent = Decimal("1800")


class BedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "apartments.Bed"

    room = factory.SubFactory(ApartmentRoomFactory)
    label = "A"


class ReportRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reports.ReportRun"

    kind = "occupancy"
    period_start = datetime.date(2026, 10, 1)


MONTH = Decimal("10000.00")  # the rent of monthly_lease: 100 m² × 100 CNY/m²/month


def monthly_lease(number="L-1", starts_on=None, ends_on=None, company=None, **terms):
    """A signed lease of one 100 m² unit at 100 CNY/m² a month, billed monthly unless told."""
    starts_on, ends_on = starts_on or datetime.date(2026, 1, 1), ends_on or datetime.date(2026, 12, 31)
    lease = lease_create(
        number=number,
        tenant=company or TenantCompanyFactory(),
        units=[UnitFactory(leasable_area=Decimal("100"))],
        starts_on=starts_on,
        ends_on=ends_on,
        rent_rate=Decimal("100"),
        rent_basis="per_month",
        **terms,
    )
    return lease_sign(lease=lease, signed_on=starts_on - datetime.timedelta(days=30))
