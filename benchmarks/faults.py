"""Fault test: the database blackholed or restarted, and the broker stopped, while the app runs.

    .venv/bin/python benchmarks/faults.py [--faults blackhole,restart,broker] [--users 12] [--duration 30]
        [--outage-at 8] [--blackhole-seconds 12] [--scale 3]

Builds its own database (``--database``, default ``almo_sla_faults_bench``) with
``seed_demo --scale N``, starts gunicorn on loopback, connected to PostgreSQL through a TCP
proxy of its own (``tests/tcp_proxy.py``), and signs in department officers who open, save and
submit their department's current return in a loop, pausing 1-3 s between pages (a submit
answered with a 503 is pressed again after 2 s, as a person would). Part-way through, a fault:

- ``blackhole``: the proxy stops forwarding in both directions for ``--blackhole-seconds``, as a
  network dropping packets does: connections are accepted and never answered. With the bounded
  waits (``DATABASE_CONNECT_TIMEOUT``, ``DATABASE_READ_TIMEOUT``, set short here) requests answer
  503 instead of hanging.
- ``restart``: PostgreSQL itself is restarted with ``pg_ctlcluster restart`` (it is started again
  at the end, whatever happens). This restarts the machine's shared cluster: other users of it see
  the restart too.

For each: every answer is classified (as ``load.py`` does); anything but the page's normal answer
or a 503 carrying a positive ``Retry-After`` fails the run, as does a request slower than
``--answer-within`` seconds, a timeout or a dropped connection. It prints how long after the
fault ended the first request succeeded, and checks in the database that every submission
acknowledged with a redirect is there exactly once and one answered with a 5xx once or not at all.

``broker``: starts its own redis-server on another port (never the shared one) as the app's
broker and a real Celery worker, stops Redis, requests a board pack (the answer must be a quick
redirect with the pack kept queued and the user told), starts Redis again, runs the re-queue job,
and waits until the worker has rendered the pack: one pack, rendered once, and its download
(as the board member who asked) is the stored PDF.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load  # noqa: E402 - reuse the load script's client, classification, seeding and plan

ROOT = load.ROOT
sys.path.insert(0, str(ROOT))
from tests.tcp_proxy import BlackholeProxy  # noqa: E402 - the proxy the fault test in the suite uses

DB = "almo_sla_faults_bench"
REDIS_PORT = 6391
FAULTS = ("blackhole", "restart", "broker")


def cluster() -> str:
    return sorted(os.listdir("/etc/postgresql"))[-1]


def pg_ready() -> bool:
    return subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"]).returncode == 0


def pg(action: str) -> None:
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", cluster(), "main", action], check=True)


def ensure_pg_running() -> None:
    if not pg_ready():
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", cluster(), "main", "start"], check=False)
        for _ in range(100):
            if pg_ready():
                return
            time.sleep(0.2)


def run_database_outage(base: str, plan: dict, users: int, duration: float, outage_at: float, fault) -> dict:
    """Officers at work; ``fault()`` runs at ``outage_at`` and returns when the fault is over."""
    samples: list[load.Sample] = []
    lock = threading.Lock()
    acknowledged: list[int] = []
    submit_5xx: list[int] = []

    def recorder(sample: load.Sample):
        with lock:
            samples.append(sample)

    jobs = list(plan["jobs"])
    per_user = [jobs[n::users] for n in range(users)]
    clients = []
    for n in range(users):
        if not per_user[n]:
            continue
        client = load.Client(base, recorder)
        if not client.sign_in(per_user[n][0]["username"], load.PASSWORD):
            raise SystemExit(f"could not sign in {per_user[n][0]['username']}")
        clients.append((client, per_user[n], random.Random(n)))
    t_zero = time.monotonic()
    with lock:
        samples.clear()
    deadline = t_zero + duration
    pace = duration * 0.8 / max(len(j) for _, j, _ in clients)  # spread each user's submissions over the run

    def officer(client: load.Client, my_jobs: list[dict], rng: random.Random):
        client.t_zero = t_zero
        for job in my_jobs:
            # Each department's user signs in once; the next department's return needs its own user.
            if job["username"] != my_jobs[0]["username"]:
                client.jar.clear()
                while not client.sign_in(job["username"], load.PASSWORD) and time.monotonic() < deadline:
                    time.sleep(2)
            pk = job["pk"]
            next_at = time.monotonic() + pace
            while time.monotonic() < deadline:
                client.request("return edit", f"/reporting/returns/{pk}/edit/")
                status, _ = client.request(
                    "return save",
                    f"/reporting/returns/{pk}/edit/",
                    job["data"] | {"csrfmiddlewaretoken": client.csrf()},
                )
                if client.last.outcome == load.RETURN_PAGE:
                    break
                time.sleep(2)
            while time.monotonic() < deadline:
                client.request(
                    "return submit", f"/reporting/returns/{pk}/submit/", {"csrfmiddlewaretoken": client.csrf()}
                )
                with lock:
                    if 500 <= client.last.status < 600:
                        submit_5xx.append(pk)
                    if client.last.outcome == load.RETURN_PAGE:
                        acknowledged.append(pk)
                if client.last.outcome == load.RETURN_PAGE:
                    break
                time.sleep(2)  # a 503: the user presses the button again
            while time.monotonic() < min(next_at, deadline):  # browse until the next submission is due
                client.request("return detail", f"/reporting/returns/{pk}/")
                time.sleep(rng.uniform(1, 3))
                client.request("return list (officer)", "/reporting/returns/")
                time.sleep(rng.uniform(1, 3))
        while time.monotonic() < deadline:
            client.request("return list (officer)", "/reporting/returns/")
            time.sleep(rng.uniform(1, 3))

    threads = [threading.Thread(target=officer, args=c) for c in clients]
    [t.start() for t in threads]
    time.sleep(max(0.0, outage_at))
    down_at = time.monotonic() - t_zero
    try:
        fault()
    finally:
        ensure_pg_running()
    up_at = time.monotonic() - t_zero
    [t.join() for t in threads]
    return {
        "samples": samples,
        "down_at": down_at,
        "up_at": up_at,
        "acknowledged": acknowledged,
        "submit_5xx": submit_5xx,
        "doubled": [],
    }


def _positive(retry_after: str | None) -> bool:
    """A Retry-After in seconds, greater than zero."""
    return bool(retry_after) and retry_after.strip().isdigit() and int(retry_after) > 0


def report_database_outage(label: str, result: dict, answer_within: float) -> bool:
    samples = sorted(result["samples"], key=lambda s: s.started)
    down_at, up_at = result["down_at"], result["up_at"]
    failures = [s for s in samples if not load.expected(s.name, s.outcome)]
    last_failure = max((s.started + s.seconds for s in failures), default=up_at)
    recovered = next((s for s in samples if s.started >= last_failure and load.expected(s.name, s.outcome)), None)
    during = [s for s in samples if s.started < last_failure and s.started + s.seconds > down_at]
    print(f"\n{label}: from {down_at:.2f} s to {up_at:.2f} s ({up_at - down_at:.2f} s)")
    print(f"{len(samples)} requests in all; answers: {dict(Counter(s.outcome for s in samples).most_common())}")
    print(
        f"requests during the outage (started before the last failure ended, ended after it began): {len(during)}; "
        f"answers: {dict(Counter(s.outcome for s in during).most_common())}"
    )
    if during:
        times = sorted(s.seconds for s in during)
        print(
            f"time to answer during the outage: p50 {load.percentile(times, 50) * 1000:.0f} ms, "
            f"p95 {load.percentile(times, 95) * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms"
        )
    slowest = max(samples, key=lambda s: s.seconds, default=None)
    if slowest:
        print(f"slowest request: {slowest.seconds * 1000:.0f} ms ({slowest.name}, {slowest.outcome})")
    if failures:
        print(
            f"clients saw failures from {failures[0].started:.2f} s to {last_failure:.2f} s "
            f"({last_failure - failures[0].started:.2f} s; the first failed request had started "
            f"{failures[0].started - down_at:+.2f} s from the fault)"
        )
    else:
        print("no request failed: the outage was not seen (too short, or between requests)")
    if recovered:
        print(
            f"recovery: first success after the last failure at {recovered.started:.2f} s, "
            f"{recovered.started - up_at:+.2f} s from the end of the fault; every request after it: "
            f"{dict(Counter(s.outcome for s in samples if s.started >= recovered.started).most_common())}"
        )
    unexpected = [s for s in failures if s.outcome != "503"]
    no_retry_after = [s for s in samples if s.status == 503 and not _positive(s.retry_after)]
    too_slow = [s for s in samples if s.seconds > answer_within]
    print(
        f"503s: {sum(1 for s in samples if s.status == 503)}, without a positive Retry-After: {len(no_retry_after)}; "
        f"answers other than the page's own or a 503: {len(unexpected)}; "
        f"slower than {answer_within:g} s: {len(too_slow)}"
    )
    for s in (unexpected + too_slow)[:10]:
        print(f"  at {s.started:6.2f} s  {s.name:<22} {s.path:<40} {s.outcome}  ({s.seconds * 1000:.0f} ms)")
    db_ok, line = load.check_database(result)
    print(line)
    ok = not unexpected and not no_retry_after and not too_slow and db_ok and recovered is not None and bool(failures)
    print(f"{label.upper()}:", "OK" if ok else "FAILED")
    return ok


def run_broker_outage(
    base: str, redis: subprocess.Popen, redis_args: list[str], env: dict, log
) -> tuple[bool, subprocess.Popen]:
    from django.db import close_old_connections
    from django.utils import timezone

    from reporting.models import BoardPack
    from reporting.packs import services as packs
    from services.models import Almo
    from services.periods import Quarter

    close_old_connections()
    worker = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/celery"),
            "-A",
            "almo_sla",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "WARNING",
            "--hostname",
            f"faults-{os.getpid()}@%h",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )
    try:
        client = load.Client(base, lambda sample: None)
        if not client.sign_in("board.member", load.DEMO_PASSWORD):
            raise SystemExit("could not sign in board.member")
        client.request("pack list", "/reporting/packs/")
        redis.terminate()
        redis.wait(timeout=10)
        almo = Almo.objects.get(slug="kirkby-neighbourhood-homes")
        quarter = Quarter.containing(timezone.localdate()).previous()
        before = set(BoardPack.objects.values_list("pk", flat=True))
        started = time.perf_counter()
        status, _ = client.request(
            "pack request",
            "/reporting/packs/",
            {"almo": almo.pk, "quarter": quarter.slug, "csrfmiddlewaretoken": client.csrf()},
        )
        seconds = time.perf_counter() - started
        new = list(BoardPack.objects.exclude(pk__in=before))
        told = "The pack is saved; it will be rendered when the task queue is back." in _follow(client, new)
        print(
            f"\nbroker stopped: pack request answered {status} in {seconds * 1000:.0f} ms; packs saved: {len(new)} "
            f"({', '.join(p.status for p in new)}); user told: {told}"
        )
        redis = subprocess.Popen(redis_args, stdout=subprocess.DEVNULL)
        time.sleep(0.5)
        from almo_sla.celery import app

        app._pool = None
        app.amqp._producer_pool = None
        later = timezone.now() + dt.timedelta(seconds=3600)
        requeued = packs.board_packs_requeue(now=later)
        again = packs.board_packs_requeue(now=later)
        print(f"broker back: re-queue job queued {requeued} (again: {again})")
        ok = (
            status == 302
            and seconds < 5
            and len(new) == 1
            and new[0].status == "queued"
            and told
            and requeued == [new[0].pk]
            and again == []
        )
        if len(new) != 1:
            print("BROKER OUTAGE: FAILED")
            return False, redis
        pack = new[0]
        # The worker (running all along, reconnected by itself) renders the re-queued pack.
        waited = time.perf_counter()
        while time.perf_counter() - waited < 240:
            pack.refresh_from_db()
            if not pack.in_progress:
                break
            time.sleep(1)
        renders = pack.history.filter(status=BoardPack.Status.READY).count()
        status, body, headers = _download(client, pack)
        digest = hashlib.sha256(body).hexdigest()
        packs_for_quarter = BoardPack.objects.filter(
            almo=almo, financial_year=quarter.year, quarter=quarter.number, pk__in=[p.pk for p in new]
        ).count()
        import redis as redis_lib

        left = redis_lib.Redis(port=REDIS_PORT, db=0).llen("celery")
        print(
            f"worker: pack #{pack.pk} {pack.status} after {time.perf_counter() - waited:.1f} s; "
            f"attempts {pack.attempts}; "
            f"recorded ready {renders} time(s); {pack.pages} pages; download {status} "
            f"{headers.get('Content-Type')}, {len(body)} bytes, "
            f"sha256 matches the stored one: {digest == pack.sha256}; "
            f"messages left on the queue: {left}"
        )
        ok = (
            ok
            and pack.status == BoardPack.Status.READY
            and pack.attempts == 1
            and renders == 1
            and status == 200
            and body.startswith(b"%PDF")
            and digest == pack.sha256
            and packs_for_quarter == 1
            and left == 0
        )
        print("BROKER OUTAGE:", "OK" if ok else "FAILED")
        return ok, redis
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()


def _download(client: load.Client, pack) -> tuple[int, bytes, dict]:
    req = urllib.request.Request(f"{client.base}/reporting/packs/{pack.pk}/download/")
    try:
        with client.opener.open(req, timeout=30) as resp:
            return resp.status, resp.read(), dict(resp.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, b"", dict(exc.headers)


def _follow(client: load.Client, new: list) -> str:
    if not new:
        return ""
    # The message was stored for the redirect target; the pack list shows it if the detail page was not opened.
    _, text = client.request("pack detail", f"/reporting/packs/{new[0].pk}/")
    _, listing = client.request("pack list", "/reporting/packs/")
    return text + listing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faults", default="blackhole,restart", help=f"comma-separated, of {', '.join(FAULTS)}")
    parser.add_argument("--broker", action="store_true", help="also the broker outage (same as adding 'broker')")
    parser.add_argument("--users", type=int, default=12)
    parser.add_argument("--duration", type=float, default=30)
    parser.add_argument("--outage-at", type=float, default=8)
    parser.add_argument("--blackhole-seconds", type=float, default=12)
    parser.add_argument("--scale", type=int, default=3)
    parser.add_argument(
        "--workers", type=int, default=3, help="gunicorn worker processes (3: as deployed, Procfile and systemd unit)"
    )
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--database", default=DB)
    parser.add_argument("--connect-timeout", type=float, default=2, help="DATABASE_CONNECT_TIMEOUT for the app")
    parser.add_argument("--statement-timeout", type=float, default=3, help="DATABASE_STATEMENT_TIMEOUT for the app")
    parser.add_argument("--read-timeout", type=float, default=4, help="DATABASE_READ_TIMEOUT for the app")
    parser.add_argument("--answer-within", type=float, default=20, help="slowest acceptable answer, seconds")
    parser.add_argument("--skip-seed", action="store_true")
    args = parser.parse_args()
    faults = [f.strip() for f in args.faults.split(",") if f.strip()] + (["broker"] if args.broker else [])
    if unknown := set(faults) - set(FAULTS):
        parser.error(f"unknown faults: {', '.join(sorted(unknown))}")

    env = load.base_env(args.database)
    media = tempfile.mkdtemp(prefix="faults-media-")
    redis = None
    redis_args = [
        "redis-server",
        "--port",
        str(REDIS_PORT),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        tempfile.mkdtemp(prefix="faults-redis-"),
    ]
    if "broker" in faults:
        env["CELERY_BROKER_URL"] = f"redis://127.0.0.1:{REDIS_PORT}/0"
        redis = subprocess.Popen(redis_args, stdout=subprocess.DEVNULL)
    proxy = BlackholeProxy(("127.0.0.1", 5432)).start()
    app_env = env | {
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{proxy.port}/{args.database}",
        "DATABASE_CONNECT_TIMEOUT": str(args.connect_timeout),
        "DATABASE_STATEMENT_TIMEOUT": str(args.statement_timeout),
        "DATABASE_READ_TIMEOUT": str(args.read_timeout),
        "DJANGO_MEDIA_ROOT": media,
    }
    server = None
    results = {}
    log_path = Path(tempfile.gettempdir()) / f"faults-{os.getpid()}.log"
    log = open(log_path, "w")  # noqa: SIM115 - closed at the end
    try:
        if not args.skip_seed:
            load.prepare(args.database, args.scale, env)
        load.django_setup(env | {"DJANGO_MEDIA_ROOT": media})
        print(
            f"faults: {', '.join(faults)}; {args.users} officers for {args.duration:.0f} s each, fault at "
            f"{args.outage_at:.0f} s; app timeouts: connect {args.connect_timeout:g} s, statement "
            f"{args.statement_timeout:g} s, read {args.read_timeout:g} s; load average "
            f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}"
        )
        server = load.start_gunicorn(app_env, args.port, args.workers, timeout=60, log=log)
        base = f"http://127.0.0.1:{args.port}"
        load.wait_healthy(base)

        def blackhole():
            proxy.blackhole()
            try:
                time.sleep(args.blackhole_seconds)
            finally:
                proxy.restore()

        for name, fault in (("blackhole", blackhole), ("restart", lambda: pg("restart"))):
            if name not in faults:
                continue
            load.reset_returns(args.scale)
            plan = load.load_plan(args.scale)
            print(f"\n== {name}: {len(plan['jobs'])} department returns to submit ==")
            result = run_database_outage(base, plan, args.users, args.duration, args.outage_at, fault)
            label = "database blackhole" if name == "blackhole" else "PostgreSQL restart"
            results[name] = report_database_outage(label, result, args.answer_within)
        if "broker" in faults:
            results["broker"], redis = run_broker_outage(base, redis, redis_args, app_env, log)
    finally:
        proxy.restore()
        ensure_pg_running()
        print(
            f"\nPostgreSQL running at the end: {pg_ready()}; "
            f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
            f"server log: {log_path}"
        )
        if server:
            server.terminate()
            server.wait(timeout=30)
        if redis:
            redis.terminate()
            redis.wait(timeout=10)
        proxy.close()
        log.close()
    ok = bool(results) and all(results.values())
    print("RESULT:", "OK" if ok else "FAILED", {k: "OK" if v else "FAILED" for k, v in results.items()})
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
