"""What changed between two events tables: the one diff behind ``newsevents diff`` and the
``changes`` table that every published version carries.

An event is matched across versions by its stable ``event_id``; it is ``changed`` when one
of the figures an analyst reads (``EVENT_FIELDS``) differs.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from pipeline import schema

# the columns that make an event different from its namesake in another version
EVENT_FIELDS = ("metric", "value", "value_low", "value_high", "qualifier", "place_name", "n_sources", "modality")


def compare(before: pa.Table, after: pa.Table) -> dict[str, list[str]]:
    """Event ids added, removed and changed from ``before`` to ``after``, each sorted."""
    columns = ["event_id", *EVENT_FIELDS]
    joined = before.select(columns).join(after.select(columns), "event_id", join_type="full outer",
                                         left_suffix="__old", right_suffix="__new", coalesce_keys=False)
    old_id, new_id = joined.column("event_id__old"), joined.column("event_id__new")
    differs = pa.repeat(False, joined.num_rows) if joined.num_rows else pa.array([], pa.bool_())
    for field in EVENT_FIELDS:
        a, b = joined.column(f"{field}__old"), joined.column(f"{field}__new")
        # null on one side only is a difference; null on both is not
        differs = pc.or_(differs, pc.fill_null(pc.not_equal(a, b), pc.xor(pc.is_null(a), pc.is_null(b))))
    both = pc.and_(pc.is_valid(old_id), pc.is_valid(new_id))

    def ids(mask, column) -> list[str]:
        return sorted(column.filter(mask).to_pylist())

    return {
        "added": ids(pc.is_null(old_id), new_id),
        "removed": ids(pc.is_null(new_id), old_id),
        "changed": ids(pc.and_(both, differs), new_id),
    }


def changes_table(before: pa.Table | None, after: pa.Table) -> pa.Table:
    """The ``changes`` table of a version: one row per event added, removed or changed
    since its parent. With no parent every event is added."""
    found = compare(before if before is not None else schema.EVENTS.empty_table(), after)
    rows = [{"event_id": event_id, "change": kind} for kind, ids in found.items() for event_id in ids]
    return schema.conform("changes", rows)


def _rows(events: pa.Table, ids: list[str]) -> dict[str, dict]:
    """The ``EVENT_FIELDS`` of the events ``ids``, by id."""
    wanted = events.select(["event_id", *EVENT_FIELDS]).filter(
        pc.is_in(events.column("event_id"), value_set=pa.array(ids, pa.string())))
    return {row.pop("event_id"): row for row in wanted.to_pylist()}


def describe_changes(before: pa.Table, after: pa.Table, found: dict[str, list[str]]) -> dict[str, list[dict]]:
    """What each event of ``found`` (``compare``'s result) says: an added or removed event's
    figures and place, and for a changed one each field that differs, old and new."""
    old, new = _rows(before, found["removed"] + found["changed"]), _rows(after, found["added"] + found["changed"])
    changed = []
    for event_id in found["changed"]:
        a, b = old[event_id], new[event_id]
        changed.append({"event_id": event_id, "metric": b["metric"],
                        "fields": {f: {"old": a[f], "new": b[f]} for f in EVENT_FIELDS if a[f] != b[f]}})
    return {
        "added": [{"event_id": i, **new[i]} for i in found["added"]],
        "removed": [{"event_id": i, **old[i]} for i in found["removed"]],
        "changed": changed,
    }
