"""Escalation, monitoring meeting and service credit URLs, in the ``reporting`` namespace under /reporting/."""

from django.urls import path

from reporting.cases import views

urlpatterns = [
    path("cases/", views.CaseListView.as_view(), name="case_list"),
    path("cases/open/", views.CaseOpenView.as_view(), name="case_open"),
    path("cases/<int:pk>/", views.CaseDetailView.as_view(), name="case_detail"),
    path("cases/<int:pk>/decide/", views.CaseDecideView.as_view(), name="case_decide"),
    path("cases/<int:pk>/close/", views.CaseCloseView.as_view(), name="case_close"),
    path("agreements/<int:pk>/procedure/", views.ProcedureView.as_view(), name="procedure"),
    path("agreements/<int:pk>/procedure/steps/add/", views.ProcedureStepFormView.as_view(), name="procedure_step_add"),
    path(
        "agreements/<int:pk>/procedure/steps/<int:position>/edit/",
        views.ProcedureStepFormView.as_view(),
        name="procedure_step_edit",
    ),
    path(
        "agreements/<int:pk>/procedure/steps/<int:position>/remove/",
        views.ProcedureStepDeleteView.as_view(),
        name="procedure_step_remove",
    ),
    path("agreements/<int:pk>/service-credits/", views.CreditSchemeView.as_view(), name="credits"),
    path("agreements/<int:pk>/service-credits/edit/", views.CreditSchemeEditView.as_view(), name="credits_edit"),
    path("meetings/", views.MeetingListView.as_view(), name="meeting_list"),
    path("meetings/add/", views.MeetingCreateView.as_view(), name="meeting_add"),
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.MeetingEditView.as_view(), name="meeting_edit"),
    path("meetings/<int:pk>/items/add/", views.AgendaItemFormView.as_view(), name="meeting_item_add"),
    path("meetings/<int:pk>/items/<int:item_pk>/edit/", views.AgendaItemFormView.as_view(), name="meeting_item_edit"),
    path("meetings/<int:pk>/attendees/add/", views.AttendeeFormView.as_view(), name="meeting_attendee_add"),
    path("meetings/<int:pk>/actions/add/", views.ActionFormView.as_view(), name="meeting_action_add"),
    path("meetings/<int:pk>/actions/<int:action_pk>/edit/", views.ActionFormView.as_view(), name="meeting_action_edit"),
]
