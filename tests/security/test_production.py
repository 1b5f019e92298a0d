"""Production guards: demo data, the PDF URL fetcher (ASVS 5.0 V6.3.2, V1.3.6, V15.3)."""

import http.server
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from almo_sla.pdf import StaticFilesURLFetcher
from reporting.packs.render import PackHTML
from tests.test_security import PRODUCTION_ENV, ROOT, manage


def test_asvs_v6_3_2_seed_demo_refuses_to_run_in_production_mode(settings):
    """ASVS V6.3.2: no default accounts with a published password on a production instance."""
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production mode"):
        call_command("seed_demo")


def test_asvs_v6_3_2_seed_demo_refuses_from_the_command_line_in_production():
    result = manage("seed_demo", env=PRODUCTION_ENV | {"DATABASE_URL": "sqlite:////nonexistent/never-created.sqlite3"})
    assert result.returncode != 0
    assert "Refusing to load demo data" in result.stderr


@pytest.fixture
def listener():
    """A web server on loopback that counts the requests it gets."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body{}")

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()


REFUSED = [
    "http://169.254.169.254/latest/meta-data",
    "https://example.com/x.css",
    "file:///etc/passwd",
    "file:///static/../../etc/passwd",
    "file:///static/%2e%2e/%2e%2e/etc/passwd",
    "file://evil.example/static/app.css",
    "ftp://example.com/x",
    "file:///static/",
    "file:///static/js/../../../../etc/passwd",
]


def test_asvs_v1_3_6_the_pdf_fetcher_is_a_weasyprint_fetcher_that_serves_only_static_files():
    """ASVS V1.3.6: an allow-list fetcher of WeasyPrint's own type; anything else fails closed."""
    fetcher = StaticFilesURLFetcher()
    assert isinstance(fetcher, URLFetcher)
    for url in REFUSED:
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    response = fetcher.fetch("file:///static/js/app.mjs")
    assert response.read() == (ROOT / "static" / "js" / "app.mjs").read_bytes()


def test_asvs_v1_3_6_pdfs_with_remote_resources_render_without_fetching(listener):
    """ASVS V1.3.6: no request leaves the server while a pack or a version renders (a pack
    with a remote resource used to crash the render instead)."""
    base, hits = listener
    html = (
        f'<html lang="en-GB"><head><title>t</title><link rel="stylesheet" href="{base}/a.css"></head>'
        f'<body><h1>Pack</h1><img src="{base}/b.png" alt=""><img src="file:///etc/passwd" alt=""></body></html>'
    )
    # the pack renders through PackHTML with the same fetcher (reporting.packs.render.render_pack)
    document = PackHTML(string=html, url_fetcher=StaticFilesURLFetcher()).render()
    assert len(document.pages) == 1 and document.write_pdf().startswith(b"%PDF")
    pdf = HTML(string=html, base_url="file:///", url_fetcher=StaticFilesURLFetcher()).write_pdf()
    assert pdf.startswith(b"%PDF")
    assert hits == []
