"""Reading framework files: a malformed file is refused with the file, the line and the reason."""

import pytest

from digisnap.questionnaires.loader import FrameworkFileError, read_framework
from tests.conftest import BUNDLED_FRAMEWORK, MINI_FRAMEWORK


def line_of(text: str, fragment: str, occurrence: int = 1) -> int:
    """The 1-based number of the line holding the n-th occurrence of `fragment`."""
    found = [n for n, line in enumerate(text.splitlines(), start=1) if fragment in line]
    return found[occurrence - 1]


def refusal(framework_file, text: str) -> FrameworkFileError:
    path = framework_file(text)
    with pytest.raises(FrameworkFileError) as caught:
        read_framework(path)
    error = caught.value
    assert error.path == path
    assert str(error).startswith(f"{path}:{error.line}: ")
    return error


def test_the_mini_framework_is_valid(framework_file):
    spec = read_framework(framework_file(MINI_FRAMEWORK))
    assert (spec.slug, spec.version) == ("mini", "1")
    item = spec.areas[0].competences[0].items[0]
    assert item.code == "1.1.1"
    assert item.text == {"nl": "Vraag", "en": "Question"}
    assert item.options[1] == {"nl": "a1", "en": "a1"}
    assert sorted(item.options) == [1, 2, 3, 4, 5, 6]


def test_the_bundled_framework_is_valid():
    spec = read_framework(BUNDLED_FRAMEWORK)
    assert len(spec.areas) == 6
    assert sum(len(area.competences) for area in spec.areas) == 22


def test_it_refuses_invalid_yaml_at_the_broken_line(framework_file):
    text = MINI_FRAMEWORK.replace(
        'title: {nl: "Domein", en: "Area"}', "title: Domein: met een dubbele punt"
    )
    error = refusal(framework_file, text)
    assert error.line == line_of(text, "Domein: met een dubbele punt")
    assert "not valid YAML" in error.reason


def test_it_refuses_a_missing_key_at_its_mapping(framework_file):
    text = MINI_FRAMEWORK.replace(
        '    description: {nl: "Over het domein", en: "About the area"}\n', ""
    )
    error = refusal(framework_file, text)
    assert error.line == line_of(text, '- code: "1"')
    assert "misses the key(s): description" in error.reason


def test_it_refuses_an_unknown_key_at_that_key(framework_file):
    text = MINI_FRAMEWORK.replace(
        '            text: {nl: "Vraag", en: "Question"}\n',
        '            text: {nl: "Vraag", en: "Question"}\n            hint: "extra"\n',
    )
    error = refusal(framework_file, text)
    assert error.line == line_of(text, "hint:")
    assert "unknown key 'hint'" in error.reason


def test_it_refuses_a_duplicate_item_code_at_the_second_one(framework_file):
    item = MINI_FRAMEWORK[MINI_FRAMEWORK.index('          - code: "1.1.1"') :]
    text = MINI_FRAMEWORK + item
    error = refusal(framework_file, text)
    assert error.line == line_of(text, 'code: "1.1.1"', occurrence=2)
    assert "'1.1.1' is used twice" in error.reason


def test_it_refuses_a_text_without_english(framework_file):
    text = MINI_FRAMEWORK.replace('text: {nl: "Vraag", en: "Question"}', 'text: {nl: "Vraag"}')
    error = refusal(framework_file, text)
    assert error.line == line_of(text, 'text: {nl: "Vraag"}')
    assert "misses the key(s): en" in error.reason


def test_it_refuses_an_empty_english_text(framework_file):
    text = MINI_FRAMEWORK.replace('C2: {nl: "c2", en: "c2"}', 'C2: {nl: "c2", en: ""}')
    error = refusal(framework_file, text)
    assert error.line == line_of(text, "C2:")
    assert "option C2 of item 1.1.1 (en) must be a non-empty text" in error.reason


def test_it_refuses_options_that_stop_at_c1(framework_file):
    text = MINI_FRAMEWORK.replace('              C2: {nl: "c2", en: "c2"}\n', "")
    error = refusal(framework_file, text)
    assert error.line == line_of(text, "A1:")
    assert "the options of item 1.1.1 misses the key(s): C2" in error.reason


def test_it_refuses_an_option_key_that_is_not_a_level(framework_file):
    text = MINI_FRAMEWORK.replace("C2: {", "D1: {")
    error = refusal(framework_file, text)
    assert error.line == line_of(text, "D1:")
    assert "unknown key 'D1'" in error.reason


def test_it_refuses_an_item_code_outside_its_competence(framework_file):
    text = MINI_FRAMEWORK.replace('- code: "1.1.1"', '- code: "1.2.1"')
    error = refusal(framework_file, text)
    assert error.line == line_of(text, '"1.2.1"')
    assert "item code '1.2.1' must look like '1.1.<number>'" in error.reason


def test_it_refuses_a_competence_without_items(framework_file):
    start = MINI_FRAMEWORK.index('          - code: "1.1.1"')
    text = MINI_FRAMEWORK[:start].replace("items:", "items: []") + "\n"
    error = refusal(framework_file, text)
    assert error.line == line_of(text, "items: []")
    assert "items of competence 1.1 must be a non-empty list" in error.reason


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"])
def test_it_refuses_an_empty_file(framework_file, text):
    error = refusal(framework_file, text)
    assert error.line == 1
    assert "empty" in error.reason


def test_it_refuses_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes(MINI_FRAMEWORK.replace("Vraag", "Vraag één").encode("latin-1"))
    with pytest.raises(FrameworkFileError) as caught:
        read_framework(path)
    assert "not UTF-8" in caught.value.reason


def test_the_checksum_changes_with_the_content(framework_file):
    first = read_framework(framework_file(MINI_FRAMEWORK, name="a.yaml"))
    same = read_framework(framework_file(MINI_FRAMEWORK, name="b.yaml"))
    changed = read_framework(framework_file(MINI_FRAMEWORK.replace("Vraag", "Vraag?"), "c.yaml"))
    assert first.checksum == same.checksum
    assert first.checksum != changed.checksum


def test_next_steps_are_optional_but_when_given_need_a2_to_c2(tmp_path):

    text = MINI_FRAMEWORK.replace(
        "        items:",
        '        next_steps:\n          A2: {nl: "Probeer", en: "Try"}\n        items:',
        1,
    )
    path = tmp_path / "steps.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FrameworkFileError) as refused:
        read_framework(path)
    assert "next steps" in refused.value.reason and "B1" in refused.value.reason
