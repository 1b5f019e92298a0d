"""Build the demo council, its ALMOs, agreements and one user per role. Safe to run twice."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from services import demo


class Command(BaseCommand):
    help = "Create (or bring up to date) the demo council, ALMOs, services, agreements and users."

    def handle(self, *args, **options):
        with transaction.atomic():
            result = demo.seed()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {result.departments} departments, {result.services} services, "
                f"{result.agreements} agreements, {result.users} users."
            )
        )
        users = ", ".join(get_user_model().objects.filter(username__in=demo.usernames()).values_list("username", flat=True))
        self.stdout.write(f"Sign in as any of: {users} (password: {demo.PASSWORD}; local use only).")
