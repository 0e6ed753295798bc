"""One article's reports: each happening it tells of, with what the article says about it.

A report is an incident as one article states it: its counts (mentions), the kind of
happening, when and where, and what identifies it among others of its day and place (the
ages and names of the people involved, the streets and neighbourhoods named). Most
articles report one happening; a roundup reports several, and background ("in 2012, four
people were killed nearby") names past ones.

The counts of one article are one happening unless one of them

- is dated apart: intervals that do not meet once widened by their precision, or a day
  or a week against a month- or year-wide date (the article's own day against "last month");
- or opens another ("in a separate attack", ``separate_cues``).

Places do not part them: one happening's counts are often placed apart (the actor's
country, a neighbourhood the gazetteer took for a town of that name), and a roundup
that moves to another place says so.

A count about no happening (projected, hypothetical, a running total) belongs to none; a
running total that is a toll update ("the death toll rose to 12") revises its happening.
Every sentence of the article belongs to the report of the last count before it (the
head to the lead report), so "The victim was identified as Deshawn Miller, 24." tells who
the lead happening's victim was. An article none of whose counts is about a recent
happening still reports one when its title or first sentence names violence and harm
(``Cues.reports_harm``): it gets a report with no counts, dated by its publication, that
reads the title and first ``HEAD_SEGMENTS`` sentences only.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from pipeline import schema
from pipeline.incidents.cues import Cues, Reading, words_of

# The metrics of a happening; the other metrics describe states (a share held, a distance).
HAPPENING_METRICS = (*schema.INCIDENT_METRICS, "captured", "withdrew", "destroyed")
_REPORTED = {"asserted", "claimed", "negated"}
_VICTIM_METRICS = {"killed", "injured", "abducted"}
_GENERIC_SUBJECTS = {None, "people", "persons"}
BACKGROUND_DAYS = 30  # a happening that ended this long before publication is background
TEXT_LIMIT = 6000  # characters of an article read for sentences without counts (the lead and its follow-up)
HEAD_SEGMENTS = 3  # sentences a report without counts reads: its article's background comes later
LEAD_SEGMENTS = 2  # an article's first sentences (headline, dateline, lead): the places they name place it
_SENTENCE_END = re.compile(r"[.!?][\"')]*\s+(?=[\"'(]?[A-Z0-9])|\n+")
_LOCAL_FEATURES = {"city_part", "landmark", "district"}
_COARSE_DATE = 4  # date_precision from which a date is a month or a year wide

Dates = tuple[date | None, date | None, int | None]  # start, end, date_precision


@dataclass(frozen=True, slots=True)
class Place:
    name: str | None
    geonameid: int | None
    admin1: str | None
    admin2: str | None
    country_code: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: int | None

    @property
    def key(self) -> tuple:
        return ("gid", self.geonameid) if self.geonameid is not None else ("name", (self.name or "").casefold(), self.country_code)


@dataclass(slots=True)
class Report:
    key: str  # the id of its first mention, or "lead:<source_id>" for a report without counts
    source_id: str
    origin: str  # the source it copies, else itself
    published: datetime | None
    position: int  # offset of its first count (-1: the head)
    mentions: list[dict]
    kind: str | None  # the incident type its sentences name (None: they name none)
    fallback_kind: str  # the type its counts imply, when its sentences name none
    dates: Dates
    places: list[Place]  # best first
    top_words: frozenset[str]  # its first place's name and words, lower-cased
    local_words: frozenset[str]  # the other toponyms it names finer than a city (streets, neighbourhoods)
    figures: dict[str, float]  # per incident metric
    ages: frozenset[int]  # of anyone it names
    victim_ages: frozenset[int]  # in the words of its counts of victims ("a 24-year-old man")
    names: frozenset[str]  # surnames of anyone it names with an age or as a victim
    victim_names: frozenset[str]  # names in the words of its counts of victims
    dead_names: frozenset[str]  # names in the words of its counts of the killed
    actors: frozenset[str] = field(default_factory=frozenset)

    @property
    def casualties(self) -> float | None:
        """Killed and injured together, when it counts either."""
        counted = [self.figures[m] for m in ("killed", "injured") if m in self.figures]
        return sum(counted) if counted else None

    @property
    def order(self) -> tuple:
        """Canonical order: publication, source, position in it (unknown dates last)."""
        p = self.published
        return (p is None, p.timestamp() if p else 0.0, self.source_id, self.position)


def point(m: dict) -> float | None:
    """A count's figure: its value, else its bounds ("dozens" stands for its implied minimum)."""
    return next((m[k] for k in ("value", "value_low", "value_high") if m[k] is not None), None)


def mention_dates(m: dict) -> Dates:
    start = m["event_date_start"]
    return start, m["event_date_end"] or start, m["date_precision"] if start else None


