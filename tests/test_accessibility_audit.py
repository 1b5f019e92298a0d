"""Regression tests for the accessibility audit of issue 15 (the markup the server sends)."""

import re
from pathlib import Path

import pytest
from django import forms
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from agreements.models import Schedule
from almo_sla.forms import GovukFormMixin
from reporting.models import QuarterlyReturn

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def test_numeric_cells_have_one_class_attribute_with_both_classes(client_as, demo_data):
    html = client_as("admin").get(reverse("services:service_list")).content.decode()
    cells = re.findall(r"<td\b[^>]*>", html)
    assert cells
    assert not [cell for cell in cells if cell.count("class=") > 1]
    assert any('class="govuk-table__cell govuk-table__cell--numeric"' in cell for cell in cells)


def test_wide_list_tables_scroll_in_a_focusable_labelled_region(client_as, demo_data):
    html = client_as("admin").get(reverse("agreements:agreement_list")).content.decode()
    region = re.search(r'<div class="app-table-wrapper" role="region" aria-label="([^"]+)" tabindex="0">', html)
    assert region and region.group(1).strip()


def test_a_radio_group_error_links_to_its_first_radio(client_as, demo_data):
    submitted = QuarterlyReturn.objects.filter(agreement=demo_data["main"], status="submitted").first()
    assert submitted is not None, "the demo has a return waiting for review"
    html = client_as("coordinator").post(reverse("reporting:return_review", args=[submitted.pk]), {}).content.decode()
    summary = html[html.index("govuk-error-summary") : html.index("</ul>", html.index("govuk-error-summary"))]
    links = re.findall(r'href="#([^"]*)"', summary)
    assert links and "" not in links
    for anchor in links:
        assert f'id="{anchor}"' in html, anchor


def test_the_schedule_form_shows_one_error_summary_for_the_form_and_its_standards(client_as, demo_data):
    east = demo_data["east"]
    cars = Schedule.objects.get(agreement=east, service__slug="removal-of-abandoned-vehicles")
    client = client_as("east.coordinator")
    url = reverse("agreements:schedule_edit", args=[east.pk, cars.pk])
    page = client.get(url)
    data = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page.content.decode()):
        data[name] = value
    data["expected_service_level"] = ""  # a form error
    html = client.post(url, data).content.decode()
    assert html.count('class="govuk-error-summary"') == 1
    summary = html[html.index("govuk-error-summary") : html.index("</ul>", html.index("govuk-error-summary"))]
    assert 'href="#id_expected_service_level"' in summary


class HintedForm(GovukFormMixin, forms.Form):
    name = forms.CharField(help_text="As it appears on the contract.")
    plain = forms.CharField()


def test_a_field_with_an_error_keeps_its_hint_linked():
    form = HintedForm(data={})
    assert not form.is_valid()
    html = str(form["name"])
    assert 'aria-describedby="id_name_helptext id_name-error"' in html
    assert 'aria-describedby="id_plain-error"' in str(form["plain"])
    rendered = str(form)
    assert 'id="id_name_helptext"' in rendered and 'id="id_name-error"' in rendered


def test_the_account_bar_and_back_link_are_inside_landmarks(client_as, demo_data):
    east = demo_data["east"]
    cars = Schedule.objects.get(agreement=east, service__slug="removal-of-abandoned-vehicles")
    html = (
        client_as("east.coordinator").get(reverse("agreements:schedule_edit", args=[east.pk, cars.pk])).content.decode()
    )
    bar = html.index("Signed in as")
    assert html.rfind('<section class="app-user-bar govuk-body-s" aria-label="Your account">', 0, bar) != -1
    main = html.index('<main class="govuk-main-wrapper" id="main-content">')
    assert main < html.index("govuk-back-link") < html.index("</main>")


def test_return_pages_give_earlier_quarters_rag_as_text_with_a_legend(client_as, demo_data):
    ret = (
        QuarterlyReturn.objects.filter(agreement=demo_data["main"], status="accepted")
        .order_by("-financial_year", "-quarter")
        .first()
    )
    html = client_as("coordinator").get(reverse("reporting:return_detail", args=[ret.pk])).content.decode()
    assert 'id="trend-legend"' in html and "<strong>R</strong> red" in html
    letters = re.findall(r'<p class="govuk-body-s app-trend__letters" aria-hidden="true">([^<]*)</p>', html)
    assert letters and all(re.fullmatch(r"[RAG–]( [RAG–])*", text) for text in letters)
    assert any(set(text.split()) & {"R", "A", "G"} for text in letters)


def test_signed_in_pages_carry_the_timeout_warning_and_anonymous_ones_do_not(client, client_as, demo_data, settings):
    assert 'id="timeout-warning"' not in client.get(reverse("login")).content.decode()
    html = client_as("coordinator").get(reverse("dashboard")).content.decode()
    dialog = re.search(r'<dialog class="app-timeout-dialog" id="timeout-warning"[^>]*>', html, re.S).group(0)
    assert f'data-timeout="{settings.SESSION_COOKIE_AGE}"' in dialog
    assert f'data-warning="{settings.SESSION_TIMEOUT_WARNING}"' in dialog
    assert f'action="{reverse("session_extend")}"' in html  # works as a plain form without JavaScript


def test_extending_the_session_starts_the_idle_time_again(client_as, demo_data, settings):
    client = client_as("coordinator")
    url = reverse("session_extend")
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timezone.timedelta(seconds=60))
    response = client.post(url, HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response.json() == {"expires_in": settings.SESSION_COOKIE_AGE}
    expires = Session.objects.get(session_key=key).expire_date
    assert expires > timezone.now() + timezone.timedelta(seconds=settings.SESSION_COOKIE_AGE - 30)
    back = client.post(url, {"next": reverse("reporting:return_list")})
    assert back.status_code == 302 and back.url == reverse("reporting:return_list")
    elsewhere = client.post(url, {"next": "https://evil.example/"})
    assert elsewhere.url == reverse("dashboard")
    assert client.get(url).status_code == 405


def test_an_expired_session_asks_to_sign_in_again_and_says_why(client, demo_data):
    html = client.get(reverse("login") + "?timed_out=1&next=/reporting/returns/").content.decode()
    assert "You were signed out because you had not done anything for 30 minutes." in html


def test_the_print_stylesheet_hides_navigation_and_link_addresses():
    scss = (ROOT / "static" / "scss" / "app.scss").read_text()
    media = scss[scss.index("@media print") :]
    for selector in (".govuk-service-navigation", ".app-user-bar", ".govuk-footer", ".govuk-back-link"):
        assert selector in media
    assert "content: none !important" in media and "display: table-header-group" in media
