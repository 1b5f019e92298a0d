"""``almo_sla.form_pages.FormPage``, the one shape of a GET/POST form page, on a page of its own:
it loads the object once, asks the rule through ``access.can``, re-shows invalid input with the
error summary, puts the write's ValidationError on the form, and redirects with a message."""

from __future__ import annotations

import pytest
import rules
from django import forms
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import RequestFactory, override_settings

from almo_sla.form_pages import FormPage

PAGE_TEMPLATE = "{{ form }}<p>object={{ thing }}</p>"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": settings.TEMPLATES[0]["DIRS"],  # the GOV.UK form templates
        "OPTIONS": {
            "loaders": [
                ("django.template.loaders.locmem.Loader", {"page.html": PAGE_TEMPLATE}),
                "django.template.loaders.filesystem.Loader",
                "django.template.loaders.app_directories.Loader",
            ],
            "libraries": {"govuk_forms": "almo_sla.templatetags.govuk_forms"},
        },
    }
]


class NameForm(forms.Form):
    name = forms.CharField(label="Name", error_messages={"required": "Enter the name."})
    note = forms.CharField(label="Note", required=False)


class Thing:
    def __init__(self, pk):
        self.pk = pk

    def __str__(self):
        return f"thing {self.pk}"


class ThingPage(FormPage):
    template_name = "page.html"
    form_class = NameForm
    perm = "form_pages_test.rename_thing"
    context_object_name = "thing"
    success_message = "Renamed."
    loads = 0
    written = None

    def get_object(self):
        type(self).loads += 1
        if self.kwargs["pk"] == 404:
            raise Http404("No such thing.")
        return Thing(self.kwargs["pk"])

    def write(self, form):
        if form.cleaned_data["name"] == "taken":
            raise ValidationError({"name": "That name is taken.", "__all__": "Nothing was renamed."})
        if form.cleaned_data["name"] == "closed":
            raise ValidationError("The thing is closed.")
        type(self).written = (self.object.pk, form.cleaned_data["name"])
        return f"/things/{self.object.pk}/"


@pytest.fixture(autouse=True)
def _rule_and_templates():
    """Thing 2 may not be renamed; every other thing may."""
    rules.add_perm("form_pages_test.rename_thing", rules.predicate(lambda user, thing: thing.pk != 2))
    ThingPage.loads, ThingPage.written = 0, None
    with override_settings(TEMPLATES=TEMPLATES):
        yield
    rules.remove_perm("form_pages_test.rename_thing")


def call(method, pk, data=None):
    request = getattr(RequestFactory(), method)(f"/things/{pk}/rename/", data or {})
    request.user = User(username="someone", is_active=True)
    request._messages = CookieStorage(request)
    return request, ThingPage.as_view()(request, pk=pk)


def test_get_shows_the_form_for_the_object_loaded_once():
    _request, response = call("get", 1)
    assert response.status_code == 200
    assert b'name="name"' in response.content and b"object=thing 1" in response.content
    assert b"govuk-error-summary" not in response.content
    assert ThingPage.loads == 1


def test_invalid_input_comes_back_with_the_error_summary_and_nothing_lost():
    _request, response = call("post", 1, {"name": "", "note": "keep me"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html and "Enter the name." in html
    assert 'value="keep me"' in html
    assert ThingPage.written is None


def test_valid_input_calls_the_write_then_redirects_with_the_message():
    request, response = call("post", 1, {"name": "new"})
    assert response.status_code == 302 and response.url == "/things/1/"
    assert ThingPage.written == (1, "new")
    assert [m.message for m in request._messages] == ["Renamed."]
    assert ThingPage.loads == 1


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_rule_refusing_is_403_and_nothing_written(method):
    with pytest.raises(PermissionDenied):
        call(method, 2, {"name": "new"})
    assert ThingPage.written is None


def test_an_object_the_user_may_not_see_is_404_before_the_rule():
    with pytest.raises(Http404):
        call("get", 404)


def test_the_writes_validation_error_lands_on_the_field_and_the_summary():
    request, response = call("post", 1, {"name": "taken", "note": "keep me"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "That name is taken." in html and "Nothing was renamed." in html
    assert 'value="taken"' in html and 'value="keep me"' in html
    assert list(request._messages) == []


def test_a_validation_error_naming_no_field_goes_to_the_top_of_the_summary():
    _request, response = call("post", 1, {"name": "closed"})
    assert response.status_code == 200
    assert "The thing is closed." in response.content.decode()


def test_a_page_may_put_a_validation_error_naming_no_field_on_one_of_its_fields(monkeypatch):
    monkeypatch.setattr(ThingPage, "write_error_field", "name")
    _request, response = call("post", 1, {"name": "closed"})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<p class="govuk-error-message" id="id_name-error">' in html
    assert "The thing is closed." in html.split('id="id_name-error">', 1)[1].split("</p>", 1)[0]
    assert ThingPage.written is None
