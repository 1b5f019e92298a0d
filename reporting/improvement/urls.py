"""Improvement plan URLs, included in the ``reporting`` namespace under /reporting/."""

from django.urls import path

from reporting.improvement import views

urlpatterns = [
    path("plans/", views.PlanListView.as_view(), name="plan_list"),
    path("plans/add/", views.PlanCreateView.as_view(), name="plan_add"),
    path("plans/<int:pk>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path("plans/<int:pk>/edit/", views.PlanEditView.as_view(), name="plan_edit"),
    path("plans/<int:pk>/approve/", views.PlanActionView.as_view(action="approve"), name="plan_approve"),
    path("plans/<int:pk>/close/", views.PlanActionView.as_view(action="close"), name="plan_close"),
    path("plans/<int:pk>/risks/", views.RiskRegisterView.as_view(), name="plan_risks"),
    path("plans/<int:pk>/themes/add/", views.ThemeFormView.as_view(), name="theme_add"),
    path("plans/<int:pk>/steering-groups/add/", views.SteeringGroupFormView.as_view(), name="steering_group_add"),
    path("plans/<int:pk>/quick-wins/add/", views.QuickWinFormView.as_view(), name="quick_win_add"),
    path("plans/<int:pk>/reports/", views.PlanReportRequestView.as_view(), name="plan_report_request"),
    path("plan-reports/<int:pk>/", views.PlanReportDetailView.as_view(), name="plan_report_detail"),
    path("plan-reports/<int:pk>/download/", views.PlanReportDownloadView.as_view(), name="plan_report_download"),
    path("themes/<int:pk>/", views.ThemeDetailView.as_view(), name="theme_detail"),
    path("themes/<int:theme_pk>/edit/", views.ThemeFormView.as_view(), name="theme_edit"),
    path("themes/<int:theme_pk>/improvements/add/", views.ImprovementFormView.as_view(), name="improvement_add"),
    path("themes/<int:theme_pk>/indicators/add/", views.IndicatorFormView.as_view(), name="indicator_add"),
    path("themes/<int:theme_pk>/risks/add/", views.RiskFormView.as_view(), name="risk_add"),
    path("indicators/<int:indicator_pk>/edit/", views.IndicatorFormView.as_view(), name="indicator_edit"),
    path("risks/<int:risk_pk>/edit/", views.RiskFormView.as_view(), name="risk_edit"),
    path("improvements/new/", views.ImprovementStartView.as_view(), name="improvement_start"),
    path("improvements/<int:pk>/", views.ImprovementDetailView.as_view(), name="improvement_detail"),
    path("improvements/<int:improvement_pk>/edit/", views.ImprovementFormView.as_view(), name="improvement_edit"),
    path("improvements/<int:pk>/target-date/", views.TargetDateView.as_view(), name="improvement_target_date"),
    path("improvements/<int:pk>/progress/", views.ProgressView.as_view(), name="improvement_progress"),
    path("improvements/<int:pk>/tasks/add/", views.TaskFormView.as_view(), name="improvement_task_add"),
    path(
        "improvements/<int:pk>/tasks/<int:child_pk>/edit/", views.TaskFormView.as_view(), name="improvement_task_edit"
    ),
    path("improvements/<int:pk>/resources/add/", views.ResourceFormView.as_view(), name="improvement_resource_add"),
    path(
        "improvements/<int:pk>/resources/<int:child_pk>/edit/",
        views.ResourceFormView.as_view(),
        name="improvement_resource_edit",
    ),
    path("steering-groups/<int:pk>/", views.SteeringGroupDetailView.as_view(), name="steering_group_detail"),
    path("steering-groups/<int:group_pk>/edit/", views.SteeringGroupFormView.as_view(), name="steering_group_edit"),
    path("steering-groups/<int:pk>/members/add/", views.MemberFormView.as_view(), name="steering_group_member_add"),
    path(
        "steering-groups/<int:pk>/members/<int:member_pk>/remove/",
        views.MemberRemoveView.as_view(),
        name="steering_group_member_remove",
    ),
    path("quick-wins/<int:quick_win_pk>/edit/", views.QuickWinFormView.as_view(), name="quick_win_edit"),
]
