from django.urls import path, re_path

from reporting import pack_views, views
from reporting.cases.urls import urlpatterns as case_urls
from reporting.complaints import views as complaint_views
from reporting.council import views as council_views
from reporting.improvement.urls import urlpatterns as improvement_urls
from reporting.public import views as public_views
from reporting.scrutiny import views as scrutiny_views
from reporting.tsm import views as tsm_views

app_name = "reporting"
urlpatterns = [
    path("returns/", views.ReturnListView.as_view(), name="return_list"),
    path("returns/open/", views.ReturnsOpenView.as_view(), name="returns_open"),
    path("returns/<int:pk>/", views.ReturnDetailView.as_view(), name="return_detail"),
    path("returns/<int:pk>/edit/", views.ReturnEditView.as_view(), name="return_edit"),
    path("returns/<int:pk>/submit/", views.ReturnSubmitView.as_view(), name="return_submit"),
    path("returns/<int:pk>/review/", views.ReturnReviewView.as_view(), name="return_review"),
    path("returns/<int:pk>/remind/", views.ReturnRemindView.as_view(), name="return_remind"),
    re_path(
        r"^returns/(?P<pk>[0-9]+)/template\.(?P<fmt>csv|xlsx)$",
        views.ReturnTemplateView.as_view(),
        name="return_template",
    ),
    path("returns/<int:pk>/import/", views.ReturnImportView.as_view(), name="return_import"),
    path(
        "returns/<int:pk>/results/<int:result_pk>/departures/add/",
        views.DepartureFormView.as_view(),
        name="departure_add",
    ),
    path(
        "returns/<int:pk>/departures/<int:departure_pk>/edit/", views.DepartureFormView.as_view(), name="departure_edit"
    ),
    path(
        "returns/<int:pk>/departures/<int:departure_pk>/resolve/",
        views.DepartureResolveView.as_view(),
        name="departure_resolve",
    ),
    path("returns/<int:pk>/evidence/add/", views.EvidenceUploadView.as_view(), name="evidence_add"),
    path(
        "returns/<int:pk>/evidence/<int:evidence_pk>/", views.EvidenceDownloadView.as_view(), name="evidence_download"
    ),
    path(
        "returns/<int:pk>/evidence/<int:evidence_pk>/delete/",
        views.EvidenceDeleteView.as_view(),
        name="evidence_delete",
    ),
    path("departures/", views.DepartureListView.as_view(), name="departure_list"),
    # Board packs
    path("packs/", pack_views.BoardPackListView.as_view(), name="pack_list"),
    path("packs/<int:pk>/", pack_views.BoardPackDetailView.as_view(), name="pack_detail"),
    path("packs/<int:pk>/download/", pack_views.BoardPackDownloadView.as_view(), name="pack_download"),
    path("packs/<int:pk>/retry/", pack_views.BoardPackRetryView.as_view(), name="pack_retry"),
    # Improvement plans, escalation cases, monitoring meetings, service credits (issue 13)
    *improvement_urls,
    *case_urls,
    # Tenant scrutiny (issue 14)
    path("scrutiny/", scrutiny_views.ChallengeListView.as_view(), name="challenge_list"),
    path("scrutiny/add/", scrutiny_views.ChallengeCreateView.as_view(), name="challenge_add"),
    path("scrutiny/<int:pk>/", scrutiny_views.ChallengeDetailView.as_view(), name="challenge_detail"),
    path("scrutiny/<int:pk>/respond/", scrutiny_views.ChallengeRespondView.as_view(), name="challenge_respond"),
    path("scrutiny/<int:pk>/escalate/", scrutiny_views.ChallengeEscalateView.as_view(), name="challenge_escalate"),
    # Published performance: public, no sign-in (issue 14)
    path("public/", public_views.PublicIndexView.as_view(), name="public_index"),
    path("public/accessibility/", public_views.AccessibilityView.as_view(), name="public_accessibility"),
    path("public/<slug:slug>/", public_views.PublicPerformanceView.as_view(), name="public_performance"),
    re_path(
        r"^public/(?P<slug>[-a-zA-Z0-9_]+)/(?P<quarter>[0-9]{4}-[0-9]{2}-Q[1-4])/$",
        public_views.PublicPerformanceView.as_view(),
        name="public_performance_quarter",
    ),
    re_path(
        r"^public/(?P<slug>[-a-zA-Z0-9_]+)/open-data\.(?P<fmt>csv|ods)$",
        public_views.OpenDataView.as_view(),
        name="public_open_data",
    ),
    path("public/<slug:slug>/publish/", public_views.PublishView.as_view(), name="public_publish"),
    # Complaints about council services (issue 14)
    path("complaints/", complaint_views.ComplaintListView.as_view(), name="complaint_list"),
    path("complaints/add/", complaint_views.ComplaintCreateView.as_view(), name="complaint_add"),
    path("complaints/<int:pk>/", complaint_views.ComplaintDetailView.as_view(), name="complaint_detail"),
    path("complaints/<int:pk>/<slug:step>/", complaint_views.ComplaintStepView.as_view(), name="complaint_step"),
    # Tenant Satisfaction Measures and the council's view across its ALMOs (issue 14)
    path("tsm/", tsm_views.TsmSummaryView.as_view(), name="tsm_summary"),
    path("council/compare/", council_views.CompareView.as_view(), name="council_compare"),
    path("council/administration/", council_views.AdministrationView.as_view(), name="council_administration"),
]
