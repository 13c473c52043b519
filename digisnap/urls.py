from django.contrib import admin
from django.urls import include, path

from digisnap.core.views import favicon, healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("mijn-account/", include("digisnap.learning.account_urls")),
    path("beheer/catalogus/", include("digisnap.learning.staff_urls")),
    path("", include("digisnap.schools.urls")),
    path("", include("digisnap.learning.urls")),
    path("", include("digisnap.questionnaires.urls")),
    path("", include("digisnap.rights.urls")),
    path("", include("digisnap.rights.usermgmt_urls")),
    path("", include("digisnap.reports.urls")),
]
