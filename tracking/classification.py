"""The case classification, read from `classification.yaml` and checked once at start-up.

Everything the case form asks and how a case is routed comes from that file. It is declared
here as typed structs (msgspec): a file with a mistake is refused in one line naming the file,
the place and the problem (see `shared.config_file`). Checks that compare sections (a rule
naming an unknown department, say) live in `Classification.__post_init__`.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

import msgspec
from babel.dates import format_date
from msgspec import Meta
from msgspec.structs import force_setattr, replace

from shared import config_file
from shared.regional import LANGUAGES
from tracking.opening_hours import OpeningHours

SHIPPED_FILE = Path(__file__).with_name("classification.yaml")
CONDITION_KEYS = ("type", "product", "urgency", "channel", "customer_type")
PRIORITIES = ("low", "normal", "high", "urgent")
FIELD_KINDS = ("text", "date", "choice")
#: Contact fields a channel or customer type may require.
CONTACT_FIELDS = ("phone", "street", "postcode", "city", "company", "customer_number")

Priority = Literal[PRIORITIES]
Positive = Annotated[float, Meta(gt=0)]


class ClassificationError(config_file.ConfigFileError):
    """The classification file is unusable; the message names the file and the problem."""


class _Texts(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Read like the mapping it is written as: `labels["de"]`, `labels.get(lang)`."""

    def get(self, lang: str, default: str = "") -> str:
        return getattr(self, lang) if lang in LANGUAGES else default

    def __getitem__(self, lang: str) -> str:
        if lang not in LANGUAGES:
            raise KeyError(lang)
        return getattr(self, lang)

    def as_dict(self) -> dict[str, str]:
        """`{lang: text}`, e.g. as message parameters."""
        return {lang: getattr(self, lang) for lang in LANGUAGES}


#: A text in every portal language (`{de: ..., en: ...}`), each required.
Labels = msgspec.defstruct(
    "Labels",
    [(lang, str) for lang in LANGUAGES],
    bases=(_Texts,),
    module=__name__,
    frozen=True,
    forbid_unknown_fields=True,
)
#: Like Labels, but a language may be left out (empty).
OptionalLabels = msgspec.defstruct(
    "OptionalLabels",
    [(lang, str, "") for lang in LANGUAGES],
    bases=(_Texts,),
    module=__name__,
    frozen=True,
    forbid_unknown_fields=True,
)


