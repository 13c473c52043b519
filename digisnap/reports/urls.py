"""The director's pages."""

from django.urls import path

from digisnap.reports import views

app_name = "reports"

urlpatterns = [
    path("directie/", views.home, name="home"),
    path("directie/rapportage/", views.report, name="report"),
    path("directie/rapportage/directierapport/", views.directors_report, name="directors_report"),
    path("directie/rapportage/<int:pk>/", views.report_job, name="report_job"),
    path("directie/rapportage/<int:pk>/status/", views.report_status, name="report_status"),
    path("directie/rapportage/<int:pk>/opnieuw/", views.report_retry, name="report_retry"),
    path("directie/rapportage/<int:pk>/pdf/", views.report_pdf, name="report_pdf"),
    path("directie/rapportage/<int:pk>/xlsx/", views.report_xlsx, name="report_xlsx"),
    path("directie/rapportage/<int:pk>/bekijken/", views.report_view, name="report_view"),
    path("directie/digisnap/<int:pk>/teamsessie/", views.team_session, name="team_session"),
    path(
        "directie/digisnap/<int:pk>/teamsessie/tellers/",
        views.team_session_counts,
        name="team_session_counts",
    ),
]
