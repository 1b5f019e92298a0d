from django.urls import path

from agreements import views

app_name = "agreements"
urlpatterns = [
    path("", views.AgreementListView.as_view(), name="agreement_list"),
    path("<int:pk>/", views.AgreementDetailView.as_view(), name="agreement_detail"),
    path("<int:agreement_pk>/schedules/<int:pk>/", views.ScheduleDetailView.as_view(), name="schedule_detail"),
]
