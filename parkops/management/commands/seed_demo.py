import os

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from apartments.demo import seed_apartments
from apartments.services import apartment_rent_schedule
from banking.demo import seed_bank_statement
from billing.demo import seed_billing, seed_invoicing
from events.demo import seed_bookings, seed_conference, seed_halls
from filings.demo import seed_filings
from incentives.demo import seed_incentives
from leases.demo import seed_leases, seed_pipeline
from meters.demo import seed_meters
from notifications.services import quietly
from parkops.demo import seed_accounts
from parkops.scale import seed_scale_buildings
from servicedesk.demo import seed_service_requests
from spaces.demo import seed_tower
from tenants.demo import seed_agreements, seed_clusters, seed_companies, seed_tenant_logins, seed_visitors

DEFAULT_PASSWORD = "parkops-demo"


class Command(BaseCommand):
    help = (
        "Load the Lingnan Digital Creative Building with its demo floor plan, companies, leases and logins. "
        "Safe to run again: existing rows are updated, nothing is duplicated."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="Number of buildings; the extra ones are benchmark buildings of 1,200 units with ten years of leases.",
        )

    def handle(self, *args, scale: int, **options):
        if scale < 1:
            raise CommandError("--scale must be 1 or more.")
        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD
        with transaction.atomic(), quietly():  # history: into the inboxes, not sent to anyone
            accounts = seed_accounts(password=password)
            clusters = seed_clusters()
            companies = seed_companies(clusters=clusters)
            seed_agreements()
            tenant_logins = seed_tenant_logins(password=password)
            tower = seed_tower()
            seed_leases(building=tower, companies=companies)
            seed_pipeline(building=tower, companies=companies)
            seed_apartments(building=tower, on=timezone.localdate())
            apartment_rent_schedule(on=timezone.localdate())  # this month's rent, as the daily job makes it
            seed_billing(on=timezone.localdate())  # issues and pays what fell due, apartment rent included
            seed_invoicing(companies=[company for _username, company in tenant_logins[:6]])
            seed_bank_statement(on=timezone.localdate())
            seed_meters(building=tower, on=timezone.localdate())
            halls = seed_halls()
            seed_conference(halls=halls)
            seed_bookings(halls=halls, month_of=timezone.localdate())
            seed_filings(on=timezone.localdate())
            seed_service_requests()
            seed_visitors()
            seed_incentives(on=timezone.localdate())
        if scale > 1:
            with quietly():
                seed_scale_buildings(count=scale - 1, on=timezone.localdate())
        self.stdout.write(self.style.SUCCESS(f"Seeded {tower.name_zh} ({tower.code})."))
        self.stdout.write("Demo logins (password: DEMO_PASSWORD, or parkops-demo when unset):")
        for username, role in accounts:
            self.stdout.write(f"  {username:<10} {role}")
        self.stdout.write(f"Company admins of the {len(tenant_logins)} tenant companies (the README lists them all):")
        for username, company in tenant_logins[:8]:
            self.stdout.write(f"  {username:<14} {company.name}")
        if len(tenant_logins) > 8:
            self.stdout.write(f"  … and {len(tenant_logins) - 8} more, such as {tenant_logins[-1][0]}")
