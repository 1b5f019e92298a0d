"""Maximum lengths on every free-text field (issue 11, low; ASVS 5.0 V2.2.1 — input validated against
what the business expects, including length). Long text stops at 5,000 characters with a message that
names the field; the model refuses it too, so imports and services cannot store more."""

from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse

from services.text import LONG_TEXT
from tests.test_fuzz import EXPECTED, FORM_PAGES, POST_ONLY, _args, first_role, post_form

#: Text the system writes itself, never a person.
SYSTEM_TEXT = {
    ("reporting", "returnreminder", "recipients"),
    ("reporting", "boardpack", "failure_reason"),
    # written by the service from its own templates, never typed by a user
    ("services", "notification", "body"),
    ("services", "notification", "failure_reason"),
    ("reporting", "planreport", "failure_reason"),
    ("outbox", "outboundemail", "body"),
    ("outbox", "outboundemail", "last_error"),
}
OURS = ("services", "agreements", "reporting")


def _text_fields():
    for model in apps.get_models():
        if model._meta.app_label not in OURS or model.__name__.startswith("Historical"):
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.TextField):
                key = (model._meta.app_label, model._meta.model_name, field.name)
                if key not in SYSTEM_TEXT:
                    yield key, field


def test_v2_2_1_every_free_text_column_has_a_maximum_the_model_enforces():
    fields = dict(_text_fields())
    assert len(fields) >= 15
    for key, field in fields.items():
        assert field.max_length, key
        assert any(isinstance(v, MaxLengthValidator) and v.limit_value == field.max_length for v in field.validators), (
            key
        )


def test_v2_2_1_the_model_refuses_text_over_the_limit(db):
    from reporting.models import Departure

    departure = Departure(what_happened="x" * (LONG_TEXT + 1), reason="r", remedial_action="a", owner="o")
    with pytest.raises(ValidationError) as caught:
        departure.full_clean(exclude=["result", "target_date"])
    assert "what_happened" in caught.value.message_dict


class _TextInputs(HTMLParser):
    """Names of the free-text boxes on a page (textareas and text inputs that are not numbers or dates)."""

    def __init__(self):
        super().__init__()
        self.names, self.ids = [], {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name") or ""
        free = tag == "textarea" or (
            tag == "input"
            and (a.get("type") or "text") == "text"
            and not a.get("inputmode")
            and "date-input" not in (a.get("class") or "")
        )
        if free and name and name not in self.names and "disabled" not in a and "readonly" not in a:
            self.names.append(name)
            self.ids[name] = a.get("id", "")


PAGES = [(name, variant, None) for name, variant in FORM_PAGES] + [
    (name, variant, source) for name, variant, _role, source in POST_ONLY if name in ("services:notice_serve",)
]
SKIP = {"two_factor_setup", "password_change", "password_reset"}  # codes and passwords, covered by auth tests


@pytest.mark.parametrize(
    "name, variant, source",
    [p for p in PAGES if p[0] not in SKIP],
    ids=[f"{p[0]}-{p[1]}" for p in PAGES if p[0] not in SKIP],
)
def test_v2_2_1_every_free_text_box_on_every_form_refuses_too_much_text(
    client, demo_data, demo_user, name, variant, source
):
    role = first_role(EXPECTED[name], variant) if source is None else "coordinator"
    client.force_login(demo_user(role))
    args = _args(name, variant, demo_data)
    url = reverse(name, args=args)
    page = reverse(source[0], args=source[1](args)) if source else url
    fields = post_form(client, url, page)
    parser = _TextInputs()
    parser.feed(client.get(page).content.decode())
    boxes = [n for n in parser.names if n in fields]
    if not boxes:
        return
    data = {n: f["default"] for n, f in fields.items() if n != "csrfmiddlewaretoken"}
    data.update({n: "x" * (LONG_TEXT + 1) for n in boxes})
    response = client.post(url, data)
    assert response.status_code == 200, f"{url} took {LONG_TEXT + 1} characters in {boxes}"
    html = response.content.decode()
    for box in boxes:
        error_id = f'id="{parser.ids[box]}-error"'
        assert error_id in html, f"{url}: {box} has no error"
        message = html.split(error_id, 1)[1].split("</p>", 1)[0]
        assert "characters or fewer" in message, f"{url}: {box}: {message}"