def most_precise(dates: list[Dates]) -> Dates:
    known = [d for d in dates if d[0] is not None]
    return min(known, key=lambda d: (d[2] or 9, d[0])) if known else (None, None, None)


def eligible(m: dict, cues: Cues) -> bool:
    """A count about a happening: reported as fact or claim (or denied: "no one was hurt" is 0),
    not a running total unless it updates a toll."""
    if m["metric"] not in HAPPENING_METRICS or m["modality"] not in _REPORTED:
        return False
    return not m["is_cumulative"] or cues.is_toll_update(m["sentence"] or "")


def _same_time(a: Dates, b: Dates) -> bool:
    """Dates of one happening within an article (an unknown date fits any)."""
    if a[0] is None or b[0] is None:
        return True
    if (a[2] >= _COARSE_DATE) != (b[2] >= _COARSE_DATE):
        return False
    slack_a, slack_b = (timedelta(days={1: 1, 2: 3}.get(d[2], 0)) for d in (a, b))
    return a[0] - slack_a <= b[1] + slack_b and b[0] - slack_b <= a[1] + slack_a


def mention_place(m: dict) -> Place | None:
    """A count's place, as its mention gives it."""
    if not (m["place_name"] or m["geonameid"] is not None):
        return None
    return Place(m["place_name"], m["geonameid"], m["admin1"], m.get("admin2"), m["country_code"], m["latitude"],
                 m["longitude"], m["geo_precision"])


def row_place(row: dict, cues: Cues) -> Place | None:
    """A toponym of the places table as a place (None for one that says what, not where)."""
    if row["resolution_method"] in cues.associative or not (row["place_name"] or row["geonameid"] is not None):
        return None
    precision = schema.FEATURE_GEO_PRECISION.get(row["feature"])
    if precision is None and (row["place_name"] or "").casefold().endswith(cues.admin2_suffixes):
        precision = 3
    if precision is None and row["latitude"] is not None:
        precision = 2  # named beside a known place and put there
    return Place(row["place_name"], row["geonameid"], row["admin1"], row.get("admin2"), row["country_code"],
                 row["latitude"], row["longitude"], precision)


def _local(row: dict, place: Place) -> bool:
    """A toponym finer than a city, or one the gazetteer could not confirm: a street, a
    neighbourhood ("North Side" read as some town of that name)."""
    if (place.geo_precision or 2) > 3:
        return False
    return row["geonameid"] is None or row["feature"] in _LOCAL_FEATURES or place_word(row["text"]) != place_word(row["place_name"] or "")


def place_word(text: str) -> str:
    """A toponym as compared: lower case, punctuation as spaces ("MILWAUKEE -" is "milwaukee")."""
    return words_of(text)


def segments(text: str) -> list[tuple[int, int]]:
    """Sentence-like spans of the text (no parse: a full stop before a capital, or a line break)."""
    starts = [0] + [m.end() for m in _SENTENCE_END.finditer(text)]
    ends = starts[1:] + [len(text)]
    return [(s, e) for s, e in zip(starts, ends) if e > s]


class _Cluster:
    """The counts of one happening in an article, while they are gathered."""

    def __init__(self) -> None:
        self.mentions: list[dict] = []
        self.dates: Dates = (None, None, None)

    def add(self, m: dict) -> None:
        self.mentions.append(m)
        self.dates = most_precise([self.dates, mention_dates(m)])


def _clusters(mentions: list[dict], cues: Cues) -> list[_Cluster]:
    """The article's counts gathered into happenings, in text order (module docstring)."""
    clusters: list[_Cluster] = []
    recent: list[_Cluster] = []  # most recently joined last
    home: dict[str, _Cluster] = {}
    for m in mentions:
        chosen = home.get(m["parent_mention_id"])
        if chosen is None and not (recent and cues.is_separate(m["sentence"] or "")
                                   and recent[-1].mentions[-1]["sentence_index"] != m["sentence_index"]):
            chosen = next((c for c in reversed(recent) if _same_time(c.dates, mention_dates(m))), None)
        if chosen is None:
            chosen = _Cluster()
            clusters.append(chosen)
        chosen.add(m)
        home[m["mention_id"]] = chosen
        if chosen in recent:
            recent.remove(chosen)
        recent.append(chosen)
    return clusters


