from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from api import pages, views

router = DefaultRouter()
router.register("agreements", views.AgreementViewSet, basename="agreement")
router.register("schedules", views.ScheduleViewSet, basename="schedule")
router.register("standards", views.StandardViewSet, basename="standard")
router.register("results", views.ResultViewSet, basename="result")
router.register("departures", views.DepartureViewSet, basename="departure")
router.register("costs", views.CostViewSet, basename="cost")
router.register("notices", views.NoticeViewSet, basename="notice")

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", pages.ApiDocsView.as_view(), name="docs"),
    path("token/", pages.ApiTokenView.as_view(), name="token"),
    *router.urls,
]
# The API answers token requests itself (401, not a redirect to the sign-in page).
for pattern in urlpatterns:
    if pattern.name not in ("docs", "token"):
        login_not_required(pattern.callback)
