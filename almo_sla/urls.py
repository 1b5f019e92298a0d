from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from almo_sla import access, pages, sso, two_factor, views
from search import views as search_views
from almo_sla.forms import LoginForm
from reporting.views import DashboardView

admin.site.site_header = "almo-sla administration"
admin.site.site_title = "almo-sla"

urlpatterns = [
    path("", DashboardView.as_view(), name="dashboard"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
            extra_context={"sso_enabled": sso.sso_enabled},
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/sso/start/", login_not_required(sso.SsoStartView.as_view()), name="sso_start"),
    path("accounts/sso/callback/", login_not_required(sso.SsoCallbackView.as_view()), name="sso_callback"),
    path("accounts/no-access/", access.no_access, name="no_access"),
    path("accounts/two-factor/setup/", two_factor.setup, name="two_factor_setup"),
    path("accounts/two-factor/verify/", two_factor.verify, name="two_factor_verify"),
    path("agreements/", include("agreements.urls")),
    path("services/", include("services.urls")),
    path("reporting/", include("reporting.urls")),
    path("api/v1/", include("api.urls")),
    path("help/", pages.help_index, name="help"),
    path("help/glossary/", pages.glossary, name="glossary"),
    path("help/<slug:role>/", pages.help_role, name="help_role"),
    path("accessibility/", pages.accessibility, name="accessibility"),
    path("privacy/", pages.privacy, name="privacy"),
    path("cookies/", pages.cookies, name="cookies"),
    path("search/", search_views.search, name="search"),
    path("healthz", views.health, name="health"),
    path("admin/", admin.site.urls),
]

handler400 = views.bad_request
handler403 = views.permission_denied
handler404 = views.page_not_found
handler500 = views.server_error
