"""Reads and validates a framework YAML file; every problem names the file, the line and the reason."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from digisnap.core.levels import LEVEL_BY_LABEL, LEVEL_LABELS

NEXT_KEYS = LEVEL_LABELS[1:]  # a next step leads to A2 … C2
LANGUAGES = ("nl", "en")


BUNDLED_DIR = Path(__file__).resolve().parent / "frameworks"


def latest_bundled() -> Path:
    """The newest framework file shipped with the code (by version number in its name)."""

    def version(path: Path) -> tuple[int, ...]:
        return tuple(int(part) for part in path.stem.rsplit("-", 1)[1].split("."))

    return max(BUNDLED_DIR.glob("digisnap-*.yaml"), key=version)


class FrameworkFileError(Exception):
    def __init__(self, path: Path, line: int, reason: str):
        self.path, self.line, self.reason = path, line, reason
        super().__init__(f"{path}:{line}: {reason}")


@dataclass
class ItemSpec:
    code: str
    text: dict[str, str]
    options: dict[int, dict[str, str]]


@dataclass
class CompetenceSpec:
    code: str
    title: dict[str, str]
    description: dict[str, str]
    items: list[ItemSpec] = field(default_factory=list)
    # target level (2..6) → the «volgende stap» text towards it; optional in older versions
    next_steps: dict[int, dict[str, str]] = field(default_factory=dict)


@dataclass
class AreaSpec:
    code: str
    title: dict[str, str]
    description: dict[str, str]
    competences: list[CompetenceSpec] = field(default_factory=list)


@dataclass
class FrameworkSpec:
    slug: str
    version: str
    name: dict[str, str]
    attribution: dict[str, str]
    checksum: str
    areas: list[AreaSpec] = field(default_factory=list)


class _Reader:
    def __init__(self, path: Path):
        self.path = path

    def fail(self, node: Node, reason: str) -> FrameworkFileError:
        return FrameworkFileError(self.path, node.start_mark.line + 1, reason)

    def mapping(
        self, node: Node, what: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
    ) -> dict[str, Node]:
        if not isinstance(node, MappingNode):
            raise self.fail(node, f"{what} must be a mapping of keys to values")
        result: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            if key in result:
                raise self.fail(key_node, f"duplicate key '{key}' in {what}")
            if key not in required and key not in optional:
                raise self.fail(key_node, f"unknown key '{key}' in {what}")
            result[key] = value_node
        missing = [key for key in required if key not in result]
        if missing:
            raise self.fail(node, f"{what} misses the key(s): {', '.join(missing)}")
        return result

    def text(self, node: Node, what: str) -> str:
        if not isinstance(node, ScalarNode) or not str(node.value).strip():
            raise self.fail(node, f"{what} must be a non-empty text")
        return str(node.value).strip()

    def translated(self, node: Node, what: str) -> dict[str, str]:
        values = self.mapping(node, what, LANGUAGES)
        return {lang: self.text(values[lang], f"{what} ({lang})") for lang in LANGUAGES}

    def sequence(self, node: Node, what: str) -> list[Node]:
        if not isinstance(node, SequenceNode) or not node.value:
            raise self.fail(node, f"{what} must be a non-empty list")
        return node.value

    def code(self, node: Node, what: str, parent: str, seen: set[str]) -> str:
        code = self.text(node, f"{what} code")
        expected_prefix = f"{parent}." if parent else ""
        if not code.startswith(expected_prefix) or not code[len(expected_prefix) :].isdigit():
            shape = f"'{expected_prefix}<number>'" if parent else "a number"
            raise self.fail(node, f"{what} code '{code}' must look like {shape}")
        if code in seen:
            raise self.fail(node, f"{what} code '{code}' is used twice")
        seen.add(code)
        return code


def read_framework(path: Path) -> FrameworkSpec:
    """Parse and validate; raises FrameworkFileError on the first problem found."""
    raw = path.read_bytes()
    try:
        root = yaml.compose(raw.decode("utf-8"), Loader=yaml.SafeLoader)
    except UnicodeDecodeError as exc:
        raise FrameworkFileError(path, 1, f"not UTF-8 text: {exc}") from exc
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        raise FrameworkFileError(path, line, f"not valid YAML: {exc.problem}") from exc
    if root is None:
        raise FrameworkFileError(path, 1, "the file is empty")
    reader = _Reader(path)
    top = reader.mapping(root, "the framework", ("slug", "version", "name", "attribution", "areas"))
    spec = FrameworkSpec(
        slug=reader.text(top["slug"], "slug"),
        version=reader.text(top["version"], "version"),
        name=reader.translated(top["name"], "name"),
        attribution=reader.translated(top["attribution"], "attribution"),
        checksum=hashlib.sha256(raw).hexdigest(),
    )
    seen: set[str] = set()
    for area_node in reader.sequence(top["areas"], "areas"):
        a = reader.mapping(area_node, "an area", ("code", "title", "description", "competences"))
        area = AreaSpec(
            code=reader.code(a["code"], "area", "", seen),
            title=reader.translated(a["title"], "area title"),
            description=reader.translated(a["description"], "area description"),
        )
        for competence_node in reader.sequence(
            a["competences"], f"competences of area {area.code}"
        ):
            c = reader.mapping(
                competence_node,
                "a competence",
                ("code", "title", "description", "items"),
                optional=("next_steps",),
            )
            competence = CompetenceSpec(
                code=reader.code(c["code"], "competence", area.code, seen),
                title=reader.translated(c["title"], "competence title"),
                description=reader.translated(c["description"], "competence description"),
            )
            if "next_steps" in c:
                steps = reader.mapping(
                    c["next_steps"], f"the next steps of competence {competence.code}", NEXT_KEYS
                )
                competence.next_steps = {
                    LEVEL_BY_LABEL[key].value: reader.translated(
                        steps[key], f"next step {key} of competence {competence.code}"
                    )
                    for key in NEXT_KEYS
                }
            for item_node in reader.sequence(c["items"], f"items of competence {competence.code}"):
                i = reader.mapping(item_node, "an item", ("code", "text", "options"))
                code = reader.code(i["code"], "item", competence.code, seen)
                options = reader.mapping(i["options"], f"the options of item {code}", LEVEL_LABELS)
                competence.items.append(
                    ItemSpec(
                        code=code,
                        text=reader.translated(i["text"], f"the text of item {code}"),
                        options={
                            LEVEL_BY_LABEL[key].value: reader.translated(
                                options[key], f"option {key} of item {code}"
                            )
                            for key in LEVEL_LABELS
                        },
                    )
                )
            area.competences.append(competence)
        spec.areas.append(area)
    return spec
