"""Issue 12, forms: every form page, posted empty, comes back with "Error:" at the start of its title
and messages that name the field and say what to do, never Django's bare "This field is required.";
dates are GOV.UK date inputs (day, month, year), never the browser's date picker."""

import datetime as dt
import re
from html import unescape

import pytest
from django import forms
from django.core import validators
from django.urls import reverse

from almo_sla.forms import GovukDateField, GovukDateInput, GovukFormMixin
from tests.test_fuzz import EXPECTED, FORM_PAGES, POST_ONLY, _args, first_role, post_form

BARE_DJANGO = {
    str(m)
    for klass in (
        forms.Field,
        forms.DateField,
        forms.DecimalField,
        forms.IntegerField,
        forms.ChoiceField,
        forms.ModelChoiceField,
        forms.FileField,
        forms.MultipleChoiceField,
    )
    for m in klass.default_error_messages.values()
}
BARE_PREFIXES = ("Ensure this value", "Select a valid choice", "Enter a valid", "This field is required")

# Pages whose form is complete when posted empty (nothing is required): they save or move on.
ACCEPTS_EMPTY = {
    "reporting:return_edit",
    "reporting:returns_open",
    "agreements:agreement_circulate",
    "agreements:schedule_delete",
    "api:token",  # making a token needs nothing typed
}

PAGES = [(name, variant, None) for name, variant in FORM_PAGES] + [
    (name, variant, source) for name, variant, _role, source in POST_ONLY if name in ("services:notice_serve",)
]


def _summary(html):
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S)
    return (
        [unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in re.findall(r"<li>(.*?)</li>", match.group(0), re.S)]
        if match
        else []
    )


def _title(html):
    return unescape(re.search(r"<title>(.*?)</title>", html, re.S).group(1)).strip()


@pytest.mark.parametrize("name, variant, source", PAGES, ids=[p[0] for p in PAGES])
def test_a_form_posted_empty_says_error_in_the_title_and_names_each_field(
    client, demo_data, demo_user, name, variant, source
):
    role = first_role(EXPECTED[name], variant) if source is None else "coordinator"
    client.force_login(demo_user(role))
    args = _args(name, variant, demo_data)
    url = reverse(name, args=args)
    page = reverse(source[0], args=source[1](args)) if source else url
    fields = post_form(client, url, page)
    html_page = client.get(page).content.decode()
    assert 'type="date"' not in html_page, f"{page} still uses the browser's date picker"
    empty = {n: f["default"] for n, f in fields.items() if f["kind"] == "hidden" and n != "csrfmiddlewaretoken"}
    response = client.post(url, empty)
    if name in ACCEPTS_EMPTY and response.status_code == 302:
        return
    assert response.status_code == 200, f"POST {url} empty: {response.status_code}"
    html = response.content.decode()
    assert _title(html).startswith("Error: "), _title(html)
    items = _summary(html)
    assert items, f"{url}: no error summary"
    for item in items:
        assert item not in BARE_DJANGO and not item.startswith(BARE_PREFIXES), f"{url}: bare message {item!r}"


def test_every_date_on_the_form_pages_is_a_govuk_date_input(client, demo_data, demo_user):
    found = 0
    for name, variant, source in PAGES:
        role = first_role(EXPECTED[name], variant) if source is None else "coordinator"
        client.force_login(demo_user(role))
        args = _args(name, variant, demo_data)
        page = reverse(source[0], args=source[1](args)) if source else reverse(name, args=args)
        html = client.get(page).content.decode()
        assert 'type="date"' not in html
        found += html.count('class="govuk-date-input"')
    assert found >= 8  # agreements, standards, departures, resolve, benchmark, market test, notices …


# --- the date field itself ------------------------------------------------------------------


