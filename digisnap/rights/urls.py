from django.urls import path

from digisnap.rights import views

app_name = "rights"

urlpatterns = [
    path("directie/aanmelden/", views.director_register, name="director_register"),
    path("beheer/rechten/", views.staff_overview, name="staff_overview"),
    path("beheer/rechten/gebruikers/<int:pk>/", views.staff_user, name="staff_user"),
    path(
        "beheer/rechten/beheerders/<int:pk>/verwijderen/",
        views.staff_manager_remove,
        name="staff_manager_remove",
    ),
]
