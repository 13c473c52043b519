"""Settings from the environment: strict parsers, secrets from files, a clear stop on bad values."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from digisnap.core.env import env, envbool, envchoice, envint, envlist

PROJECT = Path(__file__).resolve().parent.parent
NAME = "DIGISNAP_TEST_SETTING"


@pytest.fixture(autouse=True)
def _clean(monkeypatch):
    monkeypatch.delenv(NAME, raising=False)
    monkeypatch.delenv(f"{NAME}_FILE", raising=False)


@pytest.mark.parametrize(
    ("raw", "value"),
    [("true", True), ("1", True), ("YES", True), (" on ", True)]
    + [("false", False), ("0", False), ("no", False), ("Off", False), ("", False)],
)
def test_envbool_reads_the_usual_spellings(monkeypatch, raw, value):
    monkeypatch.setenv(NAME, raw)
    assert envbool(NAME, not value) is value


def test_envbool_falls_back_to_the_default_when_unset():
    assert envbool(NAME, True) is True
    assert envbool(NAME, False) is False


@pytest.mark.parametrize("raw", ["maybe", "2", "ja", "truee"])
def test_envbool_refuses_anything_else_and_names_the_variable(monkeypatch, raw):
    monkeypatch.setenv(NAME, raw)
    with pytest.raises(ImproperlyConfigured, match=f"{NAME}='{raw}' is not a boolean"):
        envbool(NAME, False)


def test_envint_reads_a_whole_number(monkeypatch):
    monkeypatch.setenv(NAME, " 42 ")
    assert envint(NAME, 7) == 42


@pytest.mark.parametrize("raw", [None, "", "  "])
def test_envint_falls_back_to_the_default_when_empty(monkeypatch, raw):
    if raw is not None:
        monkeypatch.setenv(NAME, raw)
    assert envint(NAME, 7) == 7


@pytest.mark.parametrize("raw", ["ten", "1.5", "10s"])
def test_envint_refuses_what_is_not_a_whole_number(monkeypatch, raw):
    monkeypatch.setenv(NAME, raw)
    with pytest.raises(ImproperlyConfigured, match=f"{NAME}='{raw}' is not a whole number"):
        envint(NAME, 7)


def test_envint_refuses_a_value_below_the_minimum(monkeypatch):
    monkeypatch.setenv(NAME, "0")
    with pytest.raises(ImproperlyConfigured, match=f"{NAME}=0 is below the minimum of 1"):
        envint(NAME, 7, minimum=1)


def test_envchoice_accepts_a_listed_value_and_refuses_others(monkeypatch):
    assert envchoice(NAME, "database", ("database", "immediate")) == "database"
    monkeypatch.setenv(NAME, "immediate")
    assert envchoice(NAME, "database", ("database", "immediate")) == "immediate"
    monkeypatch.setenv(NAME, "redis")
    with pytest.raises(ImproperlyConfigured, match=f"{NAME}='redis' must be one of: database"):
        envchoice(NAME, "database", ("database", "immediate"))


def test_envlist_splits_on_commas_and_drops_blanks(monkeypatch):
    assert envlist(NAME, ["localhost"]) == ["localhost"]
    monkeypatch.setenv(NAME, "a.example, b.example,,")
    assert envlist(NAME, ["localhost"]) == ["a.example", "b.example"]


def test_env_reads_a_secret_from_the_file_named_by_name_file(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s3cr3t-from-a-file\n", encoding="utf-8")
    monkeypatch.setenv(NAME, "from-the-variable")
    monkeypatch.setenv(f"{NAME}_FILE", str(secret))
    assert env(NAME) == "s3cr3t-from-a-file"


def test_env_without_a_file_reads_the_variable_or_the_default(monkeypatch):
    assert env(NAME, "standaard") == "standaard"
    monkeypatch.setenv(NAME, "waarde")
    assert env(NAME, "standaard") == "waarde"


def test_env_names_a_secret_file_that_cannot_be_read(monkeypatch, tmp_path):
    monkeypatch.setenv(f"{NAME}_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match=f"{NAME}_FILE=.*cannot be read"):
        env(NAME)


def manage_check(tmp_path, **variables: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DIGISNAP_VAR_DIR": str(tmp_path), **variables}
    return subprocess.run(  # noqa: S603 — our own interpreter and manage.py
        [sys.executable, "manage.py", "check"],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_project_starts_with_good_settings(tmp_path):
    result = manage_check(tmp_path, DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG='maybe' is not a boolean; use true or false."),
        ({"DEBUG": "true", "EMAIL_PORT": "smtp"}, "EMAIL_PORT='smtp' is not a whole number."),
        ({"DEBUG": "true", "TASKS_BACKEND": "celery"}, "TASKS_BACKEND='celery' must be one of"),
        ({"DEBUG": "false", "SECRET_KEY": ""}, "SECRET_KEY must be set when DEBUG is off."),
        ({"DEBUG": "true", "DATABASE_URL": "nonsense"}, "DATABASE_URL is not a valid database"),
    ],
)
def test_a_bad_setting_stops_start_up_with_a_clear_message(tmp_path, variables, message):
    result = manage_check(tmp_path, **variables)
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured: ")
    assert message in last_line
