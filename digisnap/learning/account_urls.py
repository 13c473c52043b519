from django.urls import path

from digisnap.learning import account_views

app_name = "myaccount"

urlpatterns = [
    path("", account_views.account, name="home"),
    path("gegevens.json", account_views.export_json, name="export_json"),
    path("gegevens.csv", account_views.export_csv, name="export_csv"),
    path("verwijderen/", account_views.delete, name="delete"),
]
