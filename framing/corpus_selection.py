"""Narrowing a corpus to one story: a topic and filter conditions, tested while articles stream in.

``load_corpus(path, topic=..., filters=...)`` tests each article's fields (id, outlet, title,
date, topic, url, text) here *before* the article is built, so a narrowed corpus costs no more
time or memory than the articles it keeps. Filter expressions:

* ``FIELD=VALUE[,VALUE...]``: the field equals one of the values (ignoring case and surrounding spaces;
  a value with a comma in it cannot be given here, use ``FIELD~WORDS``);
* ``FIELD~WORDS``: the field contains WORDS (ignoring case); ``text~`` searches the headline and the text;
* ``date>=YYYY-MM-DD`` / ``date<=YYYY-MM-DD``: on or after / on or before a day. An article's date
  counts when it starts with an ISO date (``2020-03-05``, ``2020-03-05T10:00``); a partial date
  (``2020-03``, ``2020``) is compared at its own precision, so ``2020-03`` is kept by
  ``date>=2020-03-20``. Articles with no ISO date are left out by date conditions.

A topic is matched ignoring case, and spaces, ``_`` and ``-`` count as the same, so
``white house`` picks the topic ``white_house``. The selection counts what it sees, so that
when nothing is kept the error can say which condition dropped everything and list the
corpus's most common topics.

This module depends only on ``errors``; ``corpus`` uses it.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable, Mapping

from .errors import FilterError

FILTER_FIELDS = ("id", "outlet", "title", "date", "topic", "url", "text")
FILTER_FORMS = ("FIELD=VALUE[,VALUE...] (equals any of them), FIELD~WORDS (contains, ignoring case), "
                "date>=YYYY-MM-DD, date<=YYYY-MM-DD")
TOPICS_LISTED = 10
SLUG_MAX_CHARS = 100

_EXPRESSION = re.compile(r"\s*(?P<field>\w+)\s*(?P<operator>>=|<=|=|~)(?P<value>.*)", re.DOTALL)
_ISO_DATE_PREFIX = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
_OPERATOR_WORDS = {"=": "", "~": "has", ">=": "from", "<=": "to"}


def _fold(value: str) -> str:
    return value.strip().casefold()


def _topic_key(topic: str) -> str:
    return re.sub(r"[\s_-]+", " ", topic).strip().casefold()


def _slug(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "-", text.casefold()).strip("-")


def iso_date_prefix(value: str) -> str:
    """The leading ISO date of ``value`` (``2020-03-05``, ``2020-03`` or ``2020``), or ``""``."""
    match = _ISO_DATE_PREFIX.match(value.strip())
    return match.group() if match else ""


@dataclass(frozen=True)
class Condition:
    """One parsed filter expression, such as ``outlet=cnn.com,npr.org`` or ``date>=2020-01-01``."""

    field: str
    operator: str
    values: tuple[str, ...]
    expression: str

    def holds(self, fields: Mapping[str, str]) -> bool:
        """Whether an article with these fields meets the condition."""
        value = fields.get(self.field) or ""
        if self.operator == "=":
            return _fold(value) in self.values
        if self.operator == "~":
            return self.values[0] in value.casefold()
        found = iso_date_prefix(value)
        if not found:
            return False
        bound = self.values[0][: len(found)]
        return found >= bound if self.operator == ">=" else found <= bound

    @property
    def slug(self) -> str:
        """The condition as a file-name part, e.g. ``title-has-ceasefire``."""
        return _slug(" ".join((self.field, _OPERATOR_WORDS[self.operator], *self.values)))


def _filter_error(expression: str, problem: str) -> FilterError:
    return FilterError(f"'{expression}': {problem}; write {FILTER_FORMS}, with FIELD one of {', '.join(FILTER_FIELDS)}")


def parse_filter(expression: str) -> Condition:
    """Parse ``FIELD=VALUE[,VALUE...]``, ``FIELD~WORDS``, ``date>=YYYY-MM-DD`` or ``date<=YYYY-MM-DD``."""
    match = _EXPRESSION.fullmatch(expression)
    if not match:
        raise _filter_error(expression, "not a filter")
    name, operator, value = match["field"].lower(), match["operator"], match["value"].strip()
    if name not in FILTER_FIELDS:
        raise _filter_error(expression, f"unknown field '{match['field']}'")
    if operator in (">=", "<=") and name != "date":
        raise _filter_error(expression, f"only date takes {operator}")
    if operator == "=":
        values = tuple(_fold(part) for part in value.split(",") if part.strip())
    else:
        values = (value.casefold(),) if value else ()
    if not values:
        raise _filter_error(expression, f"no value after '{operator}'")
    if operator in (">=", "<="):
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                raise ValueError
            date.fromisoformat(value)
        except ValueError:
            raise _filter_error(expression, f"'{value}' is not a day (YYYY-MM-DD, e.g. date{operator}2020-01-31)") from None
    return Condition(field=name, operator=operator, values=values, expression=expression.strip())


@dataclass
class Selection:
    """Which articles to keep (a topic and filter conditions, all must hold), with counts of what was seen."""

    topic: str | None = None
    conditions: tuple[Condition, ...] = ()
    read: int = 0
    kept: int = 0
    topics: Counter[str] = field(default_factory=Counter)
    passed: Counter[str] = field(default_factory=Counter)

    @classmethod
    def from_options(cls, topic: str | None = None, filters: Iterable[str | Condition] = ()) -> Selection:
        """A selection from a topic name and filter expressions (strings are parsed; FilterError if malformed)."""
        if topic is not None and not topic.strip():
            raise FilterError("empty topic; name one, e.g. topic='elections'")
        conditions = tuple(item if isinstance(item, Condition) else parse_filter(item) for item in filters)
        return cls(topic=topic.strip() if topic else None, conditions=conditions)

    @property
    def active(self) -> bool:
        """Whether anything is filtered at all."""
        return self.topic is not None or bool(self.conditions)

    @property
    def labels(self) -> list[str]:
        """Each condition as the user wrote it, the topic first."""
        return ([f"topic {self.topic}"] if self.topic else []) + [condition.expression for condition in self.conditions]

    def keeps(self, fields: Mapping[str, str]) -> bool:
        """Whether to keep an article with these fields; counts every test for the error message."""
        self.read += 1
        topic = (fields.get("topic") or "").strip()
        if topic:
            self.topics[topic] += 1
        results = []
        if self.topic is not None:
            results.append(_topic_key(topic) == _topic_key(self.topic))
        results.extend(condition.holds(fields) for condition in self.conditions)
        for label, result in zip(self.labels, results):
            self.passed[label] += result
        keep = all(results)
        self.kept += keep
        return keep

    @property
    def slug(self) -> str:
        """The selection as a suffix for the corpus name, so narrowed reports do not overwrite each other."""
        parts = ([_slug(self.topic)] if self.topic else []) + [condition.slug for condition in self.conditions]
        slug = "-".join(part for part in parts if part)
        if len(slug) > SLUG_MAX_CHARS:
            digest = hashlib.sha1("\n".join(self.labels).encode("utf-8")).hexdigest()[:8]
            slug = f"{slug[:SLUG_MAX_CHARS].rstrip('-')}-{digest}"
        return slug

    def summary(self) -> str:
        """What was kept, e.g. ``680 of 4400 articles kept: topic elections``; empty when nothing is filtered."""
        if not self.active:
            return ""
        return f"{self.kept} of {self.read} articles kept: {', '.join(self.labels)}"

    def nothing_kept(self) -> str:
        """Why no article was kept, with what each condition alone keeps and the common topics."""
        if self.read == 0:
            return "no articles to narrow: the corpus is empty"
        if self.topic is not None and not self.conditions:
            problem = f"no article has topic '{self.topic}' ({self.read} read)"
        else:
            alone = ", ".join(f"{label} alone keeps {self.passed[label]}" for label in self.labels)
            problem = f"no article left after narrowing to {' and '.join(self.labels)} ({self.read} read; {alone})"
        if self.topic is not None and self.passed[self.labels[0]] == 0:
            problem += "; " + self._topic_hint()
        return problem

    def _topic_hint(self) -> str:
        if not self.topics:
            return ("this corpus has no topics (no 'topic' field in any article; "
                    "map one with columns={'topic': 'NAME'} or --column topic=NAME)")
        by_key = {_topic_key(topic): topic for topic in self.topics}
        close = difflib.get_close_matches(_topic_key(self.topic or ""), list(by_key), n=3)
        guess = f"did you mean {' or '.join(repr(by_key[key]) for key in close)}? " if close else ""
        common = self.topics.most_common(TOPICS_LISTED)
        listed = ", ".join(f"{topic} ({count})" for topic, count in common)
        more = f" and {len(self.topics) - len(common)} more" if len(self.topics) > len(common) else ""
        return f"{guess}choose one of the most common topics: {listed}{more}"
