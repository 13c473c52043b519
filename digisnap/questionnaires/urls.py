from django.urls import path

from digisnap.questionnaires import views

app_name = "questionnaires"

urlpatterns = [
    path("", views.home, name="home"),
    path("join/", views.join_by_code, name="join_by_code"),
    path("join/<str:code>/", views.join, name="join"),
    path("vragenlijst/<int:pk>/", views.questionnaire, name="questionnaire"),
    path("vragenlijst/<int:pk>/deel/<str:area_code>/", views.page, name="page"),
    path("vragenlijst/<int:pk>/antwoord/", views.answer, name="answer"),
    path("vragenlijst/<int:pk>/overzicht/", views.review, name="review"),
    path("vragenlijst/<int:pk>/verwijderen/", views.discard, name="discard"),
    path("resultaat/<int:pk>/", views.result, name="result"),
    path("resultaat/<int:pk>/pdf/", views.result_pdf, name="result_pdf"),
    path("resultaat/<int:pk>/roos.svg", views.result_rose_svg, name="result_rose"),
    path("resultaat/<int:pk>/nieuwe-ronde/", views.new_round, name="new_round"),
]
