"""The director's pages; filled by the directors' report."""

from django.urls import URLPattern

app_name = "reports"

urlpatterns: list[URLPattern] = []
