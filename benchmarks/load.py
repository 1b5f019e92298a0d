"""Load test: coordinators browsing and departments saving and submitting returns, in two models.

    .venv/bin/python benchmarks/load.py --model people [--users 50] [--duration 90] [--scale 20] [--repeat 3]
    .venv/bin/python benchmarks/load.py --model saturation [--users 10] [--duration 30] [--scale 20]

Builds a fresh PostgreSQL database (``--database``, default ``almo_sla_load``) with
``seed_demo --scale N`` (``--skip-seed`` reuses it and sets its returns back to draft), starts
gunicorn on loopback and drives it from a second process. A fifth of the users are
coordinators browsing dashboards, agreements, returns, departures and costs; the rest are
department officers who open their department's current return, save figures and submit it
(one in four double-submits: two posts at once from one session, as a double click does),
then look at their returns.

- ``people``: each user arrives at a random moment of the first ``--ramp`` seconds, signs in
  once and pauses 3-10 s between pages, as staff do. The latency model: p50 and p95 per page.
- ``saturation``: no pauses and no ramp; each officer stream signs in as each department it
  takes in turn. The capacity model: requests per second, per core, and CPU per request of
  gunicorn and PostgreSQL.

Every answer is classified per page (2xx, 3xx with where it leads, 4xx, 5xx, timeouts,
connection errors) against what that page should answer; anything else (a 403, a redirect to
the sign-in page, a 5xx, a timeout) is unexpected and the script exits 1. Afterwards the
database must hold every submit answered with a redirect exactly once, and a submit answered
with a 5xx either once or not at all (never twice). ``--repeat N`` runs N times and also
prints the median of each figure over the runs.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import multiprocessing as mp
import os
import queue
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
DB = "almo_sla_load"
PASSWORD = "load-test-password-1"
DEMO_PASSWORD = "almo-demo-2025"
TIMEOUT = "timeout"
CONNECTION_ERROR = "connection error"
REQUEST_TIMEOUT = 30.0

# What each page may answer; anything else is unexpected. Numbers in a redirect are shown as N.
RETURN_PAGE = "302→/reporting/returns/N/"
EXPECTED = {
    "sign in": {"302→/"},
    "return save": {RETURN_PAGE},
    "return submit": {RETURN_PAGE},
}
DEFAULT_EXPECTED = {"200"}


@dataclass
class Sample:
    name: str
    started: float  # seconds since the run began
    seconds: float
    status: int  # 0 for a timeout or a connection error
    outcome: str  # "200", "302→/reporting/returns/N/", "403", "timeout", ...
    path: str
    retry_after: str | None = None


def where(location: str) -> str:
    path = urllib.parse.urlsplit(location).path or location
    return re.sub(r"\d+", "N", path)


def outcome_of(status: int, location: str | None) -> str:
    if 300 <= status < 400:
        return f"{status}→{where(location or '')}"
    return str(status)


def status_class(outcome: str) -> str:
    if outcome in (TIMEOUT, CONNECTION_ERROR):
        return outcome
    return f"{outcome[0]}xx"


def expected(name: str, outcome: str) -> bool:
    return outcome in EXPECTED.get(name, DEFAULT_EXPECTED)


def sh(*args, env=None, check=True):
    return subprocess.run(args, cwd=ROOT, env=env, check=check, capture_output=True, text=True)


def prepare(db: str, scale: int, env: dict) -> None:
    sh("dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", db)
    sh("createdb", "-h", "127.0.0.1", "-U", "postgres", db)
    setup_env = env | {"DATABASE_STATEMENT_TIMEOUT": "0"}  # seeding a large council has long statements
    sh(PY, "manage.py", "migrate", "--noinput", env=setup_env)
    started = time.perf_counter()
    sh(PY, "manage.py", "seed_demo", "--scale", str(scale), env=setup_env)
    sh(PY, "manage.py", "collectstatic", "--noinput", "-v0", env=setup_env)
    # Planner statistics, as autovacuum would have them on a database in use (a freshly loaded one has none).
    sh("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-qc", "ANALYZE")
    print(f"seeded scale {scale} in {time.perf_counter() - started:.0f} s")


def django_setup(env: dict):
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "almo_sla.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _load_returns(scale: int):
    from django.utils import timezone

    from reporting.models import QuarterlyReturn
    from services.periods import Quarter

    quarter = Quarter.containing(timezone.localdate())
    return quarter, QuarterlyReturn.objects.filter(
        agreement__reference=f"SLA-SCALE-{scale}", financial_year=quarter.year, quarter=quarter.number
    )


def reset_returns(scale: int) -> int:
    """Benchmark set-up only: put this quarter's returns of the scale agreement back to draft."""
    from reporting.models import QuarterlyReturn, ReturnEvent

    _, returns = _load_returns(scale)
    ReturnEvent.objects.filter(quarterly_return__in=returns).delete()
    return returns.update(status=QuarterlyReturn.Status.DRAFT, submitted_at=None, submitted_by=None)


