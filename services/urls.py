"""Paths under ``/services/``, in the ``services`` URL namespace.

The service catalogue's own pages live here. Pages about the same services that belong to a
higher layer — a service's schedules, costs, notices and the exit planner (``agreements``),
value for money (``reporting``) — keep their bookmarked paths under ``/services/`` and their
``services:`` names: ``almo_sla.urls`` adds their patterns to this namespace, so this app
imports neither of the others.
"""

from django.urls import path

from services import views

app_name = "services"
urlpatterns = [
    path("", views.ServiceListView.as_view(), name="service_list"),
]
