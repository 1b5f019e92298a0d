from django.urls import path

from agreements import views

app_name = "agreements"
urlpatterns = [
    path("", views.AgreementListView.as_view(), name="agreement_list"),
    path("new/", views.AgreementCreateView.as_view(), name="agreement_create"),
    path("schedules/", views.ScheduleListView.as_view(), name="schedule_list"),
    path("<int:pk>/", views.AgreementDetailView.as_view(), name="agreement_detail"),
    path("<int:pk>/edit/", views.AgreementEditView.as_view(), name="agreement_edit"),
    path("<int:pk>/circulate/", views.CirculateView.as_view(), name="agreement_circulate"),
    path("<int:pk>/next-draft/", views.StartNextDraftView.as_view(), name="agreement_next_draft"),
    path("<int:pk>/send-for-sign-off/", views.SendForSignoffView.as_view(), name="agreement_send_for_signoff"),
    path("<int:pk>/approve/", views.ApproveAgreementView.as_view(), name="agreement_approve"),
    path("<int:pk>/decline/", views.DeclineAgreementView.as_view(), name="agreement_decline"),
    path("<int:pk>/history/", views.AgreementHistoryView.as_view(), name="agreement_history"),
    path("<int:pk>/compare/", views.VersionCompareView.as_view(), name="version_compare"),
    path("<int:pk>/versions/<int:number>/", views.VersionDetailView.as_view(), name="version_detail"),
    path("<int:pk>/versions/<int:number>/pdf/", views.VersionPdfView.as_view(), name="version_pdf"),
    path("<int:pk>/comments/<int:comment_pk>/respond/", views.CommentRespondView.as_view(), name="comment_respond"),
    path("<int:pk>/variations/new/", views.VariationCreateView.as_view(), name="variation_create"),
    path("<int:pk>/variations/<int:number>/", views.VariationDetailView.as_view(), name="variation_detail"),
    path(
        "<int:pk>/variations/<int:number>/withdraw/",
        views.VariationWithdrawView.as_view(),
        name="variation_withdraw",
    ),
    path(
        "<int:pk>/variations/<int:number>/changes/",
        views.VariationAddChangeView.as_view(),
        name="variation_add_change",
    ),
    path("<int:agreement_pk>/schedules/new/", views.ScheduleCreateView.as_view(), name="schedule_create"),
    path("<int:agreement_pk>/schedules/<int:pk>/", views.ScheduleDetailView.as_view(), name="schedule_detail"),
    path("<int:agreement_pk>/schedules/<int:pk>/edit/", views.ScheduleEditView.as_view(), name="schedule_edit"),
    path("<int:agreement_pk>/schedules/<int:pk>/delete/", views.ScheduleDeleteView.as_view(), name="schedule_delete"),
]