def load_plan(scale: int) -> dict:
    """Officer accounts for each department's current-quarter draft return, with the figures to enter."""
    from django.contrib.auth import get_user_model

    from agreements.models import Standard
    from reporting.models import QuarterlyReturn
    from reporting.services import return_results_ensure
    from services.models import Profile

    quarter, returns = _load_returns(scale)
    returns = list(returns.filter(status=QuarterlyReturn.Status.DRAFT).select_related("department").order_by("pk"))
    User = get_user_model()
    jobs = []
    for ret in returns:
        return_results_ensure(quarterly_return=ret)
        user, created = User.objects.get_or_create(username=f"load.{ret.department.slug}"[:150])
        if created or not user.has_usable_password():
            user.set_password(PASSWORD)  # the project's normal hasher: sign-in costs what it costs
            user.save()
        Profile.objects.update_or_create(
            user=user, defaults={"role": Profile.Role.DEPARTMENT_OFFICER, "department": ret.department, "almo": None}
        )
        data = {}
        for result in ret.results.select_related("standard"):
            prefix = f"r{result.pk}"
            if result.standard.kind == Standard.Kind.MILESTONE:
                # met on time: on its due date when that came before this quarter (delivered on the
                # quarter's first day, such a milestone is late, red, and the submit is rightly refused
                # until a departure explains it)
                due = result.standard.due_date
                delivered = min(quarter.start, due) if due else quarter.start
                data[f"{prefix}-milestone_outcome"] = "met"
                data[f"{prefix}-delivered_on"] = delivered.isoformat()
            else:
                data[f"{prefix}-actual"] = str(result.target_value if result.target_value is not None else 0)
            data[f"{prefix}-commentary"] = "On target (load test)."
        jobs.append({"pk": ret.pk, "username": user.username, "data": data})
    coordinator = f"scale{scale}.coordinator"
    agreement_pk = returns[0].agreement_id if returns else None
    return {"jobs": jobs, "coordinator": coordinator, "agreement_pk": agreement_pk}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    """One browser: its own cookies, no redirects followed, every answer recorded as a Sample."""

    def __init__(self, base: str, record, t_zero: float | None = None, jar: http.cookiejar.CookieJar | None = None):
        self.base = base
        self.record = record
        self.t_zero = time.monotonic() if t_zero is None else t_zero
        self.jar = jar if jar is not None else http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)
        self.last: Sample | None = None

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def request(self, name: str, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body)
        if body is not None:
            req.add_header("Referer", self.base + path)
            req.add_header("X-CSRFToken", self.csrf())
        started = time.monotonic()
        location = retry_after = None
        try:
            with self.opener.open(req, timeout=REQUEST_TIMEOUT) as resp:
                status, text = resp.status, resp.read().decode(errors="replace")
                headers = resp.headers
        except urllib.error.HTTPError as exc:  # 3xx (not followed), 4xx, 5xx
            status, headers = exc.code, exc.headers
            try:
                text = exc.read().decode(errors="replace")
            except Exception:  # noqa: BLE001 - a body cut short is still this status
                text = ""
        except Exception as exc:  # noqa: BLE001 - timeouts and connection failures are outcomes too
            reason = getattr(exc, "reason", exc)
            timed_out = isinstance(reason, TimeoutError) or "timed out" in str(reason)
            status, text, headers = 0, str(exc), None
            outcome = TIMEOUT if timed_out else CONNECTION_ERROR
        if headers is not None:
            location, retry_after = headers.get("Location"), headers.get("Retry-After")
            outcome = outcome_of(status, location)
        seconds = time.monotonic() - started
        self.last = Sample(name, started - self.t_zero, seconds, status, outcome, path, retry_after)
        self.record(self.last)
        return status, text

    def sign_in(self, username: str, password: str) -> bool:
        """As a person: the sign-in form is posted once the sign-in page has been shown."""
        status, _ = self.request("sign-in page", "/accounts/login/")
        if status != 200:
            return False
        status, _ = self.request(
            "sign in",
            "/accounts/login/",
            {"username": username, "password": password, "csrfmiddlewaretoken": self.csrf()},
        )
        return status == 302 and self.last.outcome == "302→/"


