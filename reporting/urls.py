from django.urls import path, re_path

from reporting import pack_views, views
from reporting.cases.urls import urlpatterns as case_urls
from reporting.improvement.urls import urlpatterns as improvement_urls

app_name = "reporting"
urlpatterns = [
    path("returns/", views.ReturnListView.as_view(), name="return_list"),
    path("returns/open/", views.ReturnsOpenView.as_view(), name="returns_open"),
    path("returns/<int:pk>/", views.ReturnDetailView.as_view(), name="return_detail"),
    path("returns/<int:pk>/edit/", views.ReturnEditView.as_view(), name="return_edit"),
    path("returns/<int:pk>/submit/", views.ReturnSubmitView.as_view(), name="return_submit"),
    path("returns/<int:pk>/review/", views.ReturnReviewView.as_view(), name="return_review"),
    path("returns/<int:pk>/remind/", views.ReturnRemindView.as_view(), name="return_remind"),
    re_path(r"^returns/(?P<pk>[0-9]+)/template\.(?P<fmt>csv|xlsx)$", views.ReturnTemplateView.as_view(), name="return_template"),
    path("returns/<int:pk>/import/", views.ReturnImportView.as_view(), name="return_import"),
    path("returns/<int:pk>/results/<int:result_pk>/departures/add/", views.DepartureFormView.as_view(), name="departure_add"),
    path("returns/<int:pk>/departures/<int:departure_pk>/edit/", views.DepartureFormView.as_view(), name="departure_edit"),
    path("returns/<int:pk>/departures/<int:departure_pk>/resolve/", views.DepartureResolveView.as_view(), name="departure_resolve"),
    path("returns/<int:pk>/evidence/add/", views.EvidenceUploadView.as_view(), name="evidence_add"),
    path("returns/<int:pk>/evidence/<int:evidence_pk>/", views.EvidenceDownloadView.as_view(), name="evidence_download"),
    path("returns/<int:pk>/evidence/<int:evidence_pk>/delete/", views.EvidenceDeleteView.as_view(), name="evidence_delete"),
    path("departures/", views.DepartureListView.as_view(), name="departure_list"),
    # Board packs
    path("packs/", pack_views.BoardPackListView.as_view(), name="pack_list"),
    path("packs/<int:pk>/", pack_views.BoardPackDetailView.as_view(), name="pack_detail"),
    path("packs/<int:pk>/download/", pack_views.BoardPackDownloadView.as_view(), name="pack_download"),
    path("packs/<int:pk>/retry/", pack_views.BoardPackRetryView.as_view(), name="pack_retry"),
    # Improvement plans, escalation cases, monitoring meetings, service credits (issue 13)
    *improvement_urls,
    *case_urls,
]
