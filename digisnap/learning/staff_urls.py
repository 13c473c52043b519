from django.urls import path

from digisnap.learning import staff_views

app_name = "catalogue"

urlpatterns = [
    path("", staff_views.training_list, name="trainings"),
    path("<int:pk>/deactiveren/", staff_views.training_deactivate, name="deactivate"),
    path("<int:pk>/activeren/", staff_views.training_reactivate, name="reactivate"),
    path("importeren/", staff_views.import_new, name="import"),
    path("feed/", staff_views.feed_fetch, name="feed"),
    path("imports/", staff_views.import_list, name="imports"),
    path("imports/<int:pk>/", staff_views.import_detail, name="import_detail"),
    path("imports/<int:pk>/status/", staff_views.import_status, name="import_status"),
    path("imports/<int:pk>/opnieuw/", staff_views.import_retry, name="import_retry"),
]