def figures(mentions: list[dict], cues: Cues) -> dict[str, float]:
    """Per incident metric, what one article counts: the largest count of a sentence (counts of
    distinct specific subjects in one sentence add up: '5 soldiers and 12 militants'), plus the
    counts that add to it ('two other men'); sub-counts are parts, not more. (A bare number
    that is an age of its sentence is no count: ``_misread_age``.)"""
    out: dict[str, float] = {}
    for metric in schema.INCIDENT_METRICS:
        counted = [m for m in mentions if m["metric"] == metric and not m["parent_mention_id"] and point(m) is not None]
        if not counted:
            continue
        added = [m for m in counted if cues.is_additive(m["text"] or "")]
        by_sentence: dict[int, list[dict]] = {}
        for m in counted:
            if not cues.is_additive(m["text"] or ""):
                by_sentence.setdefault(m["sentence_index"], []).append(m)
        totals = []
        for same in by_sentence.values():
            generic = max((point(m) for m in same if m["subject"] in _GENERIC_SUBJECTS), default=0.0)
            specific: dict[str, float] = {}
            for m in same:
                if m["subject"] not in _GENERIC_SUBJECTS:
                    specific[m["subject"]] = max(specific.get(m["subject"], 0.0), point(m))
            totals.append(max(generic, sum(specific.values())))
        out[metric] = max(totals, default=0.0) + sum(point(m) for m in added)
    return out


def with_shootings(counted: dict[str, float], readings: list[Reading]) -> dict[str, float]:
    """The counts, completed by the people the sentences say were shot (``shot_victims``): those
    who died among them when no count says how many were killed, the rest as injured when no
    count says how many were injured."""
    hit, fatal = max(((r.hit, r.fatal) for r in readings), default=(0, 0))
    out = dict(counted)
    if hit:
        if "killed" not in out and fatal:
            out["killed"] = float(fatal)
        out.setdefault("injured", max(hit - out.get("killed", 0.0), 0.0))
    return out


def _where(segment: int) -> str:
    """Where in its article a toponym stands: its first sentence, the lead, or the rest."""
    return "dateline" if segment == 0 else "lead" if segment < LEAD_SEGMENTS else "text"


def _misread_age(m: dict, ages: frozenset[int]) -> bool:
    """A bare number that is an age its sentence gives ("Andrew Lopez, 20, and ..."), read as a count."""
    span = (m["text"] or "").strip()
    return span.isdigit() and int(span) in ages


def _kind(votes: Counter, cues: Cues) -> str | None:
    if not votes:
        return None
    top = max(votes.values())
    return next(name for name in schema.INCIDENT_TYPES if votes.get(name) == top)


def _fallback_kind(mentions: list[dict], cues: Cues) -> str:
    implied = Counter(cues.metric_types.get(m["metric"], "other") for m in mentions)
    return _kind(implied, cues) or "other"


def _rank_places(candidates: list[tuple[Place, int, str]]) -> list[Place]:
    """The places of a happening, most often named first, then the one named earliest. Where
    its counts are placed (``"count"``), those, the most named and those of the article's
    first sentence (``"dateline"``: "GARY, Ind. - Two people were killed ..."): the extractor
    chose them; otherwise those of its first sentences (``"dateline"``, ``"lead"``) and those
    named more than once. A place named once in passing is context ("officials in
    Washington said")."""
    count: Counter = Counter()
    kinds: dict[tuple, set[str]] = {}
    first: dict[tuple, tuple[int, Place]] = {}
    for place, position, kind in candidates:
        count[place.key] += 1
        kinds.setdefault(place.key, set()).add(kind)
        if place.key not in first or position < first[place.key][0]:
            first[place.key] = (position, place)
    ranked = sorted(first, key=lambda k: (-count[k], first[k][0]))
    if any("count" in k for k in kinds.values()):
        kept = [k for i, k in enumerate(ranked) if i == 0 or kinds[k] & {"count", "dateline"}]
    else:
        kept = [k for k in ranked if kinds[k] & {"dateline", "lead"} or count[k] > 1]
    return [first[k][1] for k in kept]


@dataclass
class _Article:
    """One article as its reports read it: the head of its text cut into sentences, its toponyms."""

    source: dict
    head: str
    spans: list[tuple[int, int]]
    places: list[tuple[dict, Place]]  # (row of the places table, its place)

    def segment_of(self, offset: int) -> int:
        return bisect.bisect_right(self.spans, (offset, len(self.head) + 1)) - 1

    def sentence(self, index: int) -> str:
        start, end = self.spans[index]
        return self.head[start:end]


def _owners(article: _Article, clusters: list[_Cluster], lead: _Cluster | None) -> list[_Cluster | None]:
    """The happening each sentence belongs to: that of the last count before it (the head: the lead's)."""
    counted_in: dict[int, _Cluster] = {}
    for cluster in clusters:
        for m in cluster.mentions:
            if m["char_start"] < len(article.head):
                index = article.segment_of(m["char_start"])
                if index not in counted_in or m["char_start"] < counted_in[index][0]:
                    counted_in[index] = (m["char_start"], cluster)
    owners, current = [], lead
    for index in range(len(article.spans)):
        current = counted_in[index][1] if index in counted_in else current
        owners.append(current)
    return owners


