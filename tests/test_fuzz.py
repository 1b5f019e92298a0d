"""Bad input, generated: every form and import endpoint gets random, hostile and malformed data.

For each endpoint we sign in as a role allowed to use it, read the form's fields from the page
(for POST-only URLs, from the page that holds the button), and POST what hypothesis makes of
them: fields kept, changed, omitted or duplicated; unicode, huge and NUL-laden strings; numbers
that are negative, huge, NaN or '1e309'; impossible dates; extra fields; files of every kind.

Whatever comes in: never a 5xx; a re-shown form has a GOV.UK error summary; and when the
response is not a success (a redirect), nothing in the database changed: no partial saves.
Each example runs in a savepoint that is rolled back, so examples do not leak into each other.
"""

import csv
import hashlib
import io
import os
import zipfile
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from reporting import imports
from tests.reporting.conftest import current_return
from tests.role_matrix import agreements as agreements_matrix
from tests.role_matrix import api as api_matrix
from tests.role_matrix import improvement as improvement_matrix
from tests.role_matrix import project as project_matrix
from tests.role_matrix import reporting as reporting_matrix
from tests.role_matrix import services as services_matrix
from tests.role_matrix import tenants as tenants_matrix

MODULES = [
    project_matrix,
    agreements_matrix,
    services_matrix,
    reporting_matrix,
    improvement_matrix,
    api_matrix,
    tenants_matrix,
]
EXPECTED = {name: variants for module in MODULES for name, variants in module.EXPECTED.items()}
OWNER = {name: module for module in MODULES for name in module.EXPECTED}

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", 30)),
    deadline=None,
    derandomize=not os.environ.get("FUZZ_RANDOM"),
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- what to type -----------------------------------------------------------------------

NASTY = [
    "",
    " ",
    "0",
    "-1",
    "-0.01",
    "1.5",
    "100",
    "1e309",
    "-1e309",
    "1E+999999",
    "NaN",
    "nan",
    "sNaN",
    "Infinity",
    "-Infinity",
    "9" * 40,
    "-" + "9" * 40,
    "0.000000000001",
    "12,345.67",
    "£1,000",
    "95%",
    "１２３",
    "١٢٣",
    "abc",
    "2025-02-30",
    "2025-13-01",
    "0000-00-00",
    "9999-12-31",
    "30/02/2025",
    "31 September 2025",
    "99",
    "-99999999999",
    "\x00",
    "a\x00b",
    "<script>alert(1)</script>",
    "'; DROP TABLE x; --",
    "𝕌𝕟𝕚𝕔𝕠𝕕𝕖 ✓ 😀",
    "\u202e",
    "\r\n\r\n",
    "123456",
    "on",
    "true",
    "None",
    "null",
    "[]",
    "{}",
    "x" * 300,
    "y" * 20_000,
]
TEXT = st.one_of(st.sampled_from(NASTY), st.text(max_size=40), st.integers().map(str), st.floats().map(str))


# values of the right shape for the input, at the edges of their range
NUMBER = st.one_of(
    st.integers(-(10**20), 10**20).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(repr),
    st.sampled_from(["0", "1", "100", "0.5", "99.99", "1e309", "-0", "NaN", "1_000"]),
)
DATE = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.tuples(st.integers(-1, 10000), st.integers(-1, 14), st.integers(-1, 33)).map(
        lambda t: f"{t[0]:04d}-{t[1]:02d}-{t[2]:02d}"
    ),
)
PLAUSIBLE = {"number": NUMBER, "date": DATE, "text": st.one_of(NUMBER, DATE, st.text(min_size=1, max_size=60))}


