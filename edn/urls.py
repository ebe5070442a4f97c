from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from edn import views

admin.site.site_header = "EDN administration"
admin.site.site_title = "EDN"
admin.site.index_title = "Equitable Data Network"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(template_name="registration/login.html"),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("surveys.urls")),
    path("", include("network.urls")),
    path("", include("participants.urls")),
    path("", include("guide.urls")),
    path("", include("audit.urls")),
]
