"""Gebruikersbeheer: the user manager's pages, per institution."""

from django.urls import path

from digisnap.rights import usermgmt_views as views

app_name = "usermgmt"

urlpatterns = [
    path("gebruikersbeheer/<int:pk>/", views.staff_list, name="staff_list"),
    path("gebruikersbeheer/<int:pk>/personeel.csv", views.staff_download, name="staff_download"),
    path("gebruikersbeheer/<int:pk>/sjabloon.csv", views.staff_template, name="staff_template"),
    path("gebruikersbeheer/<int:pk>/opladen/", views.staff_upload, name="staff_upload"),
    path("gebruikersbeheer/<int:pk>/toekennen/", views.grant, name="grant"),
    path("gebruikersbeheer/<int:pk>/rechten/", views.rights, name="rights"),
    path(
        "gebruikersbeheer/<int:pk>/rechten/<int:right_pk>/",
        views.right_detail,
        name="right_detail",
    ),
]
