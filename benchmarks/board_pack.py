"""Time board packs at several scales against headless Chromium printing the same HTML.

    .venv/bin/python benchmarks/board_pack.py                     # scales 1, 5 and 20, 5 repeats
    .venv/bin/python benchmarks/board_pack.py --scales 1 --repeats 7

Uses its own SQLite database (``--database``, default /tmp/almo-sla-bench.sqlite3), seeded with
``seed_demo --scale N``. For each scale:

- **ours**: a long-lived worker process (as a Celery worker is) builds the pack exactly as the
  task does (content from the database, tagged render in parts, merge) after one warm-up
  render, with the cache of rendered parts emptied first: a first render. Wall and CPU
  seconds of each build, and the worker's peak memory (max RSS).
- **re-render**: the same worker, after one department's return changed (one figure, in a
  transaction rolled back afterwards), with the parts of the pack before the change cached
  (the cache is emptied and the unchanged pack rendered first, untimed): what a second
  render of the pack costs. The parts rendered again are counted.
- **one pass**: the same worker rendering the whole pack as one document
  (``BOARD_PACK_RENDERER = "one-pass"``), for comparison (``--no-one-pass`` to skip).
- **Chromium cold**: ``chromium --headless --print-to-pdf`` of the pack's one-document HTML, a
  new browser with a fresh profile each time. CPU is that of *every* Chromium process (browser,
  zygotes, renderer, GPU and utility processes), read from /proc while they run and from the
  rusage of the reaped ones, whichever is larger; memory is the peak of their summed RSS.
- **Chromium warm**: one browser kept open (Playwright), a new page printing the same HTML each
  time; CPU is the change in all its processes' CPU.

The engines are alternated within each repeat (the order rotates), so machine load falls on
all of them alike. Prints the median and minimum of each, the ratios of our median wall time to
Chromium's cold and warm medians, and the load average. No assertions: a report.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu"]
TICKS = os.sysconf("SC_CLK_TCK")
PAGE = 4096


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


# --- our side: a worker process that renders on request -------------------------------------


def serve(scale: int, html_path: str) -> None:
    """Render the pack each time a line arrives on stdin; answer with one JSON line."""
    from django.conf import settings
    from django.core.cache import caches
    from django.db import transaction
    from django.utils import timezone

    from reporting.models import StandardResult
    from reporting.packs import render
    from reporting.packs.content import pack_content
    from services.models import Almo
    from services.periods import Quarter

    if hasattr(render, "render_pack"):
        render_pack, pack_html = render.render_pack, render.pack_html
    else:  # the code before issue 15 (sections merged with pypdf), to measure "before"
        from reporting.packs.merge import assemble

        def render_pack(content):
            return assemble(content, [render.render_section(content, key) for key in render.part_keys(content)])

        pack_html = render.full_html

    almo = Almo.objects.get(slug=almo_slug(scale))
    quarter = Quarter.containing(timezone.localdate()).previous()

    def empty_cache() -> None:
        if hasattr(settings, "BOARD_PACK_CACHE"):
            caches[settings.BOARD_PACK_CACHE].clear()

    def build(renderer: str = "parts") -> dict:
        if hasattr(settings, "BOARD_PACK_RENDERER"):
            settings.BOARD_PACK_RENDERER = renderer
        cpu, wall = time.process_time(), time.perf_counter()
        content = pack_content(almo=almo, quarter=quarter)
        result = render_pack(content)
        stats = getattr(result, "stats", None)
        return {
            "wall": time.perf_counter() - wall,
            "cpu": time.process_time() - cpu,
            "pages": result.pages,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "rendered": len(stats.rendered) if stats else None,
            "parts": len(stats.rendered) + len(stats.reused) if stats else None,
        }

    content = pack_content(almo=almo, quarter=quarter)
    Path(html_path).write_text(pack_html(content), encoding="utf-8")
    build()  # warm-up: imports, fonts, template loading
    build("one-pass")
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        if line.strip() == "change":
            empty_cache()
            build()  # the pack as it was, its parts cached
            with transaction.atomic():
                result = (
                    StandardResult.objects.filter(
                        quarterly_return__agreement__almo=almo,
                        quarterly_return__financial_year=quarter.year,
                        quarterly_return__quarter=quarter.number,
                        actual__isnull=False,
                    )
                    .order_by("pk")
                    .first()
                )
                StandardResult.objects.filter(pk=result.pk).update(actual=result.actual + 1)
                answer = build()
                transaction.set_rollback(True)
        elif line.strip() == "one-pass":
            answer = build("one-pass")
        else:
            empty_cache()
            answer = build()
        print(json.dumps(answer), flush=True)


class Worker:
    def __init__(self, scale: int, database: str, html_path: str):
        self.cache = tempfile.TemporaryDirectory(prefix="board-pack-parts-")
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--database", database, "--serve", str(scale), "--html", html_path],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "BOARD_PACK_CACHE_URL": f"filecache://{self.cache.name}"},
        )
        json.loads(self.process.stdout.readline())

    def ask(self, command: str = "build") -> dict:
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=60)
        self.cache.cleanup()


# --- Chromium's side ---------------------------------------------------------------------------


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            tree.setdefault(int(fields[1]), []).append(int(entry))
    return tree


def descendants(pid: int) -> list[int]:
    tree, found, stack = _children(), [], [pid]
    while stack:
        for child in tree.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def cpu_and_rss(pids) -> dict[int, tuple[float, int]]:
    """{pid: (CPU seconds, RSS bytes)} of the processes still alive."""
    found = {}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[pid] = ((int(fields[11]) + int(fields[12])) / TICKS, int(fields[21]) * PAGE)
    return found


def chromium_cold(html_path: str) -> dict:
    """One cold print: wall, CPU of every Chromium process, peak summed RSS."""
    with tempfile.TemporaryDirectory() as tmp:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        process = subprocess.Popen(
            [
                CHROMIUM,
                *CHROMIUM_ARGS,
                "--no-pdf-header-footer",
                f"--user-data-dir={tmp}/profile",
                f"--print-to-pdf={tmp}/pack.pdf",
                f"file://{html_path}",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        seen: dict[int, float] = {}
        peak = 0
        while process.poll() is None:
            sample = cpu_and_rss([process.pid, *descendants(process.pid)])
            for pid, (cpu, _rss) in sample.items():
                seen[pid] = max(seen.get(pid, 0.0), cpu)
            peak = max(peak, sum(rss for _cpu, rss in sample.values()))
            time.sleep(0.01)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        reaped = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if process.returncode:
            raise RuntimeError(f"Chromium exited with {process.returncode}")
        return {"wall": wall, "cpu": max(reaped, sum(seen.values())), "peak_mb": peak / 2**20}


class WarmChromium:
    """One headless Chromium kept open through Playwright; each print opens a new page."""

    def __init__(self):
        from playwright.sync_api import sync_playwright

        self.playwright = sync_playwright().start()
        self.browser = self.playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        self.peak = 0
        self._stop = threading.Event()

    def _processes(self) -> list[int]:
        return descendants(os.getpid())

    def print(self, html_path: str) -> dict:
        with tempfile.TemporaryDirectory() as tmp:
            before = sum(cpu for cpu, _rss in cpu_and_rss(self._processes()).values())
            started = time.perf_counter()
            page = self.browser.new_page()
            page.goto(f"file://{html_path}")
            page.pdf(path=f"{tmp}/pack.pdf", format="A4", prefer_css_page_size=True)
            sample = cpu_and_rss(self._processes())
            page.close()
            wall = time.perf_counter() - started
            after = sum(cpu for cpu, _rss in cpu_and_rss(self._processes()).values())
            self.peak = max(self.peak, sum(rss for _cpu, rss in sample.values()))
        return {"wall": wall, "cpu": max(after - before, 0.0), "peak_mb": self.peak / 2**20}

    def close(self) -> None:
        self.browser.close()
        self.playwright.stop()


# --- the run -----------------------------------------------------------------------------------


def summary(runs: list[dict], key: str = "wall") -> tuple[float, float]:
    values = [run[key] for run in runs]
    return statistics.median(values), min(values)


def measure_scale(scale: int, repeats: int, database: str, warm: WarmChromium | None, one_pass: bool = True) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".html", delete=False) as handle:
        html_path = handle.name
    worker = Worker(scale, database, html_path)
    chromium_cold(html_path)  # the first Chromium start ever reads its binary from disk: not counted
    if warm:
        warm.print(html_path)
    runs: dict[str, list[dict]] = {"ours": [], "rerender": [], "cold": [], "warm": [], "onepass": []}
    engines = ["ours", "cold", "warm", "rerender"] if warm else ["ours", "cold", "rerender"]
    if one_pass:
        engines.append("onepass")
    for repeat in range(repeats):
        order = engines[repeat % len(engines) :] + engines[: repeat % len(engines)]
        for engine in order:
            if engine == "ours":
                runs["ours"].append(worker.ask())
            elif engine == "rerender":
                runs["rerender"].append(worker.ask("change"))
            elif engine == "onepass":
                runs["onepass"].append(worker.ask("one-pass"))
            elif engine == "cold":
                runs["cold"].append(chromium_cold(html_path))
            else:
                runs["warm"].append(warm.print(html_path))
    worker.close()
    os.unlink(html_path)
    return {"scale": scale, **runs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 5, 20])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-warm", action="store_true", help="Skip the warm Chromium (no Playwright).")
    parser.add_argument("--no-seed", action="store_true", help="The database is already seeded.")
    parser.add_argument("--no-one-pass", action="store_true", help="Skip the one-pass render.")
    parser.add_argument("--database", default="sqlite:////tmp/almo-sla-bench.sqlite3")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--html", help=argparse.SUPPRESS)
    args = parser.parse_args()
    setup_django(args.database)

    if args.serve:
        serve(args.serve, args.html)
        return

    if not args.no_seed:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        for scale in args.scales:
            call_command("seed_demo", scale=scale, stdout=open(os.devnull, "w"))

    load_before = os.getloadavg()
    warm = None if args.no_warm else WarmChromium()
    rows = []
    try:
        for scale in args.scales:
            rows.append(measure_scale(scale, args.repeats, args.database, warm, one_pass=not args.no_one_pass))
            print(f"scale {scale}: done", file=sys.stderr)
    finally:
        if warm:
            warm.close()

    print(f"Board pack benchmark: {os.cpu_count()} CPUs, {args.repeats} alternated repeats, medians (minimum)")
    header = (
        f"{'scale':>5} {'pages':>5} | {'ours s':>12} {'CPU s':>5} {'MB':>4} | {'re-render s':>12} {'x':>5} | "
        f"{'Chr. cold s':>12} {'CPU s':>5} {'MB':>4} | {'Chr. warm s':>12} {'CPU s':>5} | {'x cold':>6} {'x warm':>6}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        ours, ours_min = summary(row["ours"])
        again, again_min = summary(row["rerender"])
        cold, cold_min = summary(row["cold"])
        line = (
            f"{row['scale']:>5} {row['ours'][0]['pages']:>5} | {ours:>5.2f} ({ours_min:>4.2f}) "
            f"{summary(row['ours'], 'cpu')[0]:>5.2f} {max(r['peak_mb'] for r in row['ours']):>4.0f} | "
            f"{again:>5.2f} ({again_min:>4.2f}) {again / ours:>4.2f}x | "
            f"{cold:>5.2f} ({cold_min:>4.2f}) {summary(row['cold'], 'cpu')[0]:>5.2f} "
            f"{max(r['peak_mb'] for r in row['cold']):>4.0f} | "
        )
        if row["warm"]:
            warm_median, warm_min = summary(row["warm"])
            line += (
                f"{warm_median:>5.2f} ({warm_min:>4.2f}) {summary(row['warm'], 'cpu')[0]:>5.2f} | "
                f"{ours / cold:>5.2f}x {ours / warm_median:>5.2f}x"
            )
        else:
            line += f"{'–':>12} {'–':>5} | {ours / cold:>5.2f}x {'–':>6}"
        print(line)
    print(
        "x cold / x warm = our median wall time / Chromium's "
        "(cold: new browser each print; warm: one browser kept open)."
    )
    print("re-render x = median wall time after one department's return changed / first render.")
    for row in rows:
        again = row["rerender"][0]
        cpu_again, cpu_first = summary(row["rerender"], "cpu")[0], summary(row["ours"], "cpu")[0]
        line = (
            f"scale {row['scale']}: re-render rendered {again['rendered']} of {again['parts']} parts, "
            f"CPU {cpu_again:.2f} s = {cpu_again / cpu_first:.2f}x the first render's CPU"
        )
        if row["onepass"]:
            one, one_min = summary(row["onepass"])
            cold, _ = summary(row["cold"])
            line += (
                f"; one pass {one:.2f} s ({one_min:.2f}), CPU {summary(row['onepass'], 'cpu')[0]:.2f} s, "
                f"{row['onepass'][0]['pages']} pages, "
                f"{one / cold:.2f}x cold Chromium; parts first render / one pass {summary(row['ours'])[0] / one:.2f}x"
            )
        print(line)
    print(
        f"load average before: {' '.join(f'{x:.2f}' for x in load_before)}; "
        f"after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )


if __name__ == "__main__":
    main()
