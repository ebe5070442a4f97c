from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from edn import views
from edn.account_forms import ResetPasswordForm
from edn.ratelimits import per_address, rate_limited

admin.site.site_header = "EDN administration"
admin.site.site_title = "EDN"
admin.site.index_title = "Equitable Data Network"

sign_in = rate_limited("sign-in", "RATE_LIMIT_SIGN_IN", per_address)
# The admin's sign-in page shares the allowance of the site's own.
admin.site.login = sign_in(admin.site.login)
password_reset = rate_limited(
    "password-reset", "RATE_LIMIT_PASSWORD_RESET", per_address
)

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        sign_in(auth_views.LoginView.as_view(template_name="registration/login.html")),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(
            template_name="registration/password_change.html"
        ),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="registration/password_changed.html"
        ),
        name="password_change_done",
    ),
    path(
        "accounts/password/reset/",
        password_reset(
            auth_views.PasswordResetView.as_view(
                template_name="registration/reset_password.html",
                form_class=ResetPasswordForm,
                email_template_name="registration/reset_password_email.txt",
                subject_template_name="registration/reset_password_subject.txt",
                extra_email_context={"site_url": settings.SITE_URL.rstrip("/")},
            )
        ),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/done/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="registration/reset_password_sent.html"
        ),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="registration/reset_password_confirm.html"
        ),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="registration/reset_password_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("surveys.urls")),
    path("", include("network.urls")),
    path("", include("participants.urls")),
    path("", include("guide.urls")),
    path("", include("audit.urls")),
]
