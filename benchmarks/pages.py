"""Server time of the main pages at several scales, against the Django admin changelist.

    .venv/bin/python benchmarks/pages.py                    # scales 1, 5 and 20
    .venv/bin/python benchmarks/pages.py --scales 20 --repeats 9

Uses its own SQLite database (``--database``, default /tmp/almo-sla-bench.sqlite3, the one
``board_pack.py`` uses), seeded with ``seed_demo --scale N``. Each page is requested in this
process through Django's test client (the whole request: middleware, view, queries,
template; no network), signed in as the coordinator of the scale's ALMO (``coordinator`` at
scale 1, ``scaleN.coordinator`` otherwise), once to warm up and then ``--repeats`` times.
For each page it prints the number of queries, the median server time, the ratio to the
median of the admin changelist of comparable rows (signed in as ``admin``), and the size of
the response. A page over the goal (more than 1.0 times its changelist, or over 150 ms) is
marked with ``!``. No assertions: a report.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_MS = 150


def setup_django(database: str) -> None:
    os.environ["DATABASE_URL"] = database
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "almo_sla.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def pages(scale: int) -> tuple[str, list[tuple[str, str, str]]]:
    """(coordinator's username, [(page, url, comparable admin changelist url)]) for ``scale``."""
    from django.urls import reverse

    from agreements.models import Agreement
    from reporting.models import QuarterlyReturn

    reference = "SLA-KNH-2025" if scale == 1 else f"SLA-SCALE-{scale}"
    user = "coordinator" if scale == 1 else f"scale{scale}.coordinator"
    agreement = Agreement.objects.get(reference=reference)
    ret = (
        QuarterlyReturn.objects.filter(agreement=agreement)
        .exclude(status="draft")
        .order_by("-financial_year", "-quarter", "pk")
        .first()
    )
    version = agreement.versions.order_by("-number").first()
    schedules = reverse("admin:agreements_schedule_changelist")
    returns = reverse("admin:reporting_quarterlyreturn_changelist")
    departures = reverse("admin:reporting_departure_changelist")
    standards = reverse("admin:agreements_standard_changelist")
    found = [
        ("dashboard", reverse("dashboard"), returns),
        ("agreement list", reverse("agreements:agreement_list"), reverse("admin:agreements_agreement_changelist")),
        ("agreement detail", reverse("agreements:agreement_detail", args=[agreement.pk]), schedules),
        ("agreement history", reverse("agreements:agreement_history", args=[agreement.pk]), standards),
        ("schedules", reverse("agreements:schedule_list"), schedules),
        ("schedules csv", reverse("agreements:schedule_list") + "?_export=csv", schedules),
        ("schedules xlsx", reverse("agreements:schedule_list") + "?_export=xlsx", schedules),
        ("returns", reverse("reporting:return_list"), returns),
        ("departures", reverse("reporting:departure_list"), departures),
        ("departures csv", reverse("reporting:departure_list") + "?_export=csv", departures),
        ("departures xlsx", reverse("reporting:departure_list") + "?_export=xlsx", departures),
        ("costs", reverse("services:costs"), schedules),
        ("value for money", reverse("services:value_for_money"), schedules),
        ("service catalogue", reverse("services:service_list"), reverse("admin:services_service_changelist")),
        ("board packs", reverse("reporting:pack_list"), returns),
    ]
    if ret:
        found.append(("return detail", reverse("reporting:return_detail", args=[ret.pk]), returns))
    if version:
        found.append(
            ("version detail", reverse("agreements:version_detail", args=[agreement.pk, version.number]), schedules)
        )
    return user, found


def timed(client, url: str, repeats: int) -> tuple[float, int, int, int]:
    """(median ms, queries, bytes, status) of GET ``url``."""
    from django.db import connections

    response = client.get(url)  # warm-up
    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with ExitStack() as stack:
        for alias in connections:
            stack.enter_context(connections[alias].execute_wrapper(count))
        response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), len(executed), len(body), response.status_code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 5, 20])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--database", default="sqlite:////tmp/almo-sla-bench.sqlite3")
    parser.add_argument("--no-seed", action="store_true", help="The database is already seeded.")
    args = parser.parse_args()
    setup_django(args.database)

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    if not args.no_seed:
        call_command("migrate", verbosity=0)
        for scale in args.scales:
            call_command("seed_demo", scale=scale, stdout=open(os.devnull, "w"))

    User = get_user_model()
    admin = Client()
    admin.force_login(User.objects.get(username="admin"))
    load_before = os.getloadavg()
    print(
        f"Page benchmark: median of {args.repeats} requests after a warm-up, in-process test client, "
        f"{settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}"
    )
    header = f"{'scale':>5}  {'page':<20} {'status':>6} {'queries':>7} {'median ms':>9} "
    header += f"{'admin ms':>8} {'ratio':>6} {'KB':>7}"
    print(header)
    print("-" * len(header))
    changelists: dict[str, float] = {}
    for scale in args.scales:
        username, found = pages(scale)
        client = Client()
        client.force_login(User.objects.get(username=username))
        for name, url, changelist in found:
            if changelist not in changelists:
                changelists[changelist] = timed(admin, changelist, args.repeats)[0]
            median, queries, size, status = timed(client, url, args.repeats)
            ratio = median / changelists[changelist]
            flag = " !" if ratio > 1.0 or median > GOAL_MS else ""
            print(
                f"{scale:>5}  {name:<20} {status:>6} {queries:>7} {median:>9.1f} {changelists[changelist]:>8.1f} "
                f"{ratio:>5.2f}x {size / 1024:>7.0f}{flag}"
            )
    print(f"! = over the goal (ratio > 1.0 or over {GOAL_MS} ms). Admin: the changelist of comparable rows, as admin.")
    print(
        f"load average before: {' '.join(f'{x:.2f}' for x in load_before)}; "
        f"after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )


if __name__ == "__main__":
    main()
