from django.urls import path  # noqa: F401

app_name = "reporting"
urlpatterns = []

# Board packs (issue 5)
from reporting import pack_views  # noqa: E402

urlpatterns += [
    path("packs/", pack_views.BoardPackListView.as_view(), name="pack_list"),
    path("packs/<int:pk>/", pack_views.BoardPackDetailView.as_view(), name="pack_detail"),
    path("packs/<int:pk>/download/", pack_views.BoardPackDownloadView.as_view(), name="pack_download"),
    path("packs/<int:pk>/retry/", pack_views.BoardPackRetryView.as_view(), name="pack_retry"),
]
