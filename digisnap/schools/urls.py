from django.urls import path

from digisnap.schools import views

app_name = "schools"

urlpatterns = [
    path("toegang-aanvragen/", views.request_new, name="request_new"),
    path("aanvraag/<str:token>/", views.request_status, name="request_status"),
    path("beheer/aanvragen/", views.queue, name="queue"),
    path("beheer/aanvragen/<int:pk>/", views.detail, name="detail"),
    path("beheer/aanvragen/<int:pk>/goedkeuren/", views.approve, name="approve"),
    path("beheer/aanvragen/<int:pk>/afwijzen/", views.reject, name="reject"),
    path("beheer/aanvragen/<int:pk>/codes-opnieuw/", views.codes_resend, name="codes_resend"),
    path(
        "beheer/aanvragen/<int:pk>/e-mails/<int:mail_pk>/opnieuw/",
        views.mail_retry,
        name="mail_retry",
    ),
    path("digisnap/<int:pk>/affiche.pdf", views.poster, name="poster"),
]
