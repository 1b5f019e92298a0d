from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

import agreements.service_urls
import reporting.service_urls
import services.urls
from almo_sla import accounts, no_role, pages, session, sso, two_factor, views
from almo_sla.forms import LoginForm
from reporting.views import DashboardView
from search import views as search_views
from services.notification_views import NotificationSettingsView

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
        accounts.LoginView.as_view(authentication_form=LoginForm, extra_context={"sso_enabled": sso.sso_enabled}),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/sso/start/", login_not_required(sso.SsoStartView.as_view()), name="sso_start"),
    path("accounts/sso/callback/", login_not_required(sso.SsoCallbackView.as_view()), name="sso_callback"),
    path("accounts/no-access/", no_role.no_access, name="no_access"),
    path("accounts/password/change/", accounts.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/change/done/", accounts.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/password/reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password/reset/sent/", accounts.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/password/reset/done/", accounts.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("accounts/two-factor/", two_factor.manage, name="two_factor_manage"),
    path("accounts/notifications/", NotificationSettingsView.as_view(), name="notification_settings"),
    path("accounts/session/extend/", session.extend_session, name="session_extend"),
    path("accounts/two-factor/setup/", two_factor.setup, name="two_factor_setup"),
    path("accounts/two-factor/verify/", two_factor.verify, name="two_factor_verify"),
    path("accounts/two-factor/backup-codes/", two_factor.backup_codes, name="two_factor_backup_codes"),
    path("accounts/two-factor/apps/<int:pk>/remove/", two_factor.remove, name="two_factor_remove"),
    path("agreements/", include("agreements.urls")),
    path("services/", include((services_patterns, services.urls.app_name))),
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
