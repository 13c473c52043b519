"""Loading a framework into the database: once per version, versions immutable, newest current."""

import pytest

from digisnap.questionnaires.models import Area, Competence, Framework, Item, Option
from digisnap.questionnaires.services import FrameworkConflict, framework_load
from tests.conftest import BUNDLED_FRAMEWORK, MINI_FRAMEWORK


@pytest.fixture
def framework(without_framework) -> Framework:
    """Loaded here for real, on an empty database, rather than taken from the test session."""
    loaded, created = framework_load(path=BUNDLED_FRAMEWORK)
    assert created
    return loaded


def row_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Framework, Area, Competence, Item, Option)
    }


def test_the_bundled_framework_has_six_areas_22_competences_and_30_items(framework):
    assert framework.is_current
    assert (framework.slug, framework.version) == ("digisnap", "2026.3")
    assert row_counts() == {
        "Framework": 1,
        "Area": 6,
        "Competence": 22,
        "Item": 30,
        "Option": 180,
    }
    assert list(framework.areas.values_list("code", flat=True)) == ["1", "2", "3", "4", "5", "6"]


def test_every_item_has_the_six_levels_in_dutch_and_english(framework):
    for item in Item.objects.prefetch_related("options"):
        assert [option.level for option in item.options.all()] == [1, 2, 3, 4, 5, 6]
        assert item.text_nl and item.text_en
        assert all(option.text_nl and option.text_en for option in item.options.all())
    for model in (Area, Competence):
        assert not model.objects.filter(title_nl="").exists()
        assert not model.objects.filter(title_en="").exists()
    assert framework.name_nl != framework.name_en
    assert "DigCompEdu" in framework.attribution_en


def test_items_are_numbered_in_questionnaire_order(framework):
    codes = list(Item.objects.order_by("position").values_list("code", flat=True))
    assert codes[:3] == ["1.1.1", "1.1.2", "1.2.1"]
    assert codes[-1] == "6.5.1"
    assert list(Item.objects.order_by("position").values_list("position", flat=True)) == list(
        range(1, 31)
    )


def test_loading_the_same_file_twice_creates_rows_once(framework):
    before = row_counts()
    again, created = framework_load(path=BUNDLED_FRAMEWORK)
    assert created is False
    assert again == framework
    assert row_counts() == before


def test_the_same_version_with_changed_content_is_refused_and_nothing_written(framework, tmp_path):
    changed = tmp_path / "changed.yaml"
    changed.write_text(
        BUNDLED_FRAMEWORK.read_text(encoding="utf-8").replace(
            "Professionele betrokkenheid", "Professioneel engagement"
        ),
        encoding="utf-8",
    )
    before = row_counts()
    with pytest.raises(FrameworkConflict, match="2026.3"):
        framework_load(path=changed)
    assert row_counts() == before
    assert Area.objects.get(code="1").title_nl == "Professionele betrokkenheid"


def test_a_new_version_becomes_current_and_the_old_one_is_kept(framework, tmp_path):
    newer = tmp_path / "newer.yaml"
    newer.write_text(
        BUNDLED_FRAMEWORK.read_text(encoding="utf-8").replace(
            'version: "2026.3"', 'version: "2099.1"'
        ),
        encoding="utf-8",
    )
    loaded, created = framework_load(path=newer)
    assert created is True
    assert loaded.version == "2099.1"
    assert loaded.is_current
    framework.refresh_from_db()
    assert not framework.is_current
    assert Framework.objects.filter(is_current=True).get() == loaded
    assert Item.objects.filter(competence__area__framework=framework).count() == 30
    assert Item.objects.filter(competence__area__framework=loaded).count() == 30


def test_a_version_can_be_loaded_without_becoming_current(framework, framework_file):
    mini, created = framework_load(path=framework_file(MINI_FRAMEWORK), make_current=False)
    assert created is True
    assert not mini.is_current
    framework.refresh_from_db()
    assert framework.is_current


def test_the_bundled_framework_has_a_next_step_towards_every_level_above_a1(framework):
    from digisnap.questionnaires.models import NextStep

    assert NextStep.objects.filter(competence__area__framework=framework).count() == 22 * 5
    step = NextStep.objects.get(
        competence__area__framework=framework, competence__code="2.1", level=3
    )
    assert step.text_nl and step.text_en


def test_the_older_version_still_loads_beside_the_newer_one(framework):
    from digisnap.questionnaires.loader import BUNDLED_DIR

    older, created = framework_load(path=BUNDLED_DIR / "digisnap-2026.1.yaml", make_current=False)
    assert created and older.version == "2026.1" and not older.is_current