def _xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append([ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c, str) else c for c in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _junk_zip(payload: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", payload)
        z.writestr("xl/workbook.xml", payload[::-1])
    return out.getvalue()


CELL = st.one_of(st.sampled_from(NASTY[:-1]), st.text(max_size=20))
CSV_BODY = st.lists(st.lists(CELL, max_size=12), max_size=8).map(
    lambda rows: ("\n".join(",".join(c.replace(",", " ") for c in r) for r in rows)).encode("utf-8", "surrogatepass")
)
FILE_CONTENT = st.one_of(
    st.just(b""),
    st.binary(max_size=600),
    st.just(b"%PDF-1.4\n" + b"\x00" * 50),
    st.just(b"\xef\xbb\xbf" + ",".join(imports.COLUMNS).encode() + b"\n1,2,3\n"),
    st.just(",".join(imports.COLUMNS).encode("utf-16")),
    st.just(b"a," * 70_000 + b"\n"),  # one very long row
    st.just(b'"' + b"x" * 200_000 + b'"\n'),  # one huge field
    CSV_BODY,
    CSV_BODY.map(lambda b: ",".join(imports.COLUMNS).encode() + b"\n" + b),
    st.binary(max_size=200).map(_junk_zip),
    st.lists(
        st.lists(st.one_of(CELL, st.integers(), st.floats(allow_nan=False), st.booleans()), max_size=10), max_size=5
    ).map(lambda rows: _xlsx([imports.COLUMNS, *rows])),
)
FILE_NAME = st.sampled_from(
    [
        "return.csv",
        "return.xlsx",
        "RETURN.CSV",
        "evidence.pdf",
        "photo.png",
        "notes.txt",
        "no-extension",
        ".csv",
        "a" * 300 + ".csv",
        "../../etc/passwd.csv",
        "ünïcode.xlsx",
        "",
    ]
)
FILES = st.builds(lambda name, content: SimpleUploadedFile(name or "x", content), FILE_NAME, FILE_CONTENT)


# --- reading the form off the page ----------------------------------------------------------


class _Forms(HTMLParser):
    """Every POST form on a page: its action and its fields (name, kind, default, options)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self._form, self._select, self._textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._form = {
                "action": a.get("action") or "",
                "fields": {},
                "multipart": "multipart" in (a.get("enctype") or ""),
            }
            self.forms.append(self._form)
        if self._form is None or not a.get("name"):
            return
        fields = self._form["fields"]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                return
            field = fields.setdefault(a["name"], {"kind": kind, "default": "", "options": []})
            if kind in ("checkbox", "radio"):
                field["options"].append(a.get("value", "on"))
                if "checked" in a:
                    field["default"] = a.get("value", "on")
            else:
                field["default"] = a.get("value") or ""
        elif tag == "select":
            self._select = fields.setdefault(a["name"], {"kind": "select", "default": "", "options": []})
        elif tag == "option" and self._select is not None:
            self._select["options"].append(a.get("value", ""))
            if "selected" in a:
                self._select["default"] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = fields.setdefault(a["name"], {"kind": "textarea", "default": "", "options": []})

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["default"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def post_form(client, url, source):
    """The fields of the form on ``source`` that posts to ``url`` (an empty form if there is none)."""
    response = client.get(source)
    assert response.status_code == 200, f"GET {source}: {response.status_code}"
    parser = _Forms()
    parser.feed(response.content.decode())
    for form in parser.forms:
        if (form["action"] in ("", url) and source == url) or form["action"] == url:
            return form["fields"]
    return {}


@st.composite
def form_data(draw, fields):
    data = {}
    for name, field in fields.items():
        if name == "csrfmiddlewaretoken":
            continue
        how = draw(st.sampled_from(["keep", "option", "plausible", "plausible", "fuzz", "fuzz", "omit", "twice"]))
        if field["kind"] == "file":
            if how != "omit":
                data[name] = draw(FILES)
            continue
        if how == "keep":
            data[name] = field["default"]
        elif how == "option" and field["options"]:
            data[name] = draw(st.sampled_from(field["options"]))
        elif how == "plausible":
            data[name] = draw(PLAUSIBLE.get(field["kind"], st.text(min_size=1, max_size=30)))
        elif how == "twice":
            data[name] = [draw(TEXT), field["default"]]
        elif how != "omit":
            data[name] = draw(TEXT)
    extra = draw(st.dictionaries(st.text(min_size=1, max_size=10).filter(lambda k: k not in fields), TEXT, max_size=2))
    return data | extra


# --- the database, before and after ---------------------------------------------------------

SNAPSHOT_APPS = ["agreements", "reporting", "services", "auth", "otp_totp"]
# fields that are meant to change on a refused request: a wrong two-factor code is counted (throttling)
VOLATILE = {"last_login", "throttling_failure_count", "throttling_failure_timestamp", "last_used_at"}


def snapshot():
    """Row counts of every model in our apps, and a digest of every non-history row's fields."""
    state = {}
    for label in SNAPSHOT_APPS:
        try:
            config = apps.get_app_config(label)
        except LookupError:
            continue
        for model in config.get_models():
            qs = model._default_manager.all()
            if model._meta.object_name.startswith("Historical"):
                state[model._meta.label] = qs.count()
                continue
            names = [f.attname for f in model._meta.concrete_fields if f.attname not in VOLATILE]
            digest = hashlib.sha256(repr(list(qs.order_by("pk").values_list(*names))).encode()).hexdigest()
            state[model._meta.label] = (qs.count(), digest)
    return state


def check(client, url, data):
    """POST ``data`` in a savepoint that is rolled back; the response must be sane and, unless it
    is a success, the database unchanged."""
    with transaction.atomic():
        before = snapshot()
        response = client.post(url, data)
        status = response.status_code
        assert status < 500, f"POST {url} {data!r}: {status}"
        assert status in (200, 302, 400, 403, 404, 405, 413, 429), f"POST {url}: {status}"
        html = response.content.decode(errors="replace") if "html" in response.get("Content-Type", "") else ""
        if status == 200 and "<form" in html:
            assert "govuk-error-summary" in html, f"POST {url} re-showed the form without an error summary"
        if status != 302:
            assert snapshot() == before, f"POST {url} {data!r}: {status} but the database changed"
        transaction.set_rollback(True)
    return response


def first_role(variants, variant):
    order = ["coordinator", "east.coordinator", "environment.officer", "repairs.officer", "board.member", "admin"]
    return next(r for r in order if variants[variant].get(r) == 200)


# --- the endpoints --------------------------------------------------------------------------

# URL name, matrix variant: pages that show a form on GET and accept it on POST.
FORM_PAGES = [
    ("agreements:agreement_create", ""),
    ("agreements:agreement_edit", "east"),
    ("agreements:agreement_circulate", "east"),
    ("agreements:agreement_send_for_signoff", "east"),
    ("agreements:comment_respond", "east"),
    ("agreements:variation_create", "main"),
    ("agreements:schedule_create", "east"),
    ("agreements:schedule_edit", "east"),
    ("agreements:schedule_delete", "east"),
    ("services:benchmark_add", "legal"),
    ("services:market_test_add", "legal"),
    ("reporting:returns_open", ""),
    ("reporting:return_edit", "env"),
    ("reporting:return_review", "submitted"),
    ("reporting:return_import", "env"),
    ("reporting:departure_add", "env"),
    ("reporting:departure_edit", "env"),
    ("reporting:departure_resolve", "env"),
    ("reporting:evidence_add", "env"),
    ("two_factor_setup", ""),
    ("password_change", ""),
    ("password_reset", ""),
    # Improvement plans, escalation, meetings, service credits (issue 13)
    ("reporting:plan_add", ""),
    ("reporting:plan_edit", "knh"),
    ("reporting:theme_add", "knh"),
    ("reporting:improvement_add", "kt4"),
    ("reporting:improvement_edit", "kt4-2"),
    ("reporting:improvement_target_date", "kt4-2"),
    ("reporting:improvement_progress", "kt4-2"),
    ("reporting:improvement_task_add", "kt4-2"),
    ("reporting:improvement_resource_add", "kt4-2"),
    ("reporting:indicator_edit", "bvpi72"),
    ("reporting:risk_add", "kt4"),
    ("reporting:steering_group_add", "knh"),
    ("reporting:steering_group_member_add", "group"),
    ("reporting:quick_win_add", "knh"),
    ("reporting:case_open", ""),
    ("reporting:case_decide", "repairs"),
    ("reporting:case_close", "repairs"),
    ("reporting:procedure_step_add", "east"),
    ("reporting:credits_edit", "east"),
    ("reporting:meeting_add", ""),
    ("reporting:meeting_edit", "knh"),
    ("reporting:meeting_item_edit", "knh"),
    ("reporting:meeting_attendee_add", "knh"),
    ("reporting:meeting_action_add", "knh"),
    ("api:token", ""),
]

# POST-only URLs: (URL name, variant, role, the page holding their button: name and args from the URL's args)
POST_ONLY = [
    ("agreements:agreement_approve", "east", "east.coordinator", ("agreements:agreement_detail", lambda a: a)),
    ("agreements:variation_add_change", "main", "coordinator", ("agreements:variation_detail", lambda a: a)),
    ("services:notice_serve", "legal", "coordinator", ("services:exit_planner", lambda a: a)),
    ("services:notice_withdraw", "notice", "coordinator", None),
    ("reporting:return_submit", "env", "environment.officer", ("reporting:return_edit", lambda a: a[:1])),
    ("reporting:evidence_delete", "env", "environment.officer", ("reporting:return_detail", lambda a: a[:1])),
    ("reporting:pack_retry", "failed", "coordinator", ("reporting:pack_detail", lambda a: a)),
    ("two_factor_verify", "", "coordinator", None),
    ("reporting:plan_report_request", "knh", "coordinator", ("reporting:plan_detail", lambda a: a)),
    ("reporting:plan_close", "knh", "coordinator", ("reporting:plan_detail", lambda a: a)),
    (
        "reporting:steering_group_member_remove",
        "group",
        "coordinator",
        ("reporting:steering_group_detail", lambda a: a[:1]),
    ),
    ("reporting:procedure_step_remove", "east", "east.coordinator", ("reporting:procedure", lambda a: a[:1])),
]


def _args(name, variant, demo):
    if variant in ("east",) and name in ("agreements:agreement_send_for_signoff", "agreements:agreement_approve"):
        return [demo["east"].pk]
    return (OWNER[name].url_args(name, demo) or {"": []})[variant]


@pytest.mark.parametrize("name, variant", FORM_PAGES, ids=[n for n, _ in FORM_PAGES])
def test_form_pages_survive_bad_input(client, demo_data, demo_user, name, variant):
    client.raise_request_exception = True
    client.force_login(demo_user(first_role(EXPECTED[name], variant)))
    url = reverse(name, args=_args(name, variant, demo_data))
    fields = post_form(client, url, url)
    assert fields, f"{url} shows no form"

    @FUZZ
    @given(data=form_data(fields))
    def fuzz(data):
        check(client, url, data)

    fuzz()


@pytest.mark.parametrize("name, variant, role, source", POST_ONLY, ids=[c[0] for c in POST_ONLY])
def test_post_only_urls_survive_bad_input(client, demo_data, demo_user, name, variant, role, source):
    client.force_login(demo_user(role))
    args = _args(name, variant, demo_data)
    url = reverse(name, args=args)
    fields = post_form(client, url, reverse(source[0], args=source[1](args))) if source else {}

    @FUZZ
    @given(data=form_data(fields))
    def fuzz(data):
        check(client, url, data)

    fuzz()


def test_login_survives_bad_input(demo_data):
    client = Client(raise_request_exception=True)
    url = reverse("login")
    fields = post_form(client, url, url)
    assert {"username", "password"} <= set(fields)
    fields["username"]["options"] = ["coordinator", "admin", "environment.officer"]

    @FUZZ
    @given(data=form_data(fields))
    def fuzz(data):
        response = check(client, url, data)
        assert response.status_code != 302 or data.get("password") == "almo-demo-2025"
        client.logout()

    fuzz()


# --- the import parser, directly --------------------------------------------------------------


@FUZZ
@given(name=FILE_NAME, content=FILE_CONTENT)
def test_read_rows_takes_any_bytes(name, content):
    try:
        rows = imports.read_rows(name=name, content=content)
    except imports.ImportFailed as failed:
        assert failed.errors and all(str(e).startswith("Row ") for e in failed.errors)
    else:
        assert all(isinstance(row, list) and all(isinstance(c, str) for c in row) for row in rows)


def test_return_import_takes_any_file(demo_data, demo_user):
    """Template-shaped files with hostile cells: a clean list of row/column errors, or every row saved."""
    user = demo_user("environment.officer")
    env_return = current_return(demo_data, "Environmental Services")
    ids = [str(pk) for pk in env_return.results.values_list("standard_id", flat=True)]
    row = st.tuples(
        st.one_of(st.sampled_from(ids), CELL),
        *[CELL] * 4,
        st.one_of(CELL, st.decimals(allow_nan=True).map(str)),
        st.sampled_from(["", "met", "not met", "MET", "maybe"]),
        st.one_of(CELL, st.dates().map(str)),
        CELL,
    ).map(list)

    @FUZZ
    @given(rows=st.lists(row, max_size=6), fmt=st.sampled_from(["csv", "xlsx"]))
    def fuzz(rows, fmt):
        if fmt == "csv":
            out = io.StringIO()
            csv.writer(out).writerows([imports.COLUMNS, *rows])
            name, content = "return.csv", out.getvalue().encode("utf-8", "surrogatepass")
        else:
            name, content = "return.xlsx", _xlsx([imports.COLUMNS, *rows])
        with transaction.atomic():
            before = snapshot()
            try:
                count = imports.return_import(quarterly_return=env_return, user=user, name=name, content=content)
            except imports.ImportFailed as failed:
                assert failed.errors and all(str(e).startswith("Row ") for e in failed.errors)
                assert snapshot() == before
            else:
                filled = [r for r in imports.read_rows(name=name, content=content)[1:] if any(c.strip() for c in r)]
                assert count == len(filled)
            transaction.set_rollback(True)

    fuzz()
