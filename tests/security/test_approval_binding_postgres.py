"""The variation row lock under real concurrency (issue 11, Medium; PostgreSQL only).

ASVS 5.0 V2.3.4 (locking mechanisms stop two requests racing on the same business object).
Before the fix, adding a change to a variation while the last signatory approved applied a
change the council never approved. Run with
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/almo_sla_signoff``.
"""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.utils import timezone

from agreements import services
from agreements.models import Variation
from tests.agreements.factories import active_agreement, user

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def test_asvs_v2_3_4_a_change_added_while_the_last_signatory_approves_is_never_applied_unapproved(demo_data):
    agreement = active_agreement(demo_data)
    cars = agreement.schedules.get(service__slug="removal-of-abandoned-vehicles")
    variation = services.variation_propose(
        agreement=agreement,
        user=user("coordinator"),
        reason="Re-tender",
        effective_date=timezone.localdate(),
        schedule=cars,
        field="notice_period_months",
        new_value="6",
    )
    services.variation_decide(
        variation=variation, user=user("council.signatory"), approve=True, revision=variation.revision
    )
    seen = Variation.objects.get(pk=variation.pk).revision  # what the ALMO signatory's page shows
    locked, outcome = threading.Event(), {}

    def coordinator_adds_a_change():
        try:
            with transaction.atomic():
                Variation.objects.select_for_update().get(pk=variation.pk)
                locked.set()
                time.sleep(1.0)  # the signatory's approval arrives while the change is being recorded
                services.variation_add_change(variation=variation, schedule=cars, field="annual_cost", new_value="1")
        finally:
            connections.close_all()

    def almo_signatory_approves():
        locked.wait(5)
        try:
            services.variation_decide(variation=variation, user=user("almo.signatory"), approve=True, revision=seen)
            outcome["approved"] = True
        except ValidationError as error:
            outcome["refused"] = " ".join(error.messages)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=coordinator_adds_a_change), threading.Thread(target=almo_signatory_approves)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert "changed after you opened it" in outcome.get("refused", ""), outcome
    variation.refresh_from_db()
    cars.refresh_from_db()
    assert variation.status == Variation.Status.PROPOSED
    assert not variation.approvals.exists()  # the council's approval lapsed with the new change
    assert cars.annual_cost != 1 and cars.notice_period_months == 3
