"""``lead_scoring__scores`` in pandas: what a user would write without the dbt project.

The raw tables are read with ``select * from raw.<table>`` (as Arrow, into
pandas) and the seeds with ``pandas.read_csv``; everything else is pandas and
NumPy, following docs/point_tables.md (and, where the docs leave a detail
open, the models). It is an independent implementation of the same scores,
checked against the models and the hand-written query by ``leadscoring bench``
and tests/python/test_bench.py.

Exact arithmetic: points are held as integer millionths (the models'
``DECIMAL(28, 6)``). The decayed points of a rule are computed as doubles
exactly as DuckDB does, then cast to 12 decimals and rounded to 2 with
DuckDB's rounding (half away from zero), see :func:`round_like_duckdb`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from leadscoring.bench.handquery import RESULT_COLUMNS
from leadscoring.contract import seed_file

MICRO = 1_000_000
# The span a staged timestamp must lie in: outside it (infinity, BC, years past
# 9999) staging's cast_or_null reads the value as malformed.
_MIN_TS = np.datetime64("0001-01-01T00:00:00", "us")
_MAX_TS = np.datetime64("9999-12-31T23:59:59.999999", "us")
_EMAIL = re.compile(r"[^@ \t\n\r\f\v]+@[^@ \t\n\r\f\v]+[.][^@ \t\n\r\f\v]+")
_PATH = re.compile(r"^(?:[a-z][a-z0-9+.-]*://[^/?#]*)?([^?#]*)")
# Contact attributes rules may name: text ones, and the two numbers.
TEXT_ATTRIBUTES = (
    "email", "email_domain", "email_domain_kind", "is_email_valid", "has_placeholder_name",
    "first_name", "last_name", "phone", "job_title", "seniority", "department", "country",
    "region", "lead_source", "company_name", "company_domain", "industry", "company_country",
)  # fmt: skip
NUMBER_ATTRIBUTES = ("employee_count", "annual_revenue")


# --------------------------------------------------------------------------- small helpers


def _clean(series: pd.Series) -> pd.Series:
    """Trimmed text, with empty (or blank) cells as missing."""
    text = series.astype("str").str.strip()
    return text.mask(text == "")


def _cell(value: object) -> str | None:
    """A seed cell, trimmed; None when empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


def _lower(value: object) -> str | None:
    text = _cell(value)
    return text.lower() if text is not None else None


def _decimal(value: object) -> Decimal | None:
    """A seed number as DECIMAL(28, 6) would hold it."""
    text = _cell(value)
    if text is None:
        return None
    return Decimal(text).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


def _micros(value: Decimal | None) -> int | None:
    return None if value is None else int(value * MICRO)


