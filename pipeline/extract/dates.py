"""Event dates: resolve a sentence's time expressions against the article's reference date.

The reference date is the publication date, or, when the source gives none, the date the
article's own head states (``datelines``). "yesterday", "on Monday", "last week" and
explicit dates ("Jan. 24") become a start and end date with a UCDP date_precision code.
Cue phrases are data (``seeds/rules/dates.json``).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil import parser as date_parser
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from pipeline.schema import NEWS_YEARS

WEEKDAYS = {name.lower(): index for index, name in enumerate(calendar.day_name)}
MONTHS = frozenset(name.lower() for name in [*calendar.month_name[1:], *calendar.month_abbr[1:], "sept"])
_ATTRIBUTIVE = {"nmod", "compound", "amod"}  # dependency labels of a date before the noun it qualifies


@dataclass(frozen=True)
class EventDate:
    start: date | None
    end: date | None
    precision: int | None


@dataclass(frozen=True)
class Reference:
    """When the article was written: a day (precision 1), or only its month (4), from
    ``start`` to ``end``. Dates relative to it cannot be finer than it is."""

    start: date
    end: date
    precision: int

    @classmethod
    def day(cls, day: date) -> Reference:
        return cls(day, day, 1)

    @property
    def exact(self) -> date | None:
        return self.start if self.precision == 1 else None

    def shifted(self, offset_days: int, span_days: int, precision: int) -> EventDate:
        """The interval ``offset_days`` away, widened back by ``span_days``, no finer than the reference."""
        return EventDate(self.start + timedelta(days=offset_days - span_days), self.end + timedelta(days=offset_days),
                         max(precision, self.precision))


class DateResolver:
    """Finds the time cue of a sentence; one instance per vocab, built from the rules."""

    def __init__(self, vocab: Vocab, rules: dict):
        self.cues = rules["cues"]
        self.default_precision = rules["default_precision"]
        self.matcher = PhraseMatcher(vocab, attr="LOWER")
        self.matcher.add("CUE", [Doc(vocab, words=cue.split()) for cue in self.cues])

    def resolve(self, sentence: Span, reference: Reference | None) -> EventDate | None:
        """The date a sentence's own time cue gives, or None when it has no cue."""
        if reference is None:
            return None
        explicit = _explicit_date(sentence, reference.end)
        # a dateline's date is the publication date: the event date only when nothing else is said
        return (self._cue(sentence, reference, explicit) or (EventDate(explicit[0], explicit[0], 1) if explicit else None)
                or _past_period(sentence, reference))

    def _cue(self, sentence: Span, reference: Reference, explicit: tuple[date, bool] | None) -> EventDate | None:
        """A time cue that moves away from the reference date: an earlier explicit date,
        a relative phrase or a weekday. A date naming another event ('the July 2 attack')
        yields to a relative cue of the sentence's own."""
        named = explicit is not None and explicit[0] != reference.exact
        if named and not explicit[1]:
            return EventDate(explicit[0], explicit[0], 1)
        return self._relative(sentence, reference) or (EventDate(explicit[0], explicit[0], 1) if named else None)

    def scene(self, sentence: Span, reference: Reference | None) -> EventDate | None:
        """When the story goes on from this sentence: its relative cue, or an explicit date of
        its own (a date naming another event, 'the July 2 attack', sets no scene)."""
        if reference is None:
            return None
        explicit = _explicit_date(sentence, reference.end)
        if explicit and explicit[0] != reference.exact and not explicit[1]:
            return EventDate(explicit[0], explicit[0], 1)
        return self._relative(sentence, reference)

    def _relative(self, sentence: Span, reference: Reference) -> EventDate | None:
        """A relative phrase ("yesterday", "last week") or a weekday."""
        for _, start, end in self.matcher(sentence):
            cue = self.cues[" ".join(token.lower_ for token in sentence.doc[start:end])]  # doc offsets
            shifted = reference.shifted(cue["offset_days"], cue["span_days"], cue["precision"])
            if cue.get("from_month_start"):  # 'earlier this month'
                return EventDate(shifted.start.replace(day=1), shifted.end, shifted.precision)
            return shifted
        for token in sentence:
            weekday = WEEKDAYS.get(token.lower_)
            if weekday is not None and token.is_title:
                if reference.exact is None:  # some day of the week before a day of the month
                    return reference.shifted(0, 6, reference.precision)
                day = reference.exact - timedelta(days=(reference.exact.weekday() - weekday) % 7)
                return EventDate(day, day, 1)
        return None

    def article_default(self, doc: Doc, reference: Reference | None) -> EventDate:
        """For a sentence without a cue: the first cue of the article (news leads with the
        event's date), else the reference date. A dateline ("KABUL (Jan. 25, 2013)") is
        no such cue: it dates the report, and the lead after it says when things happened."""
        if reference is None:
            return EventDate(None, None, None)
        for sentence in doc.sents:
            found = self._cue(sentence, reference, _explicit_date(sentence, reference.end))
            if found:
                return found
        return reference.shifted(0, 0, self.default_precision)


def _past_period(sentence: Span, reference: Reference) -> EventDate | None:
    """A DATE entity naming a past year or a month of one, without a day: 'in 2014' (precision
    5), 'in March 2023' (4); after 'since', the period runs on to the reference date."""
    for ent in sentence.ents:
        years = [int(t.text) for t in ent if t.like_num and len(t.text) == 4 and t.text.isdigit() and int(t.text) in NEWS_YEARS]
        months = [t.lower_.rstrip(".") for t in ent if t.lower_.rstrip(".") in MONTHS]
        days = [t for t in ent if t.like_num and len(t.text) <= 2]
        if ent.label_ != "DATE" or len(years) != 1 or days or len(months) > 1 or years[0] > reference.end.year:
            continue
        if months:
            month = datetime.strptime(months[0][:3], "%b").month
            start = date(years[0], month, 1)
            end, precision = date(years[0], month, calendar.monthrange(years[0], month)[1]), 4
        else:
            start, end, precision = date(years[0], 1, 1), date(years[0], 12, 31), 5
        if end > reference.end:
            continue  # this year or this month: no finer than what the reference already says
        if ent.start > sentence.start and sentence.doc[ent.start - 1].lower_ == "since":
            end = reference.end
        return EventDate(start, end, precision)
    return None


def _explicit_date(sentence: Span, latest: date) -> tuple[date, bool] | None:
    """A DATE entity naming a month and a day ("Jan. 24", "24 January 2013"; a TIME entity too:
    "the night of March 3"), not after
    ``latest``; and whether it modifies a noun after it ("the Jan. 24 attack")."""
    for ent in sentence.ents:
        words = {token.lower_.rstrip(".") for token in ent}
        if ent.label_ not in ("DATE", "TIME") or not words & MONTHS or not any(t.like_num and len(t.text) <= 2 for t in ent):
            continue
        try:
            parsed = date_parser.parse(ent.text, default=datetime(latest.year, latest.month, latest.day), fuzzy=True).date()
        except (ValueError, OverflowError):
            continue
        if parsed > latest and not any(t.like_num and len(t.text) == 4 for t in ent):
            try:
                parsed = parsed.replace(year=parsed.year - 1)
            except ValueError:  # "Feb. 29" after the report in a leap year: no such day the year before
                continue
        if parsed <= latest:  # a later date belongs to an update, not to this report's events
            root = ent.root
            return parsed, root.dep_ in _ATTRIBUTIVE and root.head.pos_ in ("NOUN", "PROPN") and root.head.i > root.i
    return None
