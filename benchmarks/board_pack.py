"""Time board pack generation at several scales, against headless Chromium printing the same HTML.

    .venv/bin/python benchmarks/board_pack.py                # scales 1, 5 and 20
    .venv/bin/python benchmarks/board_pack.py --scales 1 5 --workers 2

Uses its own SQLite database (``--database``, default /tmp/almo-sla-bench.sqlite3), seeded
with ``seed_demo --scale N``. Each scale is measured in a fresh process: the pack is built
exactly as ``build_board_pack`` does (one process), then with its sections rendered by
``--workers`` processes at once (what the Celery group does across workers), and the
one-document HTML of the same pack is printed by ``chromium --headless --print-to-pdf``.
Prints seconds (wall clock), CPU seconds, pages, pages per second, peak memory (max RSS)
and the ratio to Chromium. No assertions: a report.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"


def setup_django(database: str) -> None:
    os.environ["DATABASE_URL"] = database
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "almo_sla.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def almo_slug(scale: int) -> str:
    from reporting.demo.scale import scale_slug

    return "kirkby-neighbourhood-homes" if scale == 1 else scale_slug(scale)


def _render_part(args):
    """One section in a worker process, as ``reporting.tasks.render_board_pack_section`` does."""
    slug, quarter_slug, today_iso, key = args
    import datetime as dt

    from reporting.packs.content import pack_content
    from reporting.packs.render import render_section
    from services.models import Almo
    from services.periods import Quarter

    content = pack_content(
        almo=Almo.objects.get(slug=slug), quarter=Quarter.parse(quarter_slug), today=dt.date.fromisoformat(today_iso)
    )
    return render_section(content, key)


def measure(scale: int, workers: int, html_path: str) -> dict:
    """In a fresh process: build the pack serially, then with sections in parallel."""
    from concurrent.futures import ProcessPoolExecutor

    from django.db import connections
    from django.utils import timezone

    from reporting.packs.content import pack_content
    from reporting.packs.merge import assemble
    from reporting.packs.render import full_html, part_keys
    from reporting.packs.services import build_to_file
    from services.models import Almo
    from services.periods import Quarter

    slug = almo_slug(scale)
    quarter = Quarter.containing(timezone.localdate()).previous()
    almo = Almo.objects.get(slug=slug)
    cpu, wall = time.process_time(), time.perf_counter()
    result, content, _seconds = build_to_file(almo=almo, quarter=quarter)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    Path(html_path).write_text(full_html(content), encoding="utf-8")

    connections.close_all()
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        today = content.produced_on.isoformat()
        parts = list(pool.map(_render_part, [(slug, quarter.slug, today, key) for key in part_keys(content)]))
    merged = assemble(pack_content(almo=almo, quarter=quarter, today=content.produced_on), parts)
    parallel = time.perf_counter() - started
    assert merged.pages == result.pages
    return {"scale": scale, "pages": result.pages, "seconds": wall, "cpu": cpu, "peak_mb": peak_mb, "parallel": parallel,
            "quarter": quarter.slug, "almo": slug}


def chromium(html_path: str) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (Chromium and its child processes) and pages."""
    from pypdf import PdfReader

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "pack.pdf"
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
             f"--user-data-dir={tmp}/profile", f"--print-to-pdf={out}", f"file://{html_path}"],
            check=True, capture_output=True, timeout=600,
        )
        seconds = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return seconds, cpu, len(PdfReader(out).pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 5, 20])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--database", default="sqlite:////tmp/almo-sla-bench.sqlite3")
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--html", help=argparse.SUPPRESS)
    args = parser.parse_args()
    setup_django(args.database)

    if args.measure:
        print(json.dumps(measure(args.measure, args.workers, args.html)))
        return

    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    for scale in args.scales:
        call_command("seed_demo", scale=scale, stdout=open(os.devnull, "w"))

    rows = []
    for scale in args.scales:
        with tempfile.NamedTemporaryFile(suffix=".html", delete=False) as handle:
            html_path = handle.name
        out = subprocess.run(
            [sys.executable, __file__, "--database", args.database, "--workers", str(args.workers),
             "--measure", str(scale), "--html", html_path],
            check=True, capture_output=True, text=True,
        ).stdout
        row = json.loads(out.strip().splitlines()[-1])
        row["chromium"], row["chromium_cpu"], row["chromium_pages"] = chromium(html_path)
        os.unlink(html_path)
        rows.append(row)
        print(f"scale {scale}: done", file=sys.stderr)

    print(f"Board pack benchmark ({os.cpu_count()} CPUs, {args.workers} workers for the parallel column)")
    header = (f"{'scale':>5} {'pages':>5} {'seconds':>8} {'CPU s':>7} {'pages/s':>8} {'CPU s/page':>10} {'peak MB':>8} "
              f"{'parallel s':>10} {'Chromium s':>10} {'Chr. CPU s':>10} {'Chr. pages':>10} {'ratio':>6} {'CPU ratio':>9}")
    print(header)
    print("-" * len(header))
    for r in rows:
        print(f"{r['scale']:>5} {r['pages']:>5} {r['seconds']:>8.2f} {r['cpu']:>7.2f} {r['pages'] / r['seconds']:>8.1f} "
              f"{r['cpu'] / r['pages']:>10.3f} {r['peak_mb']:>8.0f} {r['parallel']:>10.2f} {r['chromium']:>10.2f} "
              f"{r['chromium_cpu']:>10.2f} {r['chromium_pages']:>10} {r['seconds'] / r['chromium']:>5.1f}x "
              f"{r['cpu'] / max(r['chromium_cpu'], 0.01):>8.1f}x")
    print("ratio = our wall seconds (one process) / Chromium's for the same HTML; CPU ratio = the same in CPU seconds.")
    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
