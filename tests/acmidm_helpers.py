"""A real OpenID Connect provider in the test process (oidc-provider-mock) on 127.0.0.1, and the
settings that point Digisnap's ACM/IDM sign-in at it."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from urllib.parse import parse_qs, quote, urlencode, urlsplit, urlunsplit

import httpx
import oidc_provider_mock
import werkzeug.serving

CLIENT_ID = "digisnap-test"
CLIENT_SECRET = "digisnap-test-secret"
ROLE_CLAIM = "dv_digisnap_rol_3d"


@contextlib.contextmanager
def provider_running() -> Iterator[str]:
    """The provider's issuer URL while it runs (any client id and secret are accepted)."""
    app = oidc_provider_mock.app(require_nonce=True)
    # Port 0: the system picks a free port, so parallel runs never collide.
    server = werkzeug.serving.make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()


def configure(settings, issuer: str, **extra) -> None:
    """Point the ACM/IDM settings at the test provider (as settings.py does from the env)."""
    settings.ACMIDM_ISSUER = issuer
    settings.ACMIDM_ENABLED = True
    settings.ACMIDM_CLIENT_ID = CLIENT_ID
    settings.ACMIDM_CLIENT_SECRET = CLIENT_SECRET
    for name, value in extra.items():
        setattr(settings, name, value)
    policy = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = {
        **policy,
        "DIRECTIVES": {**policy["DIRECTIVES"], "form-action": ["'self'", issuer]},
    }
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            **settings.SOCIALACCOUNT_PROVIDERS["openid_connect"],
            "APPS": [
                {
                    "provider_id": settings.ACMIDM_PROVIDER_ID,
                    "name": "ACM/IDM",
                    "client_id": CLIENT_ID,
                    "secret": CLIENT_SECRET,
                    "settings": {
                        "server_url": issuer,
                        "token_auth_method": "client_secret_basic",
                        "oauth_pkce_enabled": True,
                        "scope": ["openid", "profile", "vo"],
                    },
                }
            ],
        }
    }


def claims(
    *,
    given_name: str = "Dora",
    family_name: str = "Directeur",
    email: str | None = "dora.directeur@school.example:012345",
    roles: object = "DigisnapBeheerder:012345",
    group: str = "OV",
    orgcode: str = "012345",
    orgname: str = "Testschool",
) -> dict:
    """Claims as ACM/IDM sends them (DESIGN.md §6); None leaves a claim out."""
    values = {
        "vo_id": "4f1c3b2a-0000-4000-8000-00000000abcd",
        "given_name": given_name,
        "family_name": family_name,
        "vo_email": email,
        "vo_doelgroepcode": group,
        "vo_orgcode": orgcode,
        "vo_orgnaam": orgname,
        ROLE_CLAIM: roles,
    }
    return {key: value for key, value in values.items() if value is not None}


def set_user(issuer: str, sub: str, values: dict) -> None:
    response = httpx.put(f"{issuer}/users/{quote(sub, safe='')}", json=values)
    assert response.status_code == 204, response.text


def with_query(url: str, **changes: str) -> str:
    """The URL with some query parameters replaced (to tamper with state or nonce)."""
    parts = urlsplit(url)
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))


def query_of(url: str) -> dict[str, str]:
    return {key: values[-1] for key, values in parse_qs(urlsplit(url).query).items()}


def authorize(authorize_url: str, sub: str) -> str:
    """The person signs in at the provider: returns our callback URL (code and state)."""
    response = httpx.post(authorize_url, data={"sub": sub})
    assert response.status_code == 302, response.text
    return response.headers["location"]
