"""Persistent database connections survive a database restart: a stale one is replaced, not a 500."""

from __future__ import annotations

from wsgiref.util import setup_testing_defaults

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection


def test_persistent_connections_are_checked_before_they_are_reused():
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def wsgi_get(path: str) -> str:
    """One request through the full WSGI handler, which (unlike the test client) runs Django's
    per-request connection housekeeping, as gunicorn does."""
    environ = {
        "PATH_INFO": path,
        "REQUEST_METHOD": "GET",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
    }
    setup_testing_defaults(environ)
    statuses: list[str] = []
    body = WSGIHandler()(environ, lambda status, headers: statuses.append(status))
    body.close()
    return statuses[0]


@pytest.fixture
def persistent_connection():
    """This connection kept open across requests, as CONN_MAX_AGE does in production."""
    saved = connection.settings_dict["CONN_MAX_AGE"]
    connection.settings_dict["CONN_MAX_AGE"] = None
    connection.close()
    yield connection
    connection.settings_dict["CONN_MAX_AGE"] = saved
    connection.close()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite connections are not kept across requests"
)
@pytest.mark.django_db(transaction=True)
def test_a_request_after_the_database_dropped_the_connection_is_served(
    persistent_connection, digisnap
):
    join_link = f"/join/{digisnap.code}/"  # looks the digisnap up, then on to sign-up
    assert wsgi_get(join_link).startswith("302")
    assert persistent_connection.connection is not None  # kept for the next request

    persistent_connection.connection.close()  # what a database restart does to it

    assert wsgi_get(join_link).startswith("302")
