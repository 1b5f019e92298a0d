"""Startup stays light: WeasyPrint (0.4 s and 42 MB per process) loads only where PDFs are made."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_loading_the_urls_and_tasks_does_not_import_weasyprint():
    code = (
        "import django, os, sys; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'almo_sla.settings'); django.setup();"
        "from django.urls import get_resolver; get_resolver().url_patterns;"
        "import almo_sla.celery, reporting.tasks, agreements.tasks;"
        "print(sorted(m for m in ('weasyprint', 'pikepdf') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_the_pdf_paths_still_import_it():
    code = (
        "import django, os, sys; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'almo_sla.settings'); django.setup();"
        "import reporting.packs.render, agreements.pdf; print('weasyprint' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip().splitlines()[-1] == "True", done.stderr