class NoticeForm(GovukFormMixin, forms.Form):
    served_on = forms.DateField(label="Date notice is served")
    optional = forms.DateField(label="Date resolved", required=False)


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "", "", "Enter date notice is served"),
        ("1", "", "2026", "Date notice is served must include a month"),
        ("", "", "2026", "Date notice is served must include a day and month"),
        ("31", "2", "2027", "Date notice is served must be a real date"),
        ("1", "13", "2027", "Date notice is served must be a real date"),
        ("1", "2", "27", "Date notice is served: the year must include 4 numbers"),
        ("x", "2", "2027", "Date notice is served must be a real date"),
        ("9" * 30, "2", "2027", "Date notice is served must be a real date"),
        ("1", "9" * 30, "2027", "Date notice is served must be a real date"),
        ("²", "2", "2027", "Date notice is served must be a real date"),
    ],
)
def test_the_date_input_names_the_field_and_the_missing_part(day, month, year, message):
    form = NoticeForm({"served_on_day": day, "served_on_month": month, "served_on_year": year})
    assert form.errors["served_on"] == [message]


def test_the_date_input_reads_day_month_year_a_month_name_or_one_iso_value():
    form = NoticeForm({"served_on_day": "1", "served_on_month": "12", "served_on_year": "2026"})
    assert form.is_valid() and form.cleaned_data == {"served_on": dt.date(2026, 12, 1), "optional": None}
    assert NoticeForm({"served_on_day": "1", "served_on_month": "Dec", "served_on_year": "2026"}).is_valid()
    iso = NoticeForm({"served_on": "2026-12-01"})  # bookmarked links and older clients
    assert iso.is_valid() and iso.cleaned_data["served_on"] == dt.date(2026, 12, 1)
    assert NoticeForm({"served_on": "2026-02-30"}).errors["served_on"] == ["Date notice is served must be a real date"]


def test_the_date_input_renders_three_labelled_boxes_and_keeps_what_was_typed():
    form = NoticeForm({"served_on_day": "31", "served_on_month": "2", "served_on_year": "2027"})
    html = form["served_on"].as_field_group()
    for part in ("day", "month", "year"):
        assert f'name="served_on_{part}"' in html and f'id="id_served_on_{part}"' in html
    assert 'value="31"' in html and "govuk-input--error" in html and "<legend" in html
    assert 'type="date"' not in html and 'href="#id_served_on_day"' in form.render()
    assert isinstance(NoticeForm().fields["served_on"], GovukDateField)
    assert isinstance(NoticeForm().fields["served_on"].widget, GovukDateInput)


def test_messages_name_the_field_for_text_choices_numbers_and_lengths():
    class Sample(GovukFormMixin, forms.Form):
        reason = forms.CharField(label="Reason for serving notice", max_length=10)
        kind = forms.ChoiceField(label="Type of evidence", choices=[("a", "A")])
        amount = forms.DecimalField(label="Amount", min_value=0)

    form = Sample({"reason": "x" * 11, "kind": "z", "amount": "-1"})
    assert form.errors == {
        "reason": ["Reason for serving notice must be 10 characters or fewer"],
        "kind": ["Select type of evidence from the list"],
        "amount": ["Amount must be 0 or more"],
    }
    assert Sample({}).errors["reason"] == ["Enter reason for serving notice"]
    assert Sample({}).errors["kind"] == ["Select type of evidence"]
    assert Sample({"amount": "lots"}).errors["amount"] == ["Amount must be a number"]
    assert not any(
        isinstance(v, validators.MaxLengthValidator) and "Ensure" in str(v.message)
        for v in Sample().fields["reason"].validators
    )


def test_the_exit_planner_takes_a_bookmarked_date_and_the_date_input(client_as, demo_data):
    from agreements.models import Schedule

    legal = Schedule.objects.get(agreement=demo_data["main"], service__slug="legal-advice-and-conveyancing")
    client = client_as("coordinator")
    url = reverse("services:exit_planner", args=[legal.pk])
    bookmarked = client.get(url + "?served_on=2026-12-01").content.decode()
    split = client.get(url + "?served_on_day=1&served_on_month=12&served_on_year=2026").content.decode()
    assert "If notice is served on 1 December 2026" in bookmarked and "If notice is served on 1 December 2026" in split
    bad = client.get(url + "?served_on_day=31&served_on_month=2&served_on_year=2027").content.decode()
    assert _title(bad).startswith("Error: ") and "must be a real date" in bad
