"""Build the demo council, its ALMOs, agreements and one user per role. Safe to run twice.

``--scale N`` (N >= 2) also builds a synthetic council N times the demo's size, for
benchmarks (see ``reporting.demo.scale``)."""

import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from almo_sla.production import refuse_in_production
from reporting import demo
from reporting.demo.scale import seed_scale


class Command(BaseCommand):
    help = "Create (or bring up to date) the demo council, ALMOs, services, agreements and users."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="Also build a synthetic council N times the demo (departments, services, standards, returns).",
        )

    def handle(self, *args, scale=1, **options):
        refuse_in_production("load demo data")
        if scale < 1:
            raise CommandError("--scale must be 1 or more.")
        with transaction.atomic():
            result = demo.seed()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {result.departments} departments, {result.services} services, "
                f"{result.agreements} agreements, {result.users} users."
            )
        )
        if scale > 1:
            started = time.perf_counter()
            scaled = seed_scale(scale)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Scale {scale} ready in {time.perf_counter() - started:.1f} s: ALMO {scaled.almo_slug}, "
                    f"{scaled.departments} departments, {scaled.services} services, {scaled.standards} standards, "
                    f"{scaled.returns} returns created."
                )
            )
        users = ", ".join(
            get_user_model().objects.filter(username__in=demo.usernames()).values_list("username", flat=True)
        )
        self.stdout.write(f"Sign in as any of: {users} (password: {demo.PASSWORD}; local use only).")
