"""The case classification, read from `classification.yaml` and checked once at start-up.

Everything the case form asks and how a case is routed comes from that file; this module
turns it into typed objects and refuses a file with a mistake, naming the file and the entry.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tracking.config_files import load_yaml

SHIPPED_FILE = Path(__file__).with_name("classification.yaml")
LANGUAGES = ("de", "en")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CONDITION_KEYS = ("type", "product", "urgency", "channel", "customer_type")
PRIORITIES = ("low", "normal", "high", "urgent")
FIELD_KINDS = ("text", "date", "choice")
#: Contact fields a channel or customer type may require.
CONTACT_FIELDS = ("phone", "street", "postcode", "city", "company", "customer_number")


class ClassificationError(ValueError):
    """The classification file is unusable; the message names the file and the problem."""


Labels = Mapping[str, str]


@dataclass(frozen=True, slots=True)
class FieldSpec:
    key: str
    label: Labels
    hint: Labels
    kind: str = "text"
    pattern: re.Pattern[str] | None = None
    normalize: str = ""
    max_length: int = 200
    choices: Mapping[str, Labels] = field(default_factory=dict)
    not_in_future: bool = False
    max_age_days: int | None = None


@dataclass(frozen=True, slots=True)
class Option:
    """A request type, product, urgency, channel or customer type."""

    key: str
    label: Labels
    faq_terms: Labels = field(default_factory=dict)
    requires: tuple[str, ...] = ()
    #: request types only: (field key, required) in form order
    fields: tuple[tuple[str, bool], ...] = ()


@dataclass(frozen=True, slots=True)
class Rule:
    when: Mapping[str, frozenset[str]]
    values: Mapping[str, Any]

    def matches(self, case: Mapping[str, str]) -> bool:
        return all(case.get(key) in allowed for key, allowed in self.when.items())


@dataclass(frozen=True, slots=True)
class Routing:
    level: int
    department: str
    priority: str


@dataclass(frozen=True, slots=True)
class BusinessHours:
    timezone: ZoneInfo
    holiday_country: str
    holiday_subdivision: str | None
    hours: Mapping[int, tuple[time, time]]  # weekday (Monday = 0) -> opening, closing


@dataclass(frozen=True, slots=True)
class Classification:
    source: Path
    fields: Mapping[str, FieldSpec]
    request_types: Mapping[str, Option]
    products: Mapping[str, Option]
    urgencies: Mapping[str, Option]
    default_urgency: str
    channels: Mapping[str, Option]
    customer_types: Mapping[str, Option]
    customer_number_pattern: re.Pattern[str]
    departments: Mapping[str, Labels]
    routing: tuple[Rule, ...]
    priority_by_urgency: Mapping[str, str]
    business_hours: BusinessHours
    sla: tuple[Rule, ...]

    def route(self, case: Mapping[str, str]) -> Routing:
        """Level, department and priority of the first routing rule that matches."""
        for rule in self.routing:
            if rule.matches(case):
                priority = rule.values.get("priority") or self.priority_by_urgency.get(
                    case.get("urgency", ""), "normal"
                )
                return Routing(rule.values["level"], rule.values["department"], priority)
        raise LookupError("no routing rule matches")  # prevented by validation

    def sla_hours(self, case: Mapping[str, str]) -> tuple[float, float]:
        """(first response, resolution) target in business hours."""
        for rule in self.sla:
            if rule.matches(case):
                return rule.values["first_response_hours"], rule.values["resolution_hours"]
        raise LookupError("no SLA rule matches")  # prevented by validation


def label(labels: Labels, lang: str) -> str:
    return labels.get(lang) or labels.get("en") or next(iter(labels.values()), "")


def load_classification(path: Path = SHIPPED_FILE) -> Classification:
    """Read and check the file; ClassificationError says what is wrong and where."""
    raw = load_yaml(path, ClassificationError)
    try:
        return _Parser(Path(path)).parse(raw)
    except _Problem as problem:
        raise ClassificationError(f"{path}: {problem}") from None


class _Problem(Exception):
    pass


class _Parser:
    def __init__(self, source: Path) -> None:
        self.source = source

    # -- helpers -----------------------------------------------------------------------
    def mapping(self, value: Any, where: str, required: bool = True) -> dict:
        if value is None and not required:
            return {}
        if not isinstance(value, dict):
            raise _Problem(f"{where} must be a mapping")
        return value

    def labels(self, value: Any, where: str, optional: bool = False) -> dict[str, str]:
        if value is None and optional:
            return {}
        value = self.mapping(value, where)
        missing = [lang for lang in LANGUAGES if not isinstance(value.get(lang), str)]
        if missing and not optional:
            raise _Problem(f"{where} needs a text for {', '.join(missing)}")
        return {lang: str(value.get(lang) or "") for lang in LANGUAGES}

    def regex(self, value: Any, where: str) -> re.Pattern[str]:
        if not isinstance(value, str):
            raise _Problem(f"{where} must be a regular expression in quotes")
        try:
            return re.compile(value)
        except re.error as exc:
            raise _Problem(f"{where} is not a valid regular expression ({exc})") from None

    def positive(self, value: Any, where: str) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise _Problem(f"{where} must be a positive number")
        return value

    def options(self, value: Any, where: str) -> dict[str, Option]:
        value = self.mapping(value, where)
        if not value:
            raise _Problem(f"{where} must not be empty")
        result = {}
        for key, spec in value.items():
            spec = self.mapping(spec, f"{where}.{key}")
            unknown = set(spec) - {"label", "faq_terms", "requires", "fields"}
            if unknown:
                raise _Problem(f"{where}.{key} has unknown keys: {', '.join(sorted(unknown))}")
            requires = spec.get("requires") or []
            if not isinstance(requires, list) or any(r not in CONTACT_FIELDS for r in requires):
                raise _Problem(f"{where}.{key}.requires may list only {', '.join(CONTACT_FIELDS)}")
            result[str(key)] = Option(
                key=str(key),
                label=self.labels(spec.get("label"), f"{where}.{key}.label"),
                faq_terms=self.labels(
                    spec.get("faq_terms"), f"{where}.{key}.faq_terms", optional=True
                ),
                requires=tuple(requires),
            )
        return result

    # -- sections ----------------------------------------------------------------------
    def parse(self, raw: Any) -> Classification:
        raw = self.mapping(raw, "the file")
        fields = {
            key: self.field(key, spec)
            for key, spec in self.mapping(raw.get("fields"), "fields").items()
        }
        types = self.options(raw.get("request_types"), "request_types")
        for key in list(types):
            type_fields = self.mapping(
                self.mapping(raw["request_types"][key], f"request_types.{key}").get("fields"),
                f"request_types.{key}.fields",
                required=False,
            )
            pairs = []
            for field_key, need in type_fields.items():
                if field_key not in fields:
                    raise _Problem(f"request_types.{key}.fields: unknown field {field_key!r}")
                if need not in ("required", "optional"):
                    raise _Problem(
                        f"request_types.{key}.fields.{field_key} must be required or optional"
                    )
                pairs.append((field_key, need == "required"))
            opt = types[key]
            types[key] = Option(opt.key, opt.label, opt.faq_terms, opt.requires, tuple(pairs))
        products = self.options(raw.get("products"), "products")
        urgencies = self.options(raw.get("urgencies"), "urgencies")
        default_urgency = raw.get("default_urgency")
        if default_urgency not in urgencies:
            raise _Problem(f"default_urgency must be one of {', '.join(urgencies)}")
        channels = self.options(raw.get("channels"), "channels")
        customer_types = self.options(raw.get("customer_types"), "customer_types")
        departments = {
            str(key): self.labels(value, f"departments.{key}")
            for key, value in self.mapping(raw.get("departments"), "departments").items()
        }
        known = {
            "type": set(types),
            "product": set(products),
            "urgency": set(urgencies),
            "channel": set(channels),
            "customer_type": set(customer_types),
        }
        routing = self.rules(raw.get("routing"), "routing", known, self.routing_values(departments))
        priority_by_urgency = self.mapping(raw.get("priority_by_urgency"), "priority_by_urgency")
        for key in urgencies:
            if priority_by_urgency.get(key) not in PRIORITIES:
                raise _Problem(f"priority_by_urgency.{key} must be one of {', '.join(PRIORITIES)}")
        sla = self.rules(raw.get("sla"), "sla", known, self.sla_values)
        return Classification(
            source=self.source,
            fields=fields,
            request_types=types,
            products=products,
            urgencies=urgencies,
            default_urgency=default_urgency,
            channels=channels,
            customer_types=customer_types,
            customer_number_pattern=self.regex(
                raw.get("customer_number_pattern"), "customer_number_pattern"
            ),
            departments=departments,
            routing=routing,
            priority_by_urgency=priority_by_urgency,
            business_hours=self.business_hours(raw.get("business_hours")),
            sla=sla,
        )

    def field(self, key: str, spec: Any) -> FieldSpec:
        where = f"fields.{key}"
        spec = self.mapping(spec, where)
        kind = spec.get("kind", "text")
        if kind not in FIELD_KINDS:
            raise _Problem(f"{where}.kind must be one of {', '.join(FIELD_KINDS)}")
        pattern = self.regex(spec["pattern"], f"{where}.pattern") if "pattern" in spec else None
        choices = {}
        if kind == "choice":
            raw_choices = self.mapping(spec.get("choices"), f"{where}.choices")
            if not raw_choices:
                raise _Problem(f"{where}.choices must not be empty")
            choices = {
                str(k): self.labels(v, f"{where}.choices.{k}") for k, v in raw_choices.items()
            }
        max_length = spec.get("max_length", 200)
        if (
            isinstance(max_length, bool)
            or not isinstance(max_length, int)
            or not 1 <= max_length <= 2000
        ):
            raise _Problem(f"{where}.max_length must be a whole number from 1 to 2000")
        if spec.get("normalize", "") not in ("", "upper"):
            raise _Problem(f"{where}.normalize may only be 'upper'")
        max_age = spec.get("max_age_days")
        if max_age is not None:
            max_age = int(self.positive(max_age, f"{where}.max_age_days"))
        return FieldSpec(
            key=key,
            label=self.labels(spec.get("label"), f"{where}.label"),
            hint=self.labels(spec.get("hint"), f"{where}.hint", optional=True),
            kind=kind,
            pattern=pattern,
            normalize=spec.get("normalize", ""),
            max_length=max_length,
            choices=choices,
            not_in_future=bool(spec.get("not_in_future", False)),
            max_age_days=max_age,
        )

    def rules(
        self, value: Any, where: str, known: dict[str, set[str]], check_values
    ) -> tuple[Rule, ...]:
        if not isinstance(value, list) or not value:
            raise _Problem(f"{where} must be a non-empty list of rules")
        rules = []
        for number, item in enumerate(value, start=1):
            here = f"{where} rule {number}"
            item = self.mapping(item, here)
            when = self.mapping(item.get("when"), f"{here}.when", required=False)
            conditions = {}
            for key, allowed in when.items():
                if key not in CONDITION_KEYS:
                    raise _Problem(
                        f"{here}.when: unknown condition {key!r} (use {', '.join(CONDITION_KEYS)})"
                    )
                allowed = allowed if isinstance(allowed, list) else [allowed]
                unknown = [str(a) for a in allowed if a not in known[key]]
                if unknown:
                    raise _Problem(f"{here}.when.{key}: unknown {key} {', '.join(unknown)}")
                conditions[key] = frozenset(allowed)
            values = {k: v for k, v in item.items() if k != "when"}
            rules.append(Rule(conditions, check_values(values, here)))
        if rules[-1].when:
            raise _Problem(
                f"the last {where} rule must have an empty `when` so that every case matches"
            )
        return tuple(rules)

    def routing_values(self, departments: Mapping[str, Labels]):
        def check(values: dict, where: str) -> dict:
            if values.get("level") not in (1, 2, 3):
                raise _Problem(f"{where}.level must be 1, 2 or 3")
            if values.get("department") not in departments:
                raise _Problem(f"{where}.department must be one of {', '.join(departments)}")
            if "priority" in values and values["priority"] not in PRIORITIES:
                raise _Problem(f"{where}.priority must be one of {', '.join(PRIORITIES)}")
            unknown = set(values) - {"level", "department", "priority"}
            if unknown:
                raise _Problem(f"{where} has unknown keys: {', '.join(sorted(unknown))}")
            return values

        return check

    def sla_values(self, values: dict, where: str) -> dict:
        for key in ("first_response_hours", "resolution_hours"):
            self.positive(values.get(key), f"{where}.{key}")
        if values["resolution_hours"] < values["first_response_hours"]:
            raise _Problem(f"{where}.resolution_hours must not be less than first_response_hours")
        return values

    def business_hours(self, value: Any) -> BusinessHours:
        value = self.mapping(value, "business_hours")
        try:
            tz = ZoneInfo(str(value.get("timezone")))
        except (ZoneInfoNotFoundError, ValueError):
            raise _Problem(
                "business_hours.timezone must be a time zone such as Europe/Berlin"
            ) from None
        holidays_spec = self.mapping(value.get("holidays"), "business_hours.holidays")
        country = holidays_spec.get("country")
        subdivision = holidays_spec.get("subdivision")
        import holidays as holidays_lib

        try:
            holidays_lib.country_holidays(country, subdiv=subdivision, years=2026)
        except (NotImplementedError, KeyError, TypeError):
            raise _Problem(
                f"business_hours.holidays: unknown country or subdivision {country!r}"
            ) from None
        hours = {}
        for day, span in self.mapping(value.get("hours"), "business_hours.hours").items():
            if day not in WEEKDAYS:
                raise _Problem(
                    f"business_hours.hours: unknown day {day!r} (use {', '.join(WEEKDAYS)})"
                )
            try:
                opening, closing = (time.fromisoformat(part) for part in span)
            except (TypeError, ValueError):
                raise _Problem(f'business_hours.hours.{day} must be ["HH:MM", "HH:MM"]') from None
            if closing <= opening:
                raise _Problem(f"business_hours.hours.{day} closes before it opens")
            hours[WEEKDAYS.index(day)] = (opening, closing)
        if not hours:
            raise _Problem("business_hours.hours must name at least one open day")
        return BusinessHours(tz, country, subdivision, hours)
