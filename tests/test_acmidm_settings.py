"""ACM/IDM is configured from the environment only: off without an issuer, the client secret
from a file too, and a clear stop on a value that cannot work."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import nl
from tests.test_settings_env import PROJECT, manage_check

SHOW = (
    "import json; from django.conf import settings as s; "
    "print(json.dumps({'enabled': s.ACMIDM_ENABLED, 'providers': s.SOCIALACCOUNT_PROVIDERS, "
    "'claim': s.ACMIDM_ROLE_CLAIM, 'right': s.ACMIDM_RIGHT_NAME, "
    "'label': str(s.ACMIDM_BUTTON_LABEL), 'groups': s.ACMIDM_TARGET_GROUPS}))"
)


def settings_of(tmp_path, *, show: str = SHOW, **variables: str) -> dict:
    environment = {**os.environ, "DIGISNAP_VAR_DIR": str(tmp_path), "DEBUG": "true", **variables}
    for name in list(environment):
        if name.startswith("ACMIDM_") and name not in variables:
            del environment[name]
    result = subprocess.run(  # noqa: S603 — our own interpreter and manage.py
        [sys.executable, "manage.py", "shell", "-c", show],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def settings_of_csp(tmp_path, **variables: str) -> dict:
    show = (
        "import json; from django.conf import settings as s; "
        "print(json.dumps(s.CONTENT_SECURITY_POLICY['DIRECTIVES']))"
    )
    return settings_of(tmp_path, show=show, **variables)


def test_without_an_issuer_acmidm_is_off(tmp_path):
    shown = settings_of(tmp_path)
    assert shown["enabled"] is False
    assert shown["providers"]["openid_connect"]["APPS"] == []


def test_an_issuer_with_a_client_configures_the_provider(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n", encoding="utf-8")
    shown = settings_of(
        tmp_path,
        ACMIDM_ISSUER="https://authenticatie-ti.vlaanderen.be/op/",
        ACMIDM_CLIENT_ID="digisnap",
        ACMIDM_CLIENT_SECRET_FILE=str(secret),
    )
    assert shown["enabled"] is True
    [app] = shown["providers"]["openid_connect"]["APPS"]
    assert app["provider_id"] == "acmidm"
    assert (app["client_id"], app["secret"]) == ("digisnap", "s3cret")
    assert app["settings"] == {
        "server_url": "https://authenticatie-ti.vlaanderen.be/op",
        "token_auth_method": "client_secret_basic",
        "oauth_pkce_enabled": True,
        "scope": ["openid", "profile", "vo"],
    }
    assert (shown["claim"], shown["right"], shown["groups"]) == (
        "dv_digisnap_rol_3d",
        "DigisnapBeheerder",
        ["OV"],
    )
    # The default label is our text, translated (the command runs in the default language).
    assert shown["label"] == nl("Sign in with ACM Vlaanderen")


def test_the_claim_right_scopes_and_label_can_be_changed(tmp_path):
    shown = settings_of(
        tmp_path,
        ACMIDM_ISSUER="https://op.example",
        ACMIDM_CLIENT_ID="digisnap",
        ACMIDM_CLIENT_SECRET="s3cret",
        ACMIDM_SCOPES="openid, profile vo extra",
        ACMIDM_ROLE_CLAIM="ti_digisnap_rol_3d",
        ACMIDM_RIGHT_NAME="DigisnapTest",
        ACMIDM_BUTTON_LABEL="Aanmelden met je schoolaccount",
    )
    [app] = shown["providers"]["openid_connect"]["APPS"]
    assert app["settings"]["scope"] == ["openid", "profile", "vo", "extra"]
    assert (shown["claim"], shown["right"]) == ("ti_digisnap_rol_3d", "DigisnapTest")
    assert shown["label"] == "Aanmelden met je schoolaccount"


GOOD = {"ACMIDM_ISSUER": "https://op.example", "ACMIDM_CLIENT_ID": "c", "ACMIDM_CLIENT_SECRET": "s"}


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({**GOOD, "ACMIDM_ISSUER": "op.example"}, "ACMIDM_ISSUER must start with https://"),
        ({**GOOD, "ACMIDM_CLIENT_ID": ""}, "set ACMIDM_CLIENT_ID and ACMIDM_CLIENT_SECRET"),
        ({**GOOD, "ACMIDM_CLIENT_SECRET": " "}, "set ACMIDM_CLIENT_ID and ACMIDM_CLIENT_SECRET"),
        (
            {**GOOD, "ACMIDM_CLIENT_SECRET_FILE": "/nonexistent/acmidm-secret"},
            "ACMIDM_CLIENT_SECRET_FILE='/nonexistent/acmidm-secret' cannot be read",
        ),
        ({**GOOD, "ACMIDM_SCOPES": "profile vo"}, "ACMIDM_SCOPES='profile vo' must include openid"),
        ({**GOOD, "ACMIDM_ROLE_CLAIM": "rol 3d"}, "ACMIDM_ROLE_CLAIM='rol 3d' is not a claim name"),
        (
            {**GOOD, "ACMIDM_RIGHT_NAME": "Digisnap-Beheerder"},
            "ACMIDM_RIGHT_NAME='Digisnap-Beheerder' must be letters, digits",
        ),
        ({**GOOD, "ACMIDM_TARGET_GROUPS": " , "}, "ACMIDM_TARGET_GROUPS must name at least one"),
        (
            {**GOOD, "ACMIDM_TIMEOUT_SECONDS": "soon"},
            "ACMIDM_TIMEOUT_SECONDS='soon' is not a whole",
        ),
    ],
)
def test_a_bad_acmidm_setting_stops_start_up_with_a_clear_message(tmp_path, variables, message):
    result = manage_check(tmp_path, DEBUG="true", **variables)
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured: ")
    assert message in last_line
