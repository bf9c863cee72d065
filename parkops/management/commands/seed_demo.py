import os

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from leases.demo import seed_leases, seed_scale_buildings, seed_tower
from parkops.demo import seed_accounts
from tenants.demo import seed_clusters, seed_companies

DEFAULT_PASSWORD = "parkops-demo"


class Command(BaseCommand):
    help = (
        "Load the Lingnan Digital Creative Building with its demo floor plan, companies, leases and logins. "
        "Safe to run again: existing rows are updated, nothing is duplicated."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=int, default=1, help="Number of buildings; extra ones copy the tower, for benchmarks."
        )

    def handle(self, *args, scale: int, **options):
        if scale < 1:
            raise CommandError("--scale must be 1 or more.")
        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD
        with transaction.atomic():
            accounts = seed_accounts(password=password)
            clusters = seed_clusters()
            companies = seed_companies(clusters=clusters)
            tower = seed_tower()
            seed_leases(building=tower, companies=companies)
        if scale > 1:
            seed_scale_buildings(count=scale - 1)
        self.stdout.write(self.style.SUCCESS(f"Seeded {tower.name_zh} ({tower.code})."))
        self.stdout.write("Demo logins (password: DEMO_PASSWORD, or parkops-demo when unset):")
        for username, role in accounts:
            self.stdout.write(f"  {username:<10} {role}")
