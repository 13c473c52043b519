from django.urls import path

from digisnap.learning import views

app_name = "learning"

urlpatterns = [
    path("leersuggesties/<int:pk>/", views.mark, name="mark"),
]
