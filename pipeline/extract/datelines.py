"""The reference date of an article without a publication date, read from its own head.

Press releases and wire copy date themselves at the top: a dateline "KABUL, Afghanistan
(Feb. 07)", a headline "Apr. 23: Afghan-ISAF Operations ...", a line "Posted on January 5,
2011", and often a release number that begins with year and month ("2010-04-CA-067").
Relative dates ("yesterday", "Tuesday") resolve against that date when the source gives
none. A dateline without a year takes the year from a year-month in the head (the month
closest to it), else from the one year the head names above it; with no year at all there is no
reference. A year-month alone gives a month-wide reference.

The token shapes are Matcher patterns in ``seeds/rules/dates.jsonl``, one a line with its id,
written with the named token specs of ``dates.json`` ("reference": MONTH, DAY, YEAR, ...) so
each pattern reads like the text it finds.
Only lexical attributes are used: the head need not have been through the model.
"""

from __future__ import annotations

import calendar
from datetime import date

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from pipeline.extract.dates import Reference
from pipeline.schema import NEWS_YEARS

MONTHS = {name.lower(): number for number in range(1, 13)
          for name in (calendar.month_name[number], calendar.month_abbr[number])}
MONTHS["sept"] = 9


class DatelineReader:
    """Finds an article's reference date in its first ``head_tokens`` tokens; one per vocab."""

    def __init__(self, vocab: Vocab, rules: dict, shapes: list[dict]):
        self.head_tokens = rules["head_tokens"]
        self.max_line_tokens = rules["max_line_tokens"]
        self.matcher = Matcher(vocab, validate=True)
        self.shapes = {shape["id"]: shape for shape in shapes}
        for shape in shapes:
            self.matcher.add(shape["id"], [[_token_spec(element, rules["tokens"]) for element in shape["pattern"]]])

    def reference(self, doc: Doc) -> Reference | None:
        """The dateline's day (precision 1), else a release number's month (precision 4), else None."""
        head = doc[:self.head_tokens]
        dates, year_months = [], []
        for match_id, start, end in sorted(self.matcher(head), key=lambda m: m[1]):
            shape = self.shapes[doc.vocab.strings[match_id]]
            parts = _parts(shape["pattern"], head[start:end])
            if parts is None or not self._placed(head, start, end, shape):
                continue
            if shape["kind"] == "dateline":
                dates.append((start, parts))
            else:
                year_months.append(parts)
        for start, (year, month, day) in dates:
            year = year or _year_near(month, day, year_months) or _only_year(head[:start])
            if year is not None:
                try:
                    found = date(year, month, day)
                except ValueError:
                    continue
                return Reference(found, found, 1)
        if year_months:
            year, month, _ = year_months[0]
            return Reference(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]), 4)
        return None

    def _placed(self, head: Span, start: int, end: int, shape: dict) -> bool:
        """Where a shape must stand: at the start of a line, or on a short line of its own."""
        if shape.get("line_start") and start > 0 and not _breaks_line(head[start - 1]):
            return False
        if shape.get("short_line"):
            first = next((i for i in range(start - 1, -1, -1) if _breaks_line(head[i])), -1) + 1
            last = next((i for i in range(end, len(head)) if _breaks_line(head[i])), len(head))
            return last - first <= self.max_line_tokens
        return True


def _breaks_line(token) -> bool:
    return token.is_space and "\n" in token.text


def _token_spec(element: str | dict, named: dict) -> dict:
    """A pattern element: a named spec from the rules, a literal token, or a spaCy spec."""
    if isinstance(element, dict):
        return element
    return named.get(element, {"ORTH": element})


def _parts(elements: list, span: Span) -> tuple[int | None, int, int | None] | None:
    """(year, month, day) from the tokens the named elements matched; None when out of range."""
    year = month = day = None
    for element, token in zip(elements, span):
        if element == "YEAR":
            year = int(token.text) if int(token.text) in NEWS_YEARS else None
        elif element == "MONTH":
            month = MONTHS.get(token.lower_.rstrip("."))
        elif element == "MONTH_NUMBER":
            month = int(token.text) if 1 <= int(token.text) <= 12 else None
        elif element == "DAY":
            day = int(token.text) if 1 <= int(token.text) <= 31 else None
    if month is None or (day is None and "DAY" in elements) or (year is None and "YEAR" in elements):
        return None
    return year, month, day


def _only_year(before: Span) -> int | None:
    """The one year named above the dateline (a year in the story below it may be any year)."""
    years = {int(t.text) for t in before if t.shape_ == "dddd" and int(t.text) in NEWS_YEARS}
    return years.pop() if len(years) == 1 else None


def _year_near(month: int, day: int, year_months: list[tuple]) -> int | None:
    """The year that puts month-day closest to the head's first year-month (a release of
    early January may carry a December dateline)."""
    if not year_months:
        return None
    year, ref_month, _ = year_months[0]
    middle = date(year, ref_month, 15)
    distance = {y: abs((date(y, month, day) - middle).days)
                for y in (year - 1, year, year + 1) if day <= calendar.monthrange(y, month)[1]}
    near = {y: days for y, days in distance.items() if days <= 183}  # within half a year of the release
    return min(near, key=near.get, default=None)