class FieldSpec(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A detail the form asks for some request types (`fields:` in the file)."""

    label: Labels  # type: ignore[valid-type]
    hint: OptionalLabels = OptionalLabels()  # type: ignore[valid-type]
    #: what a valid value looks like, repeated in the error message when one does not match
    format: OptionalLabels = OptionalLabels()  # type: ignore[valid-type]
    kind: Literal[FIELD_KINDS] = "text"
    pattern: re.Pattern | None = None
    normalize: Literal["", "upper"] = ""
    max_length: Annotated[int, Meta(ge=1, le=2000)] = 200
    choices: dict[str, Labels] = {}  # type: ignore[valid-type]
    not_in_future: bool = False
    max_age_days: Annotated[int, Meta(gt=0)] | None = None
    key: str = ""  # filled in from the entry's name

    def __post_init__(self) -> None:
        if self.kind == "choice" and not self.choices:
            raise ValueError("a choice needs `choices`")


class Option(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A request type, product, urgency, channel or customer type."""

    label: Labels  # type: ignore[valid-type]
    faq_terms: OptionalLabels = OptionalLabels()  # type: ignore[valid-type]
    requires: tuple[Literal[CONTACT_FIELDS], ...] = ()
    #: request types only: detail field key -> required or optional, in form order
    asks: dict[str, Literal["required", "optional"]] = msgspec.field(
        default_factory=dict, name="fields"
    )
    key: str = ""  # filled in from the entry's name

    @property
    def fields(self) -> tuple[tuple[str, bool], ...]:
        """(field key, required) in form order."""
        return tuple((key, need == "required") for key, need in self.asks.items())


class Rule(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """`when` lists conditions (a value or a list of values); an empty `when` matches all."""

    when: dict[Literal[CONDITION_KEYS], str | frozenset[str]] = {}

    def __post_init__(self) -> None:
        when = {k: frozenset([v]) if isinstance(v, str) else v for k, v in self.when.items()}
        force_setattr(self, "when", when)

    def matches(self, case: Mapping[str, str]) -> bool:
        return all(case.get(key) in allowed for key, allowed in self.when.items())


class RoutingRule(Rule, frozen=True, kw_only=True, forbid_unknown_fields=True):
    level: Literal[1, 2, 3]
    department: str
    priority: Priority | None = None


class SlaRule(Rule, frozen=True, kw_only=True, forbid_unknown_fields=True):
    first_response_hours: Positive
    resolution_hours: Positive

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.resolution_hours < self.first_response_hours:
            raise ValueError("resolution_hours must not be less than first_response_hours")


@dataclass(frozen=True, slots=True)
class Routing:
    level: int
    department: str
    priority: str


Options = Annotated[dict[str, Option], Meta(min_length=1)]
#: Sections whose entries learn their own name (`key`) from the file.
_KEYED_SECTIONS = ("fields", "request_types", "products", "urgencies", "channels", "customer_types")


class Classification(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """`classification.yaml` as a whole."""

    fields: dict[str, FieldSpec]
    request_types: Options
    products: Options
    urgencies: Options
    default_urgency: str
    channels: Options
    customer_types: Options
    customer_number_pattern: re.Pattern
    departments: dict[str, Labels]  # type: ignore[valid-type]
    routing: Annotated[tuple[RoutingRule, ...], Meta(min_length=1)]
    priority_by_urgency: dict[str, Priority]
    business_hours: OpeningHours
    sla: Annotated[tuple[SlaRule, ...], Meta(min_length=1)]

    def __post_init__(self) -> None:
        for section in _KEYED_SECTIONS:
            named = {key: replace(value, key=key) for key, value in getattr(self, section).items()}
            force_setattr(self, section, named)
        for key, request_type in self.request_types.items():
            for field_key in request_type.asks:
                if field_key not in self.fields:
                    raise ValueError(f"request_types.{key}.fields: unknown field {field_key!r}")
        if self.default_urgency not in self.urgencies:
            raise ValueError(f"default_urgency: must be one of {', '.join(self.urgencies)}")
        known = {
            "type": self.request_types,
            "product": self.products,
            "urgency": self.urgencies,
            "channel": self.channels,
            "customer_type": self.customer_types,
        }
        for section in ("routing", "sla"):
            rules = getattr(self, section)
            for number, rule in enumerate(rules, start=1):
                for key, allowed in rule.when.items():
                    unknown = sorted(value for value in allowed if value not in known[key])
                    if unknown:
                        raise ValueError(
                            f"{section} #{number}.when.{key}: unknown {key} {', '.join(unknown)}"
                        )
            if rules[-1].when:
                raise ValueError(
                    f"the last {section} rule must have an empty `when` so that every case matches"
                )
        for number, rule in enumerate(self.routing, start=1):
            if rule.department not in self.departments:
                raise ValueError(
                    f"routing #{number}.department: must be one of {', '.join(self.departments)}"
                )
        for key in self.urgencies:
            if key not in self.priority_by_urgency:
                raise ValueError(
                    f"priority_by_urgency.{key}: must be one of {', '.join(PRIORITIES)}"
                )

    def route(self, case: Mapping[str, str]) -> Routing:
        """Level, department and priority of the first routing rule that matches."""
        for rule in self.routing:
            if rule.matches(case):
                priority = rule.priority or self.priority_by_urgency.get(
                    case.get("urgency", ""), "normal"
                )
                return Routing(rule.level, rule.department, priority)
        raise LookupError("no routing rule matches")  # prevented by validation

    def department_label(self, key: str, lang: str) -> str:
        """The customer's name for a department (a key no longer configured shows as is)."""
        return label(self.departments[key], lang) if key in self.departments else key

    def field_text(self, key: str, value: str, lang: str) -> tuple[str, str]:
        """(label, value) of an extra field as the customer reads it: a choice by its label, a
        date as the language writes it ("7. Dezember 2026", not "2026-12-07")."""
        spec = self.fields.get(key)
        if spec is None:
            return key, value
        shown = label(spec.choices[value], lang) if value in spec.choices else value
        if spec.kind == "date":
            with contextlib.suppress(ValueError):
                shown = format_date(date.fromisoformat(value), "long", locale=lang)
        return label(spec.label, lang), shown

    def sla_hours(self, case: Mapping[str, str]) -> tuple[float, float]:
        """(first response, resolution) target in business hours."""
        for rule in self.sla:
            if rule.matches(case):
                return rule.first_response_hours, rule.resolution_hours
        raise LookupError("no SLA rule matches")  # prevented by validation


def label(labels: _Texts, lang: str) -> str:
    """The text in `lang`, else English, else any language that has one."""
    texts = (labels.get(lang), labels.get("en"), *(labels.get(other) for other in LANGUAGES))
    return next((text for text in texts if text), "")


def option_label(options: Mapping[str, Option], key: str, lang: str) -> str:
    """The customer's name for a request type, product, urgency...; an unknown key as is."""
    return label(options[key].label, lang) if key in options else key


def load_classification(path: Path = SHIPPED_FILE) -> Classification:
    """Read and check the file; ClassificationError says what is wrong and where."""
    return config_file.load(path, Classification, ClassificationError)