def drive(
    base: str, plan: dict, model: str, users: int, duration: float, ramp: float, seed: int, out: mp.Queue
) -> None:
    """The load generator (runs in its own process)."""
    rng = random.Random(seed)
    samples: list[Sample] = []
    lock = threading.Lock()
    acknowledged: list[int] = []  # submits answered with the expected redirect
    submit_5xx: list[int] = []  # submits answered with a 5xx
    doubled: list[int] = []
    t_zero = time.monotonic()
    deadline = t_zero + duration
    people = model == "people"

    def record(sample: Sample):
        with lock:
            samples.append(sample)

    def pause(r: random.Random) -> bool:
        """Between pages: 3-10 s for people, none at saturation. False once the run is over."""
        if people:
            time.sleep(max(0.0, min(r.uniform(3, 10), deadline - time.monotonic())))
        return time.monotonic() < deadline

    def submit(client: Client, pk: int, double: bool) -> None:
        url = f"/reporting/returns/{pk}/submit/"
        payload = {"csrfmiddlewaretoken": client.csrf()}
        twins = [client, Client(base, record, t_zero, jar=client.jar)] if double else [client]
        threads = [threading.Thread(target=c.request, args=("return submit", url, payload)) for c in twins]
        [t.start() for t in threads]
        [t.join() for t in threads]
        outcomes = [c.last for c in twins]
        with lock:
            if double:
                doubled.append(pk)
            if any(s.outcome == RETURN_PAGE for s in outcomes):
                acknowledged.append(pk)
            if any(500 <= s.status < 600 for s in outcomes):
                submit_5xx.append(pk)

    def coordinator(n: int):
        r = random.Random(rng.random())
        if people:
            time.sleep(r.uniform(0, ramp))
        client = Client(base, record, t_zero)
        if not client.sign_in(plan["coordinator"], DEMO_PASSWORD):
            return
        pages = [
            ("dashboard", "/"),
            ("agreement list", "/agreements/"),
            ("agreement detail", f"/agreements/{plan['agreement_pk']}/"),
            ("return list", "/reporting/returns/"),
            ("departure list", "/reporting/departures/"),
            ("cost page", "/services/costs/"),
        ]
        i = n
        while pause(r):
            name, path = pages[i % len(pages)]
            client.request(name, path)
            i += 1

    def officer_job(client: Client, job: dict, n: int, r: random.Random) -> None:
        pk = job["pk"]
        client.request("return edit", f"/reporting/returns/{pk}/edit/")
        if not pause(r):
            return
        client.request(
            "return save", f"/reporting/returns/{pk}/edit/", job["data"] | {"csrfmiddlewaretoken": client.csrf()}
        )
        if client.last.outcome != RETURN_PAGE or not pause(r):
            return
        submit(client, pk, double=n % 4 == 0)

    def officer(n: int, jobs: queue.Queue):
        r = random.Random(rng.random())
        if people:  # one department each: sign in once, do the return, then keep an eye on it
            time.sleep(r.uniform(0, ramp))
            try:
                job = jobs.get_nowait()
            except queue.Empty:
                return
            client = Client(base, record, t_zero)
            if not client.sign_in(job["username"], PASSWORD):
                return
            pause(r)
            if time.monotonic() < deadline:
                officer_job(client, job, n, r)
            pages = [
                ("return detail", f"/reporting/returns/{job['pk']}/"),
                ("return list (officer)", "/reporting/returns/"),
                ("dashboard (officer)", "/"),
            ]
            i = 0
            while pause(r):
                client.request(*pages[i % len(pages)])
                i += 1
            return
        while time.monotonic() < deadline:  # saturation: department after department, no pauses
            try:
                job = jobs.get_nowait()
            except queue.Empty:
                return
            client = Client(base, record, t_zero)
            if not client.sign_in(job["username"], PASSWORD):
                continue
            officer_job(client, job, n, r)
            if time.monotonic() < deadline:
                client.request("return detail", f"/reporting/returns/{job['pk']}/")
                client.request("return list (officer)", "/reporting/returns/")
            n += users

    jobs: queue.Queue = queue.Queue()
    for job in plan["jobs"]:
        jobs.put(job)
    coordinators = max(1, users // 5)
    threads = [threading.Thread(target=coordinator, args=(n,)) for n in range(coordinators)]
    threads += [threading.Thread(target=officer, args=(n, jobs)) for n in range(users - coordinators)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    out.put(
        {
            "samples": samples,
            "elapsed": time.monotonic() - t_zero,
            "acknowledged": acknowledged,
            "submit_5xx": submit_5xx,
            "doubled": doubled,
            "officers": users - coordinators,
            "jobs": len(plan["jobs"]),
        }
    )


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


# --- CPU of the server processes (Linux /proc), for CPU per request -------------------------------


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def _postgres_backends(db: str) -> list[int]:
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().decode(errors="replace")
        except OSError:
            continue
        if text.startswith("postgres:") and f" {db} " in text:
            found.append(int(cmdline.parent.name))
    return found


class CpuMeter:
    """CPU seconds used by gunicorn's workers and by PostgreSQL's backends for the database."""

    def __init__(self, gunicorn_pid: int, db: str):
        self.gunicorn_pid, self.db = gunicorn_pid, db
        self.start = self._read()

    def _read(self) -> dict[str, dict[int, float]]:
        return {
            "gunicorn": {pid: _cpu_seconds(pid) for pid in [self.gunicorn_pid, *_children(self.gunicorn_pid)]},
            "postgres": {pid: _cpu_seconds(pid) for pid in _postgres_backends(self.db)},
        }

    def used(self) -> dict[str, float]:
        end = self._read()
        return {k: sum(v - self.start[k].get(pid, 0.0) for pid, v in end[k].items()) for k in end}


# --- Reporting ------------------------------------------------------------------------------------


def check_database(result: dict) -> tuple[bool, str]:
    """Every acknowledged submit in the database exactly once; a 5xx-answered one once or not at all."""
    from django.db import close_old_connections
    from django.db.models import Count

    from reporting.models import QuarterlyReturn, ReturnEvent

    close_old_connections()
    acknowledged, answered_5xx = set(result["acknowledged"]), set(result["submit_5xx"]) - set(result["acknowledged"])
    pks = acknowledged | answered_5xx
    events = dict(
        ReturnEvent.objects.filter(quarterly_return_id__in=pks, to_status="submitted")
        .values_list("quarterly_return_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    statuses = dict(QuarterlyReturn.objects.filter(pk__in=pks).values_list("pk", "status"))
    lost = [pk for pk in acknowledged if statuses.get(pk) != "submitted" or events.get(pk, 0) == 0]
    # A refused submit (figures missing, a missed standard with no departure) also redirects to the
    # return, with the reason as a message: name those apart from submits the database lost.
    refused = {pk: problems for pk in lost if (problems := _submission_problems(pk))}
    twice = [pk for pk in pks if events.get(pk, 0) > 1]
    committed_5xx = [pk for pk in answered_5xx if events.get(pk, 0) == 1]
    ok = not lost and not twice and all(statuses.get(pk) in ("submitted", "draft") for pk in answered_5xx)
    line = (
        f"submits acknowledged: {len(acknowledged)} ({len(result['doubled'])} double-submitted); "
        f"in the database exactly "
        f"once: {len(acknowledged) - len(lost)}; lost: {len(lost)}; recorded twice: {len(twice)}; submits answered "
        f"with a 5xx: {len(set(result['submit_5xx']))}, of them never acknowledged: {len(answered_5xx)} "
        f"(committed once: {len(committed_5xx)}, rolled back: "
        f"{len(answered_5xx) - len(committed_5xx)})"
    )
    if refused:
        line += (
            f"\nof the {len(lost)} not in the database, refused by the app (the plan's figures are wrong): "
            + "; ".join(f"return {pk}: {problems[0]}" for pk, problems in sorted(refused.items())[:5])
        )
    return ok, line


def _submission_problems(pk: int) -> list[str]:
    from reporting.models import QuarterlyReturn
    from reporting.services import submission_problems

    ret = QuarterlyReturn.objects.filter(pk=pk).first()
    return submission_problems(ret) if ret is not None and ret.status == "draft" else []


def summarise(samples: list[Sample]) -> dict:
    by_page: dict[str, list[Sample]] = defaultdict(list)
    for s in samples:
        by_page[s.name].append(s)
    pages = {}
    for name, items in sorted(by_page.items()):
        ok_times = [s.seconds for s in items]
        pages[name] = {
            "requests": len(items),
            "p50": statistics.median(ok_times) * 1000,
            "p95": percentile(ok_times, 95) * 1000,
            "max": max(ok_times) * 1000,
            "outcomes": Counter(s.outcome for s in items),
            "unexpected": Counter(s.outcome for s in items if not expected(name, s.outcome)),
        }
    return pages


def print_pages(pages: dict) -> None:
    print(
        f"{'page':<24}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}  {'2xx':>5}{'3xx':>5}{'4xx':>5}{'5xx':>5}"
        f"{'t/o':>5}{'conn':>5}  answers"
    )
    for name, p in pages.items():
        classes = Counter()
        for outcome, n in p["outcomes"].items():
            classes[status_class(outcome)] += n
        answers = ", ".join(
            f"{o} ×{n}" + ("" if expected(name, o) else " UNEXPECTED") for o, n in p["outcomes"].most_common()
        )
        print(
            f"{name:<24}{p['requests']:>9}{p['p50']:>9.0f}{p['p95']:>9.0f}{p['max']:>9.0f}  {classes['2xx']:>5}"
            f"{classes['3xx']:>5}{classes['4xx']:>5}{classes['5xx']:>5}{classes[TIMEOUT]:>5}{classes[CONNECTION_ERROR]:>5}"
            f"  {answers}"
        )


def report_run(result: dict, model: str, cpu: dict[str, float], settled_after: float | None = None) -> dict:
    samples: list[Sample] = result["samples"]
    elapsed = result["elapsed"]
    pages = summarise(samples)
    settled = summarise([s for s in samples if settled_after is not None and s.started >= settled_after])
    cores = os.cpu_count() or 1
    rps = len(samples) / elapsed if elapsed else 0.0
    signins = sum(1 for s in samples if s.name == "sign in")
    print(
        f"\n{len(samples)} requests in {elapsed:.1f} s: {rps:.1f} requests/s, {rps / cores:.1f} requests/s per core "
        f"({cores} cores); load average now {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    print_pages(pages)
    if settled:
        print(f"the same from {settled_after:.0f} s, once everyone has arrived and signed in:")
        print_pages(settled)
    unexpected = [s for s in samples if not expected(s.name, s.outcome)]
    cpu_total = cpu["gunicorn"] + cpu["postgres"]
    per_request = cpu_total / len(samples) * 1000 if samples else 0.0
    print(
        f"server CPU: gunicorn {cpu['gunicorn']:.1f} s, PostgreSQL {cpu['postgres']:.1f} s = {per_request:.1f} CPU ms "
        f"per request ({signins} sign-ins); {1000 / per_request if per_request else 0:.1f} requests per CPU-second"
    )
    if unexpected:
        print(f"UNEXPECTED answers: {len(unexpected)}; first ones:")
        for s in unexpected[:10]:
            print(f"  at {s.started:6.2f} s  {s.name:<22} {s.path:<40} {s.outcome}  ({s.seconds * 1000:.0f} ms)")
    db_ok, line = check_database(result)
    print(line)
    if result["officers"] > result["jobs"] and model == "people":
        print(f"note: {result['officers']} officers for {result['jobs']} returns: the rest did not start")
    ok = bool(samples) and not unexpected and db_ok
    print("RUN:", "OK" if ok else "FAILED")
    return {
        "pages": pages,
        "settled": settled,
        "rps": rps,
        "rps_per_core": rps / cores,
        "cpu_ms": per_request,
        "ok": ok,
        "unexpected": len(unexpected),
    }


def print_medians(runs: list[dict]) -> None:
    print(
        f"\nmedian of {len(runs)} runs: {statistics.median(r['rps'] for r in runs):.1f} requests/s, "
        f"{statistics.median(r['rps_per_core'] for r in runs):.1f} per core, "
        f"{statistics.median(r['cpu_ms'] for r in runs):.1f} CPU ms per request; unexpected answers in all: "
        f"{sum(r['unexpected'] for r in runs)}"
    )
    names = sorted({name for r in runs for name in r["pages"]})
    settled = any(r["settled"] for r in runs)
    print(
        f"{'page':<24}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}"
        + ("   once all signed in: p50 ms  p95 ms" if settled else "")
    )
    for name in names:
        line = _median_line(name, [r["pages"][name] for r in runs if name in r["pages"]])
        if settled:
            line += " " * 22 + _median_line("", [r["settled"][name] for r in runs if name in r["settled"]], short=True)
        print(line)


def _median_line(name: str, present: list[dict], short: bool = False) -> str:
    if not present:
        return f"{'-':>8}{'-':>8}" if short else f"{name:<24}"
    p50 = statistics.median(p["p50"] for p in present)
    p95 = statistics.median(p["p95"] for p in present)
    if short:
        return f"{p50:>8.0f}{p95:>8.0f}"
    return f"{name:<24}{sum(p['requests'] for p in present):>9}{p50:>9.0f}{p95:>9.0f}"


# --- Profile (py-spy, optional) --------------------------------------------------------------------

COST_GROUPS = [  # (label, substring of a frame): a sample counts for the first group of this list in its stack
    ("password hashing (PBKDF2)", "pbkdf2"),
    ("waiting for PostgreSQL", "wait_with_deadline"),
    ("PostgreSQL driver", "psycopg2"),
    ("templates", "django/template/"),
    ("ORM: building SQL", "django/db/models/sql/compiler.py"),
    ("ORM: model instances", "django/db/models/query.py"),
    ("forms", "django/forms/"),
    ("tables (django-tables2)", "django_tables2"),
    ("sessions", "django/contrib/sessions"),
    ("middleware and URL routing", "django/core/handlers"),
]


def start_profiler(pid: int, path: Path) -> subprocess.Popen | None:
    spy = Path(PY).parent / "py-spy"
    if not spy.exists():
        print("no py-spy in the virtualenv (pip install py-spy): not profiling")
        return None
    return subprocess.Popen(
        [
            str(spy),
            "record",
            "--pid",
            str(pid),
            "--subprocesses",
            "--rate",
            "50",
            "--nonblocking",
            "--format",
            "raw",
            "--output",
            str(path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def top_costs(path: Path, n: int = 15) -> None:
    """From py-spy's collapsed stacks: CPU share by group and the functions with the most samples."""
    if not path.exists():
        print(f"no profile written to {path}")
        return
    total = 0
    groups: Counter = Counter()
    inclusive: Counter = Counter()
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        count = int(count)
        frames = stack.split(";")
        if not any("django" in f or "almo_sla" in f or "reporting" in f for f in frames):
            continue  # gunicorn's master and idle arbiter loops
        total += count
        label = next((g for g, marker in COST_GROUPS for f in reversed(frames) if marker in f), "other")
        groups[label] += count
        for frame in set(frames):
            inclusive[frame] += count
    if not total:
        print("the profile holds no request samples")
        return
    print(f"\nprofile of gunicorn's workers ({total} samples at 50 Hz, {path}):")
    for label, count in groups.most_common():
        print(f"  {count / total:6.1%}  {label}")
    leaves = Counter()
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if count.isdigit() and any("django" in f or "almo_sla" in f for f in stack.split(";")):
            leaves[stack.split(";")[-1]] += int(count)
    print("hottest functions (own time):")
    for frame, count in leaves.most_common(n):
        print(f"  {count / total:6.1%}  {frame}")
    print("the project's own functions (with what they call), middleware aside:")
    own = [
        (frame, count)
        for frame, count in inclusive.most_common()
        if any(f"({app}/" in frame for app in ("agreements", "reporting", "services", "almo_sla"))
        and "middleware" not in frame
    ]
    for frame, count in own[:n]:
        print(f"  {count / total:6.1%}  {frame}")


def start_gunicorn(
    env: dict, port: int, workers: int, timeout: int = 120, log=None, threads: int = 1
) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "almo_sla.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",  # more than 1: gunicorn's gthread worker
            str(threads),
            "--timeout",
            str(timeout),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stderr=log,
    )


def wait_healthy(base: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)
            return
        except Exception:  # noqa: BLE001
            time.sleep(0.2)
    raise SystemExit("gunicorn did not become healthy")


def base_env(db: str) -> dict:
    env = os.environ | {
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{db}",
        "DJANGO_DEBUG": "false",
        "DJANGO_LOG_LEVEL": "WARNING",
        "AXES_FAILURE_LIMIT": "1000",
    }
    env.pop("CELERY_BROKER_URL", None)
    return env


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=["people", "saturation"], default="people")
    parser.add_argument("--users", type=int, default=None, help="default: 50 people, 10 saturation streams")
    parser.add_argument("--duration", type=float, default=None, help="seconds; default 90 people, 30 saturation")
    parser.add_argument("--ramp", type=float, default=15, help="people arrive over this many seconds")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--scale", type=int, default=20)
    parser.add_argument(
        "--workers", type=int, default=3, help="gunicorn worker processes (3: as deployed, Procfile and systemd unit)"
    )
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (more than 1: gthread)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--database", default=DB)
    parser.add_argument(
        "--skip-seed", action="store_true", help="reuse the database (its returns are set back to draft)"
    )
    parser.add_argument("--seed", type=int, default=17, help="random seed for pauses and arrivals")
    parser.add_argument("--profile", type=Path, help="record the first run's gunicorn workers with py-spy to this file")
    args = parser.parse_args()
    users = args.users or (50 if args.model == "people" else 10)
    duration = args.duration or (90 if args.model == "people" else 30)

    env = base_env(args.database)
    if not args.skip_seed:
        prepare(args.database, args.scale, env)
    django_setup(env)
    print(
        f"model {args.model}: {users} users for {duration:.0f} s, "
        f"{args.workers} gunicorn workers × {args.threads} threads, scale {args.scale}; "
        f"load average before {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )

    log_path = Path(tempfile.gettempdir()) / f"load-gunicorn-{os.getpid()}.log"
    log = open(log_path, "w")  # noqa: SIM115 - closed at the end
    server = start_gunicorn(env, args.port, args.workers, log=log, threads=args.threads)
    print(f"gunicorn log: {log_path}")
    base = f"http://127.0.0.1:{args.port}"
    runs = []
    try:
        wait_healthy(base)
        for n in range(args.repeat):
            reset_returns(args.scale)
            plan = load_plan(args.scale)
            print(f"\n== run {n + 1} of {args.repeat}: {len(plan['jobs'])} department returns to submit ==")
            meter = CpuMeter(server.pid, args.database)
            profiler = start_profiler(server.pid, args.profile) if args.profile and n == 0 else None
            ctx = mp.get_context("spawn")
            out = ctx.Queue()
            proc = ctx.Process(
                target=drive, args=(base, plan, args.model, users, duration, args.ramp, args.seed + n, out)
            )
            proc.start()
            result = out.get()
            proc.join()
            cpu = meter.used()
            if profiler:
                profiler.send_signal(signal.SIGINT)
                profiler.wait(timeout=60)
            settled_after = args.ramp + 10 if args.model == "people" and duration > args.ramp + 30 else None
            runs.append(report_run(result, args.model, cpu, settled_after))
            if profiler:
                top_costs(args.profile)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    if len(runs) > 1:
        print_medians(runs)
    ok = all(r["ok"] for r in runs)
    print("RESULT:", "OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
