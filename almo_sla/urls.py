from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

import agreements.service_urls
import reporting.service_urls
import services.urls
from almo_sla import two_factor, views
from almo_sla.forms import LoginForm
from reporting.views import DashboardView

# Everything under /services/ in one namespace, whichever layer serves it (see services/urls.py).
services_patterns = [
    *services.urls.urlpatterns,
    *agreements.service_urls.urlpatterns,
    *reporting.service_urls.urlpatterns,
]

admin.site.site_header = "almo-sla administration"
admin.site.site_title = "almo-sla"

urlpatterns = [
    path("", DashboardView.as_view(), name="dashboard"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/two-factor/setup/", two_factor.setup, name="two_factor_setup"),
    path("accounts/two-factor/verify/", two_factor.verify, name="two_factor_verify"),
    path("agreements/", include("agreements.urls")),
    path("services/", include((services_patterns, services.urls.app_name))),
    path("reporting/", include("reporting.urls")),
    path("healthz", views.health, name="health"),
    path("admin/", admin.site.urls),
]

handler400 = views.bad_request
handler403 = views.permission_denied
handler404 = views.page_not_found
handler500 = views.server_error
