"""The director's pages."""

from django.urls import path

from digisnap.reports import views

app_name = "reports"

urlpatterns = [
    path("directie/", views.home, name="home"),
    path("directie/rapportage/", views.report, name="report"),
    path("directie/digisnap/<int:pk>/teamsessie/", views.team_session, name="team_session"),
    path(
        "directie/digisnap/<int:pk>/teamsessie/tellers/",
        views.team_session_counts,
        name="team_session_counts",
    ),
]
