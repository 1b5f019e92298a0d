"""Load test: coordinators browsing and departments saving and submitting returns at once.

    .venv/bin/python benchmarks/load.py [--users 50] [--duration 60] [--scale 20] [--workers 4]

Builds a fresh PostgreSQL database (``almo_sla_load``) with ``seed_demo --scale N``, starts
gunicorn on loopback, and drives it from a second process: a fifth of the virtual users are
coordinators browsing dashboards, agreements, returns and departures; the rest are
department officers who open their department's current return, save figures, submit it
(one in four double-submits from two connections at once) and look at their returns.
Prints requests per second, median and 95th percentile latency per page and the error
count, then checks in the database that every submitted return is there exactly once.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import multiprocessing as mp
import os
import queue
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
DB = "almo_sla_load"
PASSWORD = "load-test-password-1"


def sh(*args, env=None, check=True):
    return subprocess.run(args, cwd=ROOT, env=env, check=check, capture_output=True, text=True)


def prepare(scale: int, env: dict) -> None:
    sh("dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", DB)
    sh("createdb", "-h", "127.0.0.1", "-U", "postgres", DB)
    sh(PY, "manage.py", "migrate", "--noinput", env=env)
    started = time.perf_counter()
    sh(PY, "manage.py", "seed_demo", "--scale", str(scale), env=env)
    sh(PY, "manage.py", "collectstatic", "--noinput", "-v0", env=env)
    print(f"seeded scale {scale} in {time.perf_counter() - started:.0f} s")


def django_setup(env: dict):
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "almo_sla.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def load_plan(scale: int) -> dict:
    """Officer accounts for each department's current-quarter draft return, with the figures to enter."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from agreements.models import Standard
    from reporting.models import QuarterlyReturn
    from reporting.services import return_results_ensure
    from services.models import Profile
    from services.periods import Quarter

    quarter = Quarter.containing(timezone.localdate())
    returns = list(
        QuarterlyReturn.objects.filter(
            agreement__reference=f"SLA-SCALE-{scale}", financial_year=quarter.year, quarter=quarter.number,
            status=QuarterlyReturn.Status.DRAFT,
        ).select_related("department")
    )
    User = get_user_model()
    jobs = []
    for ret in returns:
        return_results_ensure(quarterly_return=ret)
        user, _ = User.objects.get_or_create(username=f"load.{ret.department.slug}"[:150])
        user.set_password(PASSWORD)
        user.save()
        Profile.objects.update_or_create(
            user=user, defaults={"role": Profile.Role.DEPARTMENT_OFFICER, "department": ret.department, "almo": None}
        )
        data = {}
        for result in ret.results.select_related("standard"):
            prefix = f"r{result.pk}"
            if result.standard.kind == Standard.Kind.MILESTONE:
                data[f"{prefix}-milestone_outcome"] = "met"
                data[f"{prefix}-delivered_on"] = quarter.start.isoformat()
            else:
                data[f"{prefix}-actual"] = str(result.target_value if result.target_value is not None else 0)
            data[f"{prefix}-commentary"] = "On target (load test)."
        jobs.append({"pk": ret.pk, "username": user.username, "data": data})
    coordinator = f"scale{scale}.coordinator"
    agreement_pk = returns[0].agreement_id if returns else None
    return {"jobs": jobs, "coordinator": coordinator, "agreement_pk": agreement_pk}


class Client:
    def __init__(self, base: str, record):
        self.base = base
        self.record = record
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def request(self, name: str, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body)
        if body is not None:
            req.add_header("Referer", self.base + path)
            req.add_header("X-CSRFToken", self.csrf())
        started = time.perf_counter()
        try:
            with self.opener.open(req, timeout=60) as resp:
                status, text = resp.status, resp.read().decode(errors="replace")
        except urllib.error.HTTPError as exc:
            status, text = exc.code, exc.read().decode(errors="replace")
        except Exception as exc:  # noqa: BLE001 - connection failures count as errors
            status, text = 599, str(exc)
        self.record(name, time.perf_counter() - started, status)
        return status, text

    def sign_in(self, username: str, password: str) -> bool:
        self.request("sign-in page", "/accounts/login/")
        status, _ = self.request(
            "sign in", "/accounts/login/", {"username": username, "password": password, "csrfmiddlewaretoken": self.csrf()}
        )
        return status == 302


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

    def http_error_302(self, req, fp, code, msg, headers):
        return fp


