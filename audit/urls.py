from django.urls import path

from audit import views

app_name = "audit"

urlpatterns = [
    path("staff/audit/", views.audit_log, name="log"),
    path("staff/audit/audit.csv", views.audit_log_csv, name="log_csv"),
]
