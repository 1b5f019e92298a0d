"""Agreement pages served under ``/services/`` (names in the ``services`` namespace, see ``services.urls``)."""

from django.urls import path

from agreements import cost_views, views

urlpatterns = [
    path("<int:pk>/", views.ServiceDetailView.as_view(), name="service_detail"),
    path("exit-planner/<int:pk>/", cost_views.ExitPlannerView.as_view(), name="exit_planner"),
    path("exit-planner/<int:pk>/serve-notice/", cost_views.NoticeServeView.as_view(), name="notice_serve"),
    path("notices/<int:pk>/withdraw/", cost_views.NoticeWithdrawView.as_view(), name="notice_withdraw"),
]