def drive(base: str, plan: dict, users: int, duration: float, out: mp.Queue) -> None:
    """The load generator (runs in its own process)."""
    samples: list[tuple[str, float, int]] = []
    lock = threading.Lock()
    submitted: list[int] = []
    refused_twice: list[int] = []
    deadline = time.monotonic() + duration

    def record(name, seconds, status):
        with lock:
            samples.append((name, seconds, status))

    jobs: queue.Queue = queue.Queue()
    for job in plan["jobs"]:
        jobs.put(job)

    def coordinator():
        client = Client(base, record)
        client.sign_in(plan["coordinator"], "almo-demo-2025")
        pages = [
            ("dashboard", "/"),
            ("agreement list", "/agreements/"),
            ("agreement detail", f"/agreements/{plan['agreement_pk']}/"),
            ("return list", "/reporting/returns/"),
            ("departure list", "/reporting/departures/"),
            ("cost page", "/services/costs/"),
        ]
        i = 0
        while time.monotonic() < deadline:
            name, path = pages[i % len(pages)]
            client.request(name, path)
            i += 1

    def officer(n):
        while time.monotonic() < deadline:
            try:
                job = jobs.get_nowait()
            except queue.Empty:
                return
            client = Client(base, record)
            if not client.sign_in(job["username"], PASSWORD):
                continue
            pk = job["pk"]
            client.request("return edit", f"/reporting/returns/{pk}/edit/")
            status, _ = client.request(
                "return save", f"/reporting/returns/{pk}/edit/", job["data"] | {"csrfmiddlewaretoken": client.csrf()}
            )
            payload = {"csrfmiddlewaretoken": client.csrf()}
            if n % 4 == 0:
                twin = Client(base, record)
                twin.jar = client.jar
                twin.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(client.jar), _NoRedirect)
                results = []
                threads = [
                    threading.Thread(target=lambda c=c: results.append(c.request("return submit", f"/reporting/returns/{pk}/submit/", payload)))
                    for c in (client, twin)
                ]
                [t.start() for t in threads]
                [t.join() for t in threads]
                with lock:
                    submitted.append(pk)
                    refused_twice.append(pk)
            else:
                status, _ = client.request("return submit", f"/reporting/returns/{pk}/submit/", payload)
                if status == 302:
                    with lock:
                        submitted.append(pk)
            client.request("return detail", f"/reporting/returns/{pk}/")
            client.request("return list (officer)", "/reporting/returns/")

    coordinators = max(1, users // 5)
    threads = [threading.Thread(target=coordinator) for _ in range(coordinators)]
    threads += [threading.Thread(target=officer, args=(n,)) for n in range(users - coordinators)]
    started = time.monotonic()
    [t.start() for t in threads]
    [t.join() for t in threads]
    out.put({"samples": samples, "elapsed": time.monotonic() - started, "submitted": submitted, "double": refused_twice})


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--scale", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--skip-seed", action="store_true", help="reuse the database from the last run")
    args = parser.parse_args()

    env = os.environ | {
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}",
        "DJANGO_DEBUG": "false",
        "DJANGO_LOG_LEVEL": "WARNING",
        "AXES_FAILURE_LIMIT": "1000",
    }
    env.pop("CELERY_BROKER_URL", None)
    if not args.skip_seed:
        prepare(args.scale, env)
    django_setup(env)
    plan = load_plan(args.scale)
    print(f"{len(plan['jobs'])} department returns to submit; {args.users} users for {args.duration:.0f} s")

    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "almo_sla.wsgi:application", "--bind", f"127.0.0.1:{args.port}",
         "--workers", str(args.workers), "--timeout", "120", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)
                break
            except Exception:  # noqa: BLE001
                time.sleep(0.2)
        ctx = mp.get_context("spawn")
        out = ctx.Queue()
        proc = ctx.Process(target=drive, args=(base, plan, args.users, args.duration, out))
        proc.start()
        result = out.get()
        proc.join()
    finally:
        server.terminate()
        server.wait(timeout=30)

    samples = result["samples"]
    by_page: dict[str, list[float]] = defaultdict(list)
    errors = defaultdict(int)
    for name, seconds, status in samples:
        by_page[name].append(seconds)
        if status >= 500:
            errors[name] += 1
    print(f"\n{len(samples)} requests in {result['elapsed']:.1f} s: {len(samples) / result['elapsed']:.1f} requests/s")
    print(f"{'page':<24}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'5xx':>6}")
    for name, values in sorted(by_page.items()):
        print(f"{name:<24}{len(values):>9}{statistics.median(values) * 1000:>9.0f}{percentile(values, 95) * 1000:>9.0f}{errors[name]:>6}")
    total_errors = sum(errors.values())
    print(f"errors (5xx or no response): {total_errors}")

    from django.db.models import Count

    from reporting.models import QuarterlyReturn, ReturnEvent

    submitted = set(result["submitted"])
    events = dict(
        ReturnEvent.objects.filter(quarterly_return_id__in=submitted, to_status="submitted")
        .values_list("quarterly_return_id").annotate(n=Count("pk")).order_by()
    )
    statuses = dict(QuarterlyReturn.objects.filter(pk__in=submitted).values_list("pk", "status"))
    lost = [pk for pk in submitted if statuses.get(pk) != "submitted"]
    twice = [pk for pk, n in events.items() if n != 1]
    missing = [pk for pk in submitted if pk not in events]
    print(
        f"submitted returns: {len(submitted)} ({len(result['double'])} double-submitted); "
        f"in the database as submitted: {len(submitted) - len(lost)}; recorded more than once: {len(twice)}; "
        f"missing: {len(missing)}"
    )
    ok = total_errors == 0 and not lost and not twice and not missing
    print("RESULT:", "OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