def _int(value: object) -> int | None:
    number = _decimal(value)
    return None if number is None else int(number.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _glob_regex(pattern: str | None) -> re.Pattern[str] | None:
    """A page glob (lower-cased, '*' the only wildcard) as a full-match regex."""
    if pattern is None:
        return None
    return re.compile(".*".join(re.escape(part) for part in pattern.lower().split("*")), re.S)


def _match_value(value: object, operator: str | None) -> str | None:
    text = _lower(value)
    if text is None:
        return None
    return re.sub(r"\s*\|\s*", "|", text) if operator == "in" else text


def round_like_duckdb(values: np.ndarray) -> np.ndarray:
    """round(CAST(x AS DECIMAL(38, 12)), 2) of doubles, in millionths (int64).

    DuckDB multiplies by 10^12 in double precision and rounds half away from
    zero; ROUND then rounds the 12-decimal integer half away from zero.
    """
    scaled = values * 1e12
    whole = np.trunc(scaled)
    twelve = (whole + np.where(np.abs(scaled - whole) >= 0.5, np.sign(scaled), 0)).astype(np.int64)
    cents = (np.abs(twelve) + 5_000_000_000) // 10_000_000_000 * np.sign(twelve)
    return cents * 10_000


def _seconds(timestamps: pd.Series | np.ndarray) -> np.ndarray:
    """Whole seconds since 1970 (DuckDB's date_diff('second') counts these)."""
    return np.asarray(timestamps, dtype="datetime64[us]").astype(np.int64) // MICRO


def _group_starts(*keys: np.ndarray) -> np.ndarray:
    """For rows sorted by keys: the index of the first row of each row's group."""
    n = len(keys[0])
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    new = np.zeros(n, dtype=bool)
    new[0] = True
    for key in keys:
        new[1:] |= key[1:] != key[:-1]
    starts = np.flatnonzero(new)
    return starts[np.cumsum(new) - 1]


# --------------------------------------------------------------------------- point tables


@dataclass
class Rule:
    """One rule of the five rule tables, typed (points and bounds in millionths)."""

    rule_id: str
    score_model: str
    category: str
    kind: str
    attribute: str | None
    operator: str | None
    match_value: str | None
    min_value: int | None
    max_value: int | None
    event_type: str | None
    page_regex: re.Pattern[str] | None
    page_category: str | None
    points: int
    max_occurrences: int | None
    max_points: int | None
    cap_group: str | None
    half_life: Decimal | None
    timeframe: Decimal | None
    min_occurrences: int | None
    within_days: Decimal | None
    count_mode: str | None
    anchor: str | None
    inactive_days: Decimal | None

    @property
    def dimension(self) -> str:
        return "fit" if self.kind == "attribute" else "engagement"


@dataclass
class Matcher:
    """An event condition: of a rule, of a combination step or of a segment condition."""

    kind: str
    score_model: str
    rule_id: str | None
    step: str | None
    condition_id: str | None
    event_type: str | None
    page_regex: re.Pattern[str] | None
    page_category: str | None


class PointTables:
    """The seeds of a scoring configuration, read with pandas and typed."""

    def __init__(self, seeds_dir: Path) -> None:
        self.seeds_dir = Path(seeds_dir)
        models = self.read("score_models")
        self.models: dict[str, dict[str, Decimal | None]] = {}
        for row in models.itertuples(index=False):
            self.models[_cell(row.score_model)] = {
                "min_total": _decimal(row.min_total) or Decimal(0),
                "max_total": _decimal(row.max_total),
                "half_life": _decimal(row.half_life_days),
                "timeframe": _decimal(row.timeframe_days),
            }
        self.model_names = sorted(self.models)
        self.rules = self._rules()
        self.rule_by_id = {rule.rule_id: rule for rule in self.rules}
        steps = self.read("combination_rule_steps")
        self.steps = [
            (
                _cell(row.rule_id),
                _lower(row.step),
                _lower(row.event_type),
                _glob_regex(_cell(row.page_pattern)),
                _lower(row.page_category),
            )
            for row in steps.itertuples(index=False)
            if _cell(row.rule_id) in self.rule_by_id
        ]
        self.segments = self.read("score_model_segments")
        event_types = self.read("event_types")
        self.event_types = {
            _lower(t): _lower(e) == "true"
            for t, e in zip(event_types.event_type, event_types.is_engagement, strict=True)
        }
        categories = self.read("page_categories")
        self.page_categories = [
            (_lower(c), _glob_regex(_lower(p)))
            for c, p in zip(categories.page_category, categories.page_pattern, strict=True)
        ]
        domains = self.read("email_domains")
        self.email_domains = {
            _lower(d): _lower(k) for d, k in zip(domains.domain, domains.domain_kind, strict=True)
        }
        self.placeholder_names = {_lower(n) for n in self.read("placeholder_names").name}
        caps = self.read("point_caps")
        self.caps: dict[tuple[str, str], int] = {}
        for row in caps.itertuples(index=False):
            key = (_cell(row.score_model), _lower(row.cap_group))
            value = _micros(_decimal(row.max_points))
            self.caps[key] = min(value, self.caps.get(key, value))
        self.thresholds = {
            "band": self._thresholds("score_bands", "band", "min_score"),
            "grade": self._thresholds("fit_grades", "grade", "min_points"),
            "level": self._thresholds("engagement_levels", "level", "min_points"),
        }

    def read(self, name: str) -> pd.DataFrame:
        """A seed as text, like dbt loads it: only empty cells are missing."""
        return pd.read_csv(
            self.seeds_dir / seed_file(name), dtype=str, keep_default_na=False, na_values=[""]
        )

    def _rules(self) -> list[Rule]:
        tables = [
            ("explicit_rules", "explicit"),
            ("implicit_rules", "implicit"),
            ("negative_rules", "negative"),
            ("repeat_rules", "repeat"),
            ("combination_rules", "combination"),
        ]
        rules = []
        for seed, table in tables:
            frame = self.read(seed)
            for row in frame.to_dict("records"):
                points = _decimal(row["points"])
                if table == "explicit":
                    category, kind = "explicit", "attribute"
                else:
                    negative = table == "negative" or points < 0
                    category = "negative" if negative else "implicit"
                    kind = {
                        "implicit": "event",
                        "negative": _lower(row.get("applies_to")),
                        "repeat": "repeat",
                        "combination": "combination",
                    }[table]
                model = self.models.get(_cell(row["score_model"]), {})
                half_life = _decimal(row.get("half_life_days"))
                timeframe = _decimal(row.get("timeframe_days"))
                if category == "implicit":
                    half_life = half_life if half_life is not None else model.get("half_life")
                    timeframe = timeframe if timeframe is not None else model.get("timeframe")
                operator = _lower(row.get("operator"))
                rules.append(
                    Rule(
                        rule_id=_cell(row["rule_id"]),
                        score_model=_cell(row["score_model"]),
                        category=category,
                        kind=kind,
                        attribute=_lower(row.get("attribute")),
                        operator=operator,
                        match_value=_match_value(row.get("value"), operator),
                        min_value=_micros(_decimal(row.get("min_value"))),
                        max_value=_micros(_decimal(row.get("max_value"))),
                        event_type=_lower(row.get("event_type")),
                        page_regex=_glob_regex(_cell(row.get("page_pattern"))),
                        page_category=_lower(row.get("page_category")),
                        points=_micros(points),
                        max_occurrences=_int(row.get("max_occurrences")),
                        max_points=_micros(_decimal(row.get("max_points"))),
                        cap_group=_lower(row.get("cap_group")),
                        half_life=half_life,
                        timeframe=timeframe,
                        min_occurrences=_int(row.get("min_occurrences")),
                        within_days=_decimal(row.get("within_days")),
                        count_mode=_lower(row.get("count_mode")),
                        anchor=_lower(row.get("anchor")),
                        inactive_days=_decimal(row.get("inactive_days")),
                    )
                )
        return rules

    def _thresholds(self, seed: str, name: str, minimum: str) -> dict[str, tuple[np.ndarray, list]]:
        frame = self.read(seed)
        by_model: dict[str, list[tuple[int, str]]] = {}
        for model, label, low in zip(frame.score_model, frame[name], frame[minimum], strict=True):
            by_model.setdefault(_cell(model), []).append((_micros(_decimal(low)), _cell(label)))
        result = {}
        for model, rows in by_model.items():
            rows.sort(key=lambda row: row[0])
            result[model] = (
                np.array([low for low, _ in rows], dtype=np.int64),
                [n for _, n in rows],
            )
        return result

    def matchers(self) -> list[Matcher]:
        """Every event condition, as the models' int_lead_scoring__event_matchers lists them."""
        found = [
            Matcher(
                "rule",
                r.score_model,
                r.rule_id,
                None,
                None,
                r.event_type,
                r.page_regex,
                r.page_category,
            )
            for r in self.rules
            if r.kind in ("event", "repeat")
        ]
        for rule_id, step, event_type, regex, category in self.steps:
            model = self.rule_by_id[rule_id].score_model
            found.append(Matcher("step", model, rule_id, step, None, event_type, regex, category))
        for row in self.segments.to_dict("records"):
            if _lower(row["applies_to"]) == "behaviour":
                found.append(
                    Matcher("segment", _cell(row["score_model"]), None, None,
                            _cell(row["condition_id"]), _lower(row["event_type"]), None,
                            _lower(row["page_category"]))
                )  # fmt: skip
        return found


# --------------------------------------------------------------------------- staging


def _in_range(timestamps: pd.Series) -> pd.Series:
    return timestamps.notna() & (timestamps >= _MIN_TS) & (timestamps <= _MAX_TS)


def _typed_timestamps(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """Keep well-formed timestamps; return whether a row had a malformed one."""
    invalid = pd.Series(False, index=frame.index)
    for column in columns:
        values = frame[column]
        good = _in_range(values)
        invalid |= values.notna() & ~good
        frame[column] = values.where(good)
    return invalid


def stage_accounts(raw: pd.DataFrame) -> pd.DataFrame:
    """The staged accounts: typed, trimmed, the most recent well-formed row of each id."""
    accounts = pd.DataFrame(
        {
            "account_id": _clean(raw["account_id"]),
            "account_name": _clean(raw["account_name"]),
            "domain": _clean(raw["domain"]).str.lower(),
            "industry": _clean(raw["industry"]),
            "employee_count": raw["employee_count"],
            "annual_revenue": raw["annual_revenue"],
            "country": _clean(raw["country"]),
            "created_at": raw["created_at"],
            "updated_at": raw["updated_at"],
        }
    )
    accounts["invalid"] = _typed_timestamps(accounts, ["created_at", "updated_at"])
    accounts = accounts[accounts.account_id.notna()].sort_values(
        ["account_id", "invalid", "updated_at", "created_at", "account_name"],
        ascending=[True, True, False, False, True],
        na_position="last",
        kind="stable",
    )
    accounts = accounts.drop_duplicates("account_id")
    return accounts[~accounts.invalid].drop(columns="invalid")


def stage_contacts(raw: pd.DataFrame, accounts: pd.DataFrame, tables: PointTables) -> pd.DataFrame:
    """Staged contacts with their account's firmographics and the data-quality attributes."""
    contacts = pd.DataFrame({"contact_id": _clean(raw["contact_id"])})
    contacts["email"] = _clean(raw["email"]).str.lower()
    for column in ("first_name", "last_name", "phone", "job_title", "seniority", "department",
                   "country", "region", "lead_source", "account_id"):  # fmt: skip
        contacts[column] = _clean(raw[column])
    contacts["created_at"] = raw["created_at"]
    contacts["updated_at"] = raw["updated_at"]
    contacts["invalid"] = _typed_timestamps(contacts, ["created_at", "updated_at"])
    contacts = contacts[contacts.contact_id.notna()].sort_values(
        ["contact_id", "invalid", "updated_at", "created_at", "email"],
        ascending=[True, True, False, False, True],
        na_position="last",
        kind="stable",
    )
    contacts = contacts.drop_duplicates("contact_id")
    contacts = contacts[~contacts.invalid].drop(columns="invalid").reset_index(drop=True)

    valid = contacts.email.map(
        lambda email: None if not isinstance(email, str) else bool(_EMAIL.fullmatch(email)),
        na_action="ignore",
    )
    contacts["is_email_valid"] = valid
    contacts["email_domain"] = contacts.email.str.split("@").str[1].where(valid.eq(True))
    contacts["email_domain_kind"] = contacts.email_domain.map(tables.email_domains)

    def placeholder(name: object) -> bool:
        if not isinstance(name, str):
            return False
        lowered = name.lower()
        return lowered in tables.placeholder_names or (
            len(lowered) >= 2 and lowered.replace(lowered[0], "") == ""
        )

    contacts["has_placeholder_name"] = contacts.first_name.map(placeholder).astype(bool) | (
        contacts.last_name.map(placeholder).astype(bool)
    )
    firmographics = accounts.rename(
        columns={
            "account_name": "company_name",
            "domain": "company_domain",
            "country": "company_country",
        }
    )[["account_id", "company_name", "company_domain", "industry", "employee_count",
       "annual_revenue", "company_country"]]  # fmt: skip
    return contacts.merge(firmographics, on="account_id", how="left")


def stage_events(
    raw: pd.DataFrame, contact_index: pd.Index, tables: PointTables, as_of: np.datetime64
) -> pd.DataFrame:
    """Events that count at the as-of: the first copy of each id, known contact and type.

    Columns: contact (row number of the staged contact), event (row number of
    the event), seconds (occurred_at as whole seconds), event_type, url (page
    URL, '' without one). Event ids are not needed past deduplication: ties of
    occurred_at never change a score.
    """
    events = pd.DataFrame(
        {
            "event_id": _clean(raw["event_id"]),
            "contact_id": _clean(raw["contact_id"]),
            "event_type": _clean(raw["event_type"]).str.lower(),
            "occurred_at": raw["occurred_at"],
            "page_url": _clean(raw["page_url"]),
        }
    )
    events["occurred_at"] = events.occurred_at.where(_in_range(events.occurred_at))
    # The first copy of an event id: by occurred_at, contact_id, event_type, page_url.
    repeated = events.event_id.notna() & events.event_id.duplicated(keep=False)
    copies = events[repeated].sort_values(
        ["event_id", "occurred_at", "contact_id", "event_type", "page_url"],
        na_position="last",
        kind="stable",
    )
    dropped = copies.index.difference(copies.drop_duplicates("event_id").index)
    events = events.drop(index=dropped)
    contact = contact_index.get_indexer(events.contact_id)
    keep = (
        events.event_id.notna().to_numpy()
        & (contact >= 0)
        & events.event_type.isin(list(tables.event_types)).to_numpy()
        & events.occurred_at.notna().to_numpy()
        & (events.occurred_at <= as_of).to_numpy()
    )
    kept = events[keep]
    return pd.DataFrame(
        {
            "contact": contact[keep],
            "event": np.arange(int(keep.sum())),
            "seconds": _seconds(kept.occurred_at),
            "event_type": kept.event_type.reset_index(drop=True),
            "url": kept.page_url.fillna("").reset_index(drop=True),
        }
    )


# --------------------------------------------------------------------------- matching


def page_path(url: str) -> str:
    """The lower-cased path of a URL: no scheme, host, query or fragment ('/' when empty)."""
    match = _PATH.match(url.lower())
    path = match.group(1) if match else ""
    return path or "/"


def match_events(
    events: pd.DataFrame, matchers: list[Matcher], tables: PointTables
) -> pd.DataFrame:
    """One row per event and matcher it satisfies: matcher, contact, event, seconds.

    The conditions are worked out once per distinct (event type, URL) pair.
    """
    pair_codes, pairs = pd.factorize(pd.MultiIndex.from_arrays([events.event_type, events.url]))
    pair_rows, matcher_rows = [], []
    for code, (event_type, url) in enumerate(pairs):
        path = page_path(url) if url else None
        categories = (
            {c for c, regex in tables.page_categories if regex.fullmatch(path)} if path else set()
        )
        for index, matcher in enumerate(matchers):
            if matcher.event_type is None and matcher.page_category is None:
                continue
            if matcher.event_type is not None and matcher.event_type != event_type:
                continue
            if matcher.page_regex is not None and not (path and matcher.page_regex.fullmatch(path)):
                continue
            if matcher.page_category is not None and matcher.page_category not in categories:
                continue
            pair_rows.append(code)
            matcher_rows.append(index)
    pair_matchers = pd.DataFrame({"pair": pair_rows, "matcher": matcher_rows})
    frame = pd.DataFrame(
        {
            "pair": pair_codes,
            "contact": events.contact.to_numpy(),
            "seconds": events.seconds.to_numpy(),
            "event": events.event.to_numpy(),
        }
    )
    return frame.merge(pair_matchers, on="pair").drop(columns="pair")


# --------------------------------------------------------------------------- occurrences


def _within(seconds: np.ndarray, days: Decimal) -> np.ndarray:
    """seconds <= days * 86400, exactly (days is a decimal)."""
    return seconds <= math.floor(days * 86400)


def repeat_occurrences(rule: Rule, matches: pd.DataFrame, as_of_s: int) -> pd.DataFrame:
    """The moments a repeat rule fires: contact, seconds."""
    seconds = matches.seconds.to_numpy()
    if rule.timeframe is not None:
        matches = matches[_within(as_of_s - seconds, rule.timeframe)]
    matches = matches.sort_values(["contact", "seconds"], kind="stable")
    contact = matches.contact.to_numpy()
    seconds = matches.seconds.to_numpy()
    window_seconds = rule.within_days * 86400
    first = seconds[_group_starts(contact)]
    window = np.floor((seconds - first) / float(window_seconds))
    per_window = rule.count_mode == "per_window"
    starts = _group_starts(contact, window) if per_window else _group_starts(contact)
    back = rule.min_occurrences - 1
    position = np.arange(len(seconds))
    has_run = position - back >= starts
    run_start = seconds[np.clip(position - back, 0, None)]
    done = has_run & _within(seconds - run_start, rule.within_days)
    completions = pd.DataFrame(
        {"contact": contact[done], "window": window[done], "seconds": seconds[done]}
    )
    if per_window:
        return completions.groupby(["contact", "window"], as_index=False).seconds.min()[
            ["contact", "seconds"]
        ]
    return completions.groupby("contact", as_index=False).seconds.max()


def combination_occurrences(
    rule: Rule,
    step_matches: dict[str, pd.DataFrame],
    created_s: np.ndarray,
    as_of_s: int,
) -> pd.DataFrame:
    """The moment a combination rule fires (one per contact): contact, seconds."""
    big = np.int64(1) << 36  # more seconds than any timestamp here, so contact * big + s sorts
    steps = {}
    for step, frame in step_matches.items():
        if rule.timeframe is not None:
            frame = frame[_within(as_of_s - frame.seconds.to_numpy(), rule.timeframe)]
        steps[step] = frame
    if not steps or any(frame.empty for frame in steps.values()):
        return pd.DataFrame({"contact": [], "seconds": []}, dtype=np.int64)
    events = (
        pd.concat(steps.values())
        .drop_duplicates(["contact", "event"])
        .sort_values(["contact", "seconds"], kind="stable")
    )
    contact = events.contact.to_numpy()
    seconds = events.seconds.to_numpy()
    keys = contact * big + seconds
    if rule.anchor == "contact_created":
        starters = np.unique(contact)
        starters = starters[created_s[starters] != np.iinfo(np.int64).min]
        window_contact = starters
        window_start = created_s[starters]
    else:
        first_at_moment = np.r_[True, keys[1:] != keys[:-1]]
        window_contact = contact[first_at_moment]
        window_start = seconds[first_at_moment]
    window_keys = window_contact * big + window_start
    # The window's first event is the first at or after its start; a window
    # needs as many distinct events as steps: its n-th (sorted by contact, so
    # the same contact holds every event in between).
    first_number = np.searchsorted(keys, window_keys, side="left")
    nth = first_number + len(steps) - 1
    safe = np.clip(nth, 0, len(keys) - 1)
    ok = (nth < len(keys)) & (contact[safe] == window_contact)
    nth_seconds = seconds[safe]
    ok &= (nth_seconds >= window_start) & _within(nth_seconds - window_start, rule.within_days)
    completed = nth_seconds.copy()
    for frame in steps.values():
        frame = frame.sort_values(["contact", "seconds"], kind="stable")
        step_keys = frame.contact.to_numpy() * big + frame.seconds.to_numpy()
        at = np.searchsorted(step_keys, window_keys, side="left")
        found = at < len(step_keys)
        first_key = step_keys[np.clip(at, 0, max(len(step_keys) - 1, 0))]
        found &= first_key // big == window_contact
        first_seconds = first_key % big
        ok &= found & _within(first_seconds - window_start, rule.within_days)
        completed = np.maximum(completed, first_seconds)
    done = pd.DataFrame({"contact": window_contact[ok], "seconds": completed[ok]})
    return done.groupby("contact", as_index=False).seconds.max()


def inactivity_occurrences(
    rule: Rule, events: pd.DataFrame, created_s: np.ndarray, tables: PointTables, as_of_s: int
) -> pd.DataFrame:
    """Contacts inactive for the rule's days (and created at least that long ago)."""
    engaged = events[events.event_type.map(tables.event_types).to_numpy(dtype=bool)]
    last = np.full(len(created_s), np.iinfo(np.int64).min, dtype=np.int64)
    latest = engaged.groupby("contact").seconds.max()
    last[latest.index.to_numpy()] = latest.to_numpy()
    missing = np.iinfo(np.int64).min
    never = last == missing
    no_created = created_s == missing
    days_86400 = rule.inactive_days * 86400
    old_enough = no_created | (
        np.where(no_created, 0, as_of_s - created_s) >= math.ceil(days_86400)
    )
    inactive_seconds = int(days_86400.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    inactive = never | (np.where(never, 0, as_of_s - last) > inactive_seconds)
    fires = old_enough & inactive
    since = np.where(never, created_s, last)
    contacts = np.flatnonzero(fires)
    moment = since[contacts] + inactive_seconds
    # a contact with neither an engagement nor a created_at becomes inactive at no known moment
    moment = np.where(never[contacts] & no_created[contacts], missing, moment)
    return pd.DataFrame({"contact": contacts, "seconds": moment})


def engagement_points(rule: Rule, occurrences: pd.DataFrame, as_of_s: int) -> pd.DataFrame:
    """Per contact: the rule's points after timeframe, decay, max_occurrences, max_points."""
    seconds = occurrences.seconds.to_numpy()
    contact = occurrences.contact.to_numpy()
    known = seconds != np.iinfo(np.int64).min
    age_days = (as_of_s - seconds).astype(np.float64) / 86400.0
    keep = np.ones(len(seconds), dtype=bool)
    if rule.timeframe is not None:
        keep = known & (age_days <= float(rule.timeframe))
    contact, seconds, age_days = contact[keep], seconds[keep], age_days[keep]
    if rule.half_life is None:
        decay = np.ones(len(seconds))
    else:
        decay = np.power(0.5, age_days / float(rule.half_life))
    value = (rule.points / MICRO) * decay
    if rule.max_occurrences is not None:
        order = np.lexsort((-seconds, contact))
        contact, value = contact[order], value[order]
        rank = np.arange(len(contact)) - _group_starts(contact)
        value = np.where(rank < rule.max_occurrences, value, 0.0)
    sums = pd.Series(value).groupby(contact).sum()
    points = round_like_duckdb(sums.to_numpy())
    if rule.max_points is not None:
        points = np.clip(points, -rule.max_points, rule.max_points)
    return pd.DataFrame({"contact": sums.index.to_numpy(), "points": points})


# --------------------------------------------------------------------------- attributes


def attribute_values(contacts: pd.DataFrame, attribute: str) -> tuple[pd.Series, pd.Series]:
    """(text, number) of one attribute for every contact: lower-cased text or a number."""
    if attribute in NUMBER_ATTRIBUTES:
        number = contacts[attribute].map(
            lambda v: None if pd.isna(v) else int(Decimal(str(v)) * MICRO), na_action="ignore"
        )
        return pd.Series(None, index=contacts.index, dtype=object), number
    if attribute not in TEXT_ATTRIBUTES:
        empty = pd.Series(None, index=contacts.index, dtype=object)
        return empty, empty
    values = contacts[attribute]
    if attribute in ("is_email_valid", "has_placeholder_name"):
        text = values.map(lambda v: None if v is None or pd.isna(v) else str(bool(v)).lower())
    else:
        text = values.astype("str").str.strip().str.lower()
        text = text.mask(text == "")
    return text.astype(object).where(text.notna(), None), pd.Series(
        None, index=contacts.index, dtype=object
    )


def attribute_mask(
    text: pd.Series, number: pd.Series, operator: str | None, match_value: str | None,
    min_value: int | None, max_value: int | None,
) -> np.ndarray:  # fmt: skip
    """Which contacts satisfy an attribute condition (rule or segment)."""
    has_text = text.notna()
    present = (has_text | number.notna()).to_numpy()
    if operator == "is_present":
        return present
    if operator == "is_missing":
        return ~present
    if operator == "between":
        values = number.to_numpy(dtype=object)
        result = pd.notna(values)
        whole = np.where(result, values, 0).astype(np.int64)
        if min_value is not None:
            result &= whole >= min_value
        if max_value is not None:
            result &= whole <= max_value
        return result
    if match_value is None:
        return np.zeros(len(text), dtype=bool)
    filled = text.fillna("")
    if operator == "equals":
        result = filled == match_value
    elif operator == "in":
        items = set(match_value.split("|"))
        result = filled.isin(items) & ~filled.str.contains("|", regex=False)
    elif operator == "contains":
        result = filled.str.contains(match_value, regex=False)
    elif operator == "starts_with":
        result = filled.str.startswith(match_value)
    else:
        return np.zeros(len(text), dtype=bool)
    return (result & has_text).to_numpy(dtype=bool)


# --------------------------------------------------------------------------- the scores


def compute_scores(raw: dict[str, pd.DataFrame], seeds_dir: Path, as_of: str) -> pd.DataFrame:
    """lead_scoring__scores from the raw tables (pandas DataFrames) and the seeds, as of `as_of`.

    Point columns are in millionths (int64); see RESULT_COLUMNS of handquery.
    """
    tables = PointTables(seeds_dir)
    as_of_ts = np.datetime64(as_of.replace(" ", "T"), "us")
    as_of_s = int(as_of_ts.astype(np.int64) // MICRO)
    missing = np.iinfo(np.int64).min

    accounts = stage_accounts(raw["accounts"])
    contacts = stage_contacts(raw["contacts"], accounts, tables)
    contact_index = pd.Index(contacts.contact_id)
    created = contacts.created_at
    created_s = np.where(created.notna(), _seconds(created.fillna(as_of_ts)), missing)
    events = stage_events(raw["events"], contact_index, tables, as_of_ts)

    matchers = tables.matchers()
    matches = match_events(events, matchers, tables)
    by_key: dict[tuple, list[int]] = {}
    for index, matcher in enumerate(matchers):
        key = (matcher.kind, matcher.rule_id or matcher.condition_id, matcher.step)
        by_key.setdefault(key, []).append(index)
    by_matcher = dict(tuple(matches.groupby("matcher")))

    def matches_of(kind: str, name: str, step: str | None = None) -> pd.DataFrame:
        frames = [by_matcher[i] for i in by_key.get((kind, name, step), []) if i in by_matcher]
        if not frames:
            return matches.iloc[0:0]
        return pd.concat(frames) if len(frames) > 1 else frames[0]

    fired = []  # frames of contact, rule, points

    def add(rule: Rule, frame: pd.DataFrame) -> None:
        if len(frame):
            points = frame.points.to_numpy(dtype=np.int64)
            fired.append(
                pd.DataFrame(
                    {"contact": frame.contact.to_numpy(), "rule": rule.rule_id, "points": points}
                )
            )

    attributes: dict[str, tuple[pd.Series, pd.Series]] = {}

    def attribute(name: str) -> tuple[pd.Series, pd.Series]:
        if name not in attributes:
            attributes[name] = attribute_values(contacts, name)
        return attributes[name]

    for rule in tables.rules:
        if rule.kind == "attribute":
            text, number = attribute(rule.attribute)
            mask = attribute_mask(text, number, rule.operator, rule.match_value,
                                  rule.min_value, rule.max_value)  # fmt: skip
            hits = np.flatnonzero(mask)
            add(rule, pd.DataFrame({"contact": hits, "points": rule.points}))
            continue
        if rule.kind == "event":
            occurrences = matches_of("rule", rule.rule_id)[["contact", "seconds"]]
        elif rule.kind == "repeat":
            occurrences = repeat_occurrences(rule, matches_of("rule", rule.rule_id), as_of_s)
        elif rule.kind == "combination":
            steps = {s: matches_of("step", rule.rule_id, s) for r, s, *_ in tables.steps
                     if r == rule.rule_id}  # fmt: skip
            occurrences = combination_occurrences(rule, steps, created_s, as_of_s)
        elif rule.kind == "inactivity":
            occurrences = inactivity_occurrences(rule, events, created_s, tables, as_of_s)
        else:
            continue
        add(rule, engagement_points(rule, occurrences, as_of_s))

    # who each score model applies to (contacts existing at the as-of)
    in_scope = ~(created.notna() & (created > as_of_ts)).to_numpy()
    applies = {}
    segments = tables.segments.to_dict("records")
    for model in tables.model_names:
        conditions = [row for row in segments if _cell(row["score_model"]) == model]
        mask = in_scope.copy()
        for row in conditions:
            if _lower(row["applies_to"]) == "attribute":
                operator = _lower(row["operator"])
                text, number = attribute(_lower(row["attribute"]))
                mask &= attribute_mask(
                    text, number, operator, _match_value(row["value"], operator),
                    _micros(_decimal(row["min_value"])), _micros(_decimal(row["max_value"])),
                )  # fmt: skip
            else:
                hits = matches_of("segment", _cell(row["condition_id"]))
                within = _decimal(row["within_days"])
                if within is not None:
                    hits = hits[_within(as_of_s - hits.seconds.to_numpy(), within)]
                least = _int(row["min_occurrences"]) or 1
                counts = np.bincount(hits.contact.to_numpy(), minlength=len(contacts))
                mask &= counts >= least
        applies[model] = mask

    columns = {"contact": np.zeros(0, np.int64), "rule": [], "points": np.zeros(0, np.int64)}
    rows = pd.concat(fired, ignore_index=True) if fired else pd.DataFrame(columns)
    rule_info = pd.DataFrame(
        {
            "rule": [r.rule_id for r in tables.rules],
            "model": [r.score_model for r in tables.rules],
            "category": [r.category for r in tables.rules],
            "dimension": [r.dimension for r in tables.rules],
            "cap_group": [r.cap_group for r in tables.rules],
            "rule_order": pd.Series([r.rule_id for r in tables.rules]).rank(method="dense"),
        }
    )
    rows = rows.merge(rule_info, on="rule")
    model_codes = {m: i for i, m in enumerate(tables.model_names)}
    applies_matrix = np.column_stack([applies[m] for m in tables.model_names])
    rows["model_code"] = rows.model.map(model_codes).to_numpy(dtype=np.int64)
    rows = rows[applies_matrix[rows.contact.to_numpy(), rows.model_code.to_numpy()]]

    # cap groups: positive points of a group's rules up to its cap, largest first, then rule_id
    capped = rows.points.to_numpy().copy()
    cap = np.array(
        [tables.caps.get((m, g)) if p > 0 and g is not None else None
         for m, g, p in zip(rows.model, rows.cap_group, rows.points, strict=True)],
        dtype=object,
    )  # fmt: skip
    has_cap = np.array([c is not None for c in cap], dtype=bool)
    if has_cap.any():
        group = rows[has_cap].assign(
            cap=cap[has_cap].astype(np.int64), position=np.flatnonzero(has_cap)
        )
        group = group.sort_values(
            ["contact", "model_code", "cap_group", "points", "rule_order"],
            ascending=[True, True, True, False, True],
            kind="stable",
        )
        running = group.groupby(["contact", "model_code", "cap_group"]).points.cumsum().to_numpy()
        before = running - group.points.to_numpy()
        limit = group.cap.to_numpy()
        points = group.points.to_numpy()
        kept = np.where(
            before >= limit, 0, np.where(before + points > limit, limit - before, points)
        )
        capped[group.position.to_numpy()] = kept
    rows = rows.assign(points=capped)

    scored = np.argwhere(applies_matrix)  # (contact, model code) pairs
    result = pd.DataFrame({"contact": scored[:, 0], "model_code": scored[:, 1]})
    sums = (
        rows.assign(
            fit_points=np.where(rows.category == "explicit", rows.points, 0),
            engagement_points=np.where(rows.category == "implicit", rows.points, 0),
            negative_points=np.where(rows.category == "negative", rows.points, 0),
            fit_score=np.where(rows.dimension == "fit", rows.points, 0),
            engagement_score=np.where(rows.dimension == "engagement", rows.points, 0),
            rules_fired=1,
        )
        .groupby(["contact", "model_code"], as_index=False)[
            [
                "fit_points",
                "engagement_points",
                "negative_points",
                "fit_score",
                "engagement_score",
                "points",
                "rules_fired",
            ]
        ]
        .sum()
    )
    result = result.merge(sums, on=["contact", "model_code"], how="left").fillna(0)
    for column in ("fit_points", "engagement_points", "negative_points", "fit_score",
                   "engagement_score", "points", "rules_fired"):  # fmt: skip
        result[column] = result[column].astype(np.int64)
    model_of = np.array(tables.model_names, dtype=object)[result.model_code.to_numpy()]
    floor = np.array([_micros(tables.models[m]["min_total"]) for m in model_of], dtype=np.int64)
    ceiling = np.array(
        [_micros(tables.models[m]["max_total"]) if tables.models[m]["max_total"] is not None
         else np.iinfo(np.int64).max for m in model_of],
        dtype=np.int64,
    )  # fmt: skip
    total = result.points.to_numpy()
    adjustment = np.where(
        total < floor, floor - total, np.where(total > ceiling, ceiling - total, 0)
    )
    result["adjustment_points"] = adjustment
    result["total_score"] = total + adjustment

    def threshold(kind: str, values: np.ndarray) -> np.ndarray:
        names = np.empty(len(values), dtype=object)
        for model, code in model_codes.items():
            rows_of = result.model_code.to_numpy() == code
            minimums, labels = tables.thresholds[kind][model]
            at = np.clip(np.searchsorted(minimums, values[rows_of], side="right") - 1, 0, None)
            names[rows_of] = np.array(labels, dtype=object)[at]
        return names

    result["score_band"] = threshold("band", result.total_score.to_numpy())
    result["fit_grade"] = threshold("grade", result.fit_score.to_numpy())
    result["engagement_level"] = threshold("level", result.engagement_score.to_numpy())
    result["score_matrix"] = result.fit_grade + result.engagement_level
    result["contact_id"] = contacts.contact_id.to_numpy()[result.contact.to_numpy()]
    result["score_model"] = model_of
    return result[list(RESULT_COLUMNS)]


def read_raw(database: Path, raw_schema: str = "raw") -> dict[str, pd.DataFrame]:
    """The four raw tables as pandas DataFrames: ``select *``, through Arrow."""
    import duckdb

    frames = {}
    with duckdb.connect(str(database), read_only=True) as con:
        con.execute("SET enable_progress_bar = false")
        for table in ("accounts", "contacts", "events"):
            reader = con.sql(f"select * from {raw_schema}.{table}").arrow()
            arrow_table = reader.read_all() if hasattr(reader, "read_all") else reader
            frames[table] = arrow_table.to_pandas()
    return frames


def run(database: Path, seeds_dir: Path, as_of: str, output: Path, raw_schema: str = "raw") -> int:
    """Compute the scores of `database` in pandas and write them to the Parquet file `output`.

    Point columns are written as DECIMAL(28, 6), like the mart. Returns the row count.
    """
    import duckdb

    from leadscoring.bench.handquery import normalise_as_of

    scores = compute_scores(read_raw(database, raw_schema), seeds_dir, normalise_as_of(as_of))
    points = ["fit_points", "engagement_points", "negative_points", "adjustment_points",
              "fit_score", "engagement_score", "total_score"]  # fmt: skip
    decimals = ", ".join(
        f"CAST(CAST({c} AS DECIMAL(38, 0)) * CAST(0.000001 AS DECIMAL(7, 6)) "
        f"AS DECIMAL(28, 6)) AS {c}"
        for c in points
    )
    con = duckdb.connect()
    con.register("scores", scores)
    con.execute(
        f"COPY (SELECT contact_id, score_model, {decimals}, score_band, fit_grade, "
        f"engagement_level, score_matrix, rules_fired FROM scores) "
        f"TO '{str(output).replace(chr(39), chr(39) * 2)}' (FORMAT parquet)"
    )
    con.close()
    return len(scores)
