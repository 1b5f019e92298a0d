"""The costs page and value-for-money pages, served under ``/services/`` (names in the ``services`` namespace,
see ``services.urls``)."""

from django.urls import path

from reporting import cost_views, value_views

urlpatterns = [
    path("costs/", cost_views.CostView.as_view(), name="costs"),
    path("value-for-money/", value_views.ValueForMoneyView.as_view(), name="value_for_money"),
    path("value-for-money/<int:pk>/", value_views.ScheduleValueView.as_view(), name="schedule_value"),
    path("value-for-money/<int:pk>/benchmarks/add/", value_views.BenchmarkCreateView.as_view(), name="benchmark_add"),
    path(
        "value-for-money/<int:pk>/market-tests/add/",
        value_views.MarketTestCreateView.as_view(),
        name="market_test_add",
    ),
]