def _report(article: _Article, origin: str, members: list[dict], own: list[int], dates: Dates, is_lead: bool,
            cues: Cues) -> Report:
    """A report of its counts (``members``) and the sentences it owns (``own``, by index)."""
    source, head = article.source, article.head
    sentences = [article.sentence(i) for i in own] + [m["sentence"] or "" for m in members if m["char_start"] >= len(head)]
    titles = [source["title"]] if is_lead and source["title"] else []
    owned = set(own)
    rows = [(row, p) for row, p in article.places if article.segment_of(row["char_start"]) in owned]
    named = [(p, row["char_start"], row["text"], _where(article.segment_of(row["char_start"]))) for row, p in rows]
    named += [(p, m["char_start"], p.name, "count") for m in members if (p := mention_place(m))]
    ranked = _rank_places([(p, position, primary) for p, position, _, primary in named])
    words = {place_word(w) for p, _, text, _ in named for w in (p.name or "", text or "")} - {""}
    top = {place_word(w) for p, _, text, _ in named if ranked and p.key == ranked[0].key for w in (p.name or "", text or "")} - {""}
    local = {place_word(row["text"]) for row, p in rows if _local(row, p)}
    readings = [cues.read(s) for s in titles + sentences]
    sentence_of = {m["mention_id"]: article.sentence(article.segment_of(m["char_start"])) if m["char_start"] < len(head)
                   else m["sentence"] or "" for m in members}
    killed_in = {sentence_of[m["mention_id"]] for m in members if m["metric"] == "killed"}
    ages_in = {text: reading.ages for text, reading in zip(sentences, readings[len(titles):])}
    counted = [m for m in members if not _misread_age(m, ages_in.get(sentence_of[m["mention_id"]], frozenset()))]
    victims = [m for m in members if m["metric"] in _VICTIM_METRICS]
    named_victims = {m["mention_id"]: cues.span_names(m["text"] or "", words) for m in victims}
    victim_names = {n for names in named_victims.values() for n in names}
    dead_names = {n for m in victims if m["metric"] == "killed" for n in named_victims[m["mention_id"]]}
    names = set(victim_names)
    for text, reading in zip(sentences, readings[len(titles):]):
        found = {n for phrase in reading.names for n in cues.name_words(phrase, words)}
        names |= found
        if text in killed_in:
            dead_names |= found
    victim_ages = {a for m in victims for a in cues.ages_in(m["text"] or "")}
    return Report(
        key=members[0]["mention_id"] if members else f"lead:{source['source_id']}",
        source_id=source["source_id"], origin=origin, published=source["published_at"],
        position=members[0]["char_start"] if members else -1, mentions=members,
        kind=_kind(Counter(r.kind for r in readings if r.kind), cues),
        fallback_kind=_fallback_kind(members, cues) if members else "other",
        dates=dates, places=ranked, top_words=frozenset(top), local_words=frozenset(local - top),
        figures=with_shootings(figures(counted, cues), readings),
        ages=frozenset({a for r in readings for a in r.ages} | victim_ages), victim_ages=frozenset(victim_ages),
        names=frozenset(names), victim_names=frozenset(victim_names), dead_names=frozenset(dead_names),
        actors=frozenset(m["actor"] for m in members if m["actor"]),
    )


def article_reports(source: dict, text: str, mentions: list[dict], places: list[dict], origin: str,
                    cues: Cues) -> list[Report]:
    """The reports of one article (``source``: source_id, title, published_at; ``text`` its
    cleaned text; ``mentions`` and ``places`` its rows of those tables)."""
    published = source["published_at"]
    head = text[:TEXT_LIMIT]
    article = _Article(source, head, segments(head), [(row, p) for row in places if (p := row_place(row, cues))])
    happening = sorted((m for m in mentions if eligible(m, cues)), key=lambda m: (m["char_start"], m["mention_id"]))
    clusters = _clusters(happening, cues)

    def background(c: _Cluster) -> bool:
        end = c.dates[1]
        return published is not None and end is not None and end < published.date() - timedelta(days=BACKGROUND_DAYS)

    lead = next((c for c in clusters if not background(c)), None)
    owners = _owners(article, clusters, lead)
    reports = [_report(article, origin, c.mentions, [i for i, o in enumerate(owners) if o is c], c.dates, c is lead, cues)
               for c in clusters]
    first = article.sentence(0) if article.spans else ""
    if lead is None and cues.reports_harm(f"{source['title'] or ''}. {first}"):
        own = [i for i, o in enumerate(owners) if o is None][:HEAD_SEGMENTS]
        dates = (published.date(), published.date(), 2) if published else (None, None, None)
        reports.insert(0, _report(article, origin, [], own, dates, True, cues))
    return reports
