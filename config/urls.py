from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from otklik.api import views as api_views
from otklik.api.routes import api
from otklik.core import views as core_views
from otklik.incidents import integrity_views

# A database outage answers 503 in Russian with Retry-After (core/unavailable.py), not 500.
handler500 = "otklik.core.unavailable.server_error"

admin.site.site_header = "Отклик — настройка"
admin.site.site_title = "Отклик"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="core/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("2fa/verify/", core_views.otp_verify, name="otp-verify"),
    path("2fa/setup/", core_views.otp_setup, name="otp-setup"),
    path("profile/", core_views.profile, name="profile"),
    path("org/", include("otklik.org.urls")),
    path("mail/", include("otklik.notifications.urls")),
    path("mail/in/", include("otklik.mailin.urls")),
    path("incidents/", include("otklik.incidents.urls")),
    path("pages/", include("otklik.pages.urls")),
    path("posts/", include("otklik.posts.urls")),
    path("moderation/", include("otklik.moderation.urls")),
    path("reports/", include("otklik.reports.urls")),
    path("board/", include("otklik.reports.board_urls")),
    path("settings/keys/", api_views.keys, name="api-keys"),
    path("settings/keys/<int:pk>/revoke/", api_views.revoke, name="api-key-revoke"),
    path("settings/integrity/", integrity_views.integrity, name="integrity"),
    path("settings/privacy/", include("otklik.privacy.urls")),
    path("settings/bot/", include("otklik.staffbot.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
