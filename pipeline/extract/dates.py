"""Event dates: resolve a sentence's time expressions against the publication date.

"yesterday", "on Monday", "last week" and explicit dates ("Jan. 24") become a start and
end date with a UCDP date_precision code. Cue phrases are data (``seeds/rules/dates.json``).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil import parser as date_parser
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

_WEEKDAYS = {name.lower(): index for index, name in enumerate(calendar.day_name)}
_MONTHS = {name.lower().rstrip(".") for name in [*calendar.month_name[1:], *calendar.month_abbr[1:], "sept"]}


@dataclass(frozen=True)
class EventDate:
    start: date | None
    end: date | None
    precision: int | None


class DateResolver:
    """Finds the time cue of a sentence; one instance per vocab, built from the rules."""

    def __init__(self, vocab: Vocab, rules: dict):
        self.cues = rules["cues"]
        self.default_precision = rules["default_precision"]
        self.matcher = PhraseMatcher(vocab, attr="LOWER")
        self.matcher.add("CUE", [Doc(vocab, words=cue.split()) for cue in self.cues])

    def resolve(self, sentence: Span, published: date | None) -> EventDate | None:
        """The date a sentence's own time cue gives, or None when it has no cue."""
        if published is None:
            return None
        explicit = _explicit_date(sentence, published)
        # a dateline's date is the publication date: the event date only when nothing else is said
        return self._cue(sentence, published, explicit) or (EventDate(explicit, explicit, 1) if explicit else None)

    def _cue(self, sentence: Span, published: date, explicit: date | None) -> EventDate | None:
        """A time cue that moves away from the publication date: an earlier explicit date,
        a relative phrase or a weekday."""
        if explicit and explicit != published:
            return EventDate(explicit, explicit, 1)
        for _, start, end in self.matcher(sentence):
            cue = self.cues[" ".join(token.lower_ for token in sentence.doc[start:end])]  # doc offsets
            end_date = published + timedelta(days=cue["offset_days"])
            return EventDate(end_date - timedelta(days=cue["span_days"]), end_date, cue["precision"])
        for token in sentence:
            weekday = _WEEKDAYS.get(token.lower_)
            if weekday is not None and token.is_title:
                day = published - timedelta(days=(published.weekday() - weekday) % 7)
                return EventDate(day, day, 1)
        return None

    def article_default(self, doc: Doc, published: date | None) -> EventDate:
        """For a sentence without a cue: the first cue of the article (news leads with the
        event's date), else the publication date. A dateline ("KABUL (Jan. 25, 2013)") is
        no such cue: it dates the report, and the lead after it says when things happened."""
        if published is None:
            return EventDate(None, None, None)
        for sentence in doc.sents:
            found = self._cue(sentence, published, _explicit_date(sentence, published))
            if found:
                return found
        return EventDate(published, published, self.default_precision)


def _explicit_date(sentence: Span, published: date) -> date | None:
    """A DATE entity naming a month and a day ("Jan. 24", "24 January 2013"), not after publication."""
    for ent in sentence.ents:
        words = {token.lower_.rstrip(".") for token in ent}
        if ent.label_ != "DATE" or not words & _MONTHS or not any(t.like_num and len(t.text) <= 2 for t in ent):
            continue
        try:
            parsed = date_parser.parse(ent.text, default=datetime(published.year, published.month, published.day), fuzzy=True).date()
        except (ValueError, OverflowError):
            continue
        if parsed > published and not any(t.like_num and len(t.text) == 4 for t in ent):
            parsed = parsed.replace(year=parsed.year - 1)
        if parsed <= published:  # a later date belongs to an update, not to this report's events
            return parsed
    return None
