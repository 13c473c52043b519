"""`manage.py load_framework <path>`: loads a file once; a broken file loads nothing and says where."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from digisnap.questionnaires.models import Area, Competence, Framework, Item, Option
from tests.conftest import BUNDLED_FRAMEWORK, MINI_FRAMEWORK


def row_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Framework, Area, Competence, Item, Option)
    }


def test_it_loads_the_bundled_framework_by_default(without_framework, capsys):
    call_command("load_framework")
    assert Framework.objects.get(is_current=True).version == "2026.3"
    assert Item.objects.count() == 30
    assert "Loaded digisnap 2026.3" in capsys.readouterr().out


def test_loading_again_says_nothing_changed(framework, capsys):
    before = row_counts()
    call_command("load_framework", str(BUNDLED_FRAMEWORK))
    assert row_counts() == before
    assert "nothing changed" in capsys.readouterr().out


def test_a_malformed_file_loads_nothing_and_names_file_and_line(framework, framework_file):
    # The second item repeats the first one's code: the problem sits at the very end of the file,
    # after a valid area, competence and item.
    item = MINI_FRAMEWORK[MINI_FRAMEWORK.index('          - code: "1.1.1"') :]
    path = framework_file(MINI_FRAMEWORK + item)
    repeated_code_line = len(MINI_FRAMEWORK.splitlines()) + 1
    before = row_counts()
    with pytest.raises(CommandError) as caught:
        call_command("load_framework", str(path))
    assert f"{path}:{repeated_code_line}:" in str(caught.value)
    assert "used twice" in str(caught.value)
    assert "Nothing was loaded" in str(caught.value)
    assert row_counts() == before
    assert not Framework.objects.filter(slug="mini").exists()


def test_a_changed_file_with_the_same_version_loads_nothing(framework, tmp_path):
    changed = tmp_path / "changed.yaml"
    changed.write_text(
        BUNDLED_FRAMEWORK.read_text(encoding="utf-8").replace("Hoe ", "Op welke manier ", 1),
        encoding="utf-8",
    )
    before = row_counts()
    with pytest.raises(CommandError, match="new version"):
        call_command("load_framework", str(changed))
    assert row_counts() == before


def test_a_missing_file_is_named(without_framework, tmp_path):
    missing = tmp_path / "weg.yaml"
    with pytest.raises(CommandError, match=f"{missing}: no such file"):
        call_command("load_framework", str(missing))
    assert Framework.objects.count() == 0


def test_keep_current_loads_a_version_without_switching_to_it(framework, framework_file):
    call_command("load_framework", str(framework_file(MINI_FRAMEWORK)), "--keep-current")
    assert Framework.objects.get(slug="mini").is_current is False
    assert Framework.objects.get(is_current=True) == framework
