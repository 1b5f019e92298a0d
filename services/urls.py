from django.urls import path

from services import cost_views, views

app_name = "services"
urlpatterns = [
    path("", views.ServiceListView.as_view(), name="service_list"),
    path("<int:pk>/", views.ServiceDetailView.as_view(), name="service_detail"),
    path("costs/", cost_views.CostView.as_view(), name="costs"),
    path("value-for-money/", cost_views.ValueForMoneyView.as_view(), name="value_for_money"),
    path("value-for-money/<int:pk>/", cost_views.ScheduleValueView.as_view(), name="schedule_value"),
    path("value-for-money/<int:pk>/benchmarks/add/", cost_views.BenchmarkCreateView.as_view(), name="benchmark_add"),
    path(
        "value-for-money/<int:pk>/market-tests/add/", cost_views.MarketTestCreateView.as_view(), name="market_test_add"
    ),
    path("exit-planner/<int:pk>/", cost_views.ExitPlannerView.as_view(), name="exit_planner"),
    path("exit-planner/<int:pk>/serve-notice/", cost_views.NoticeServeView.as_view(), name="notice_serve"),
    path("notices/<int:pk>/withdraw/", cost_views.NoticeWithdrawView.as_view(), name="notice_withdraw"),
]
