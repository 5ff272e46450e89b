"""Tests of ``leadscoring validate``: the point tables are checked before a dbt build.

The point tables are specified in docs/point_tables.md; each test copies the
project's seeds, breaks one cell (or row) and expects the exact messages.
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest
from leadscoring.cli import main
from leadscoring.contract import load_contract, seed_file
from leadscoring.validate import Problem, validate_point_tables

ROOT = Path(__file__).resolve().parents[2]

SCORE_MODEL_NAMES = "default, emea, semantic_layer"
OPERATORS = (
    "equals, in, contains, starts_with, between, per_unit, buckets, age_between, is_present, "
    "is_missing"
)
# Segment conditions only hold or not, per profile: no per_unit, buckets nor age_between.
CONDITION_OPERATORS = "equals, in, contains, starts_with, between, is_present, is_missing"
DECLARE = (
    "declare it with its kind (text, number, boolean, date) in var "
    "lead_scoring__extra_contact_attributes in dbt_project.yml or with --vars."
)
BUCKETS = f"seeds/{seed_file('number_buckets')}"
BUCKETS_HEADER = "bucket_set,min_value,max_value,points,description"
ATTRIBUTES = (
    "annual_revenue, company_country, company_domain, company_name, country, department, "
    "email, email_domain, email_domain_kind, employee_count, first_name, has_placeholder_name, "
    "industry, is_email_valid, job_title, last_name, lead_source, phone, region, seniority"
)
EVENT_TYPES = (
    "content_downloaded, demo_requested, email_bounced, email_clicked, email_forwarded, "
    "email_opened, email_replied, email_sent, email_unsubscribed, form_submitted, "
    "newsletter_subscribed, page_view, phone_call, quote_requested, social_commented, "
    "social_liked, social_shared, trial_started, webinar_attended, webinar_registered"
)
PAGE_CATEGORIES = "blog, careers, customers, demo, pricing, product, resources, semantic_layer"
NUMBER_FIX = (
    "(digits, an optional sign and decimal point; no units, spaces or thousands separators)."
)
CSV_FIX = (
    "put a cell that holds a comma, a double quote or a line break in double quotes, and double "
    'every double quote inside it, e.g. "Directors, VPs" or "the ""hot"" band"'
)
MODELS = f"seeds/{seed_file('score_models')}"
SEGMENTS = f"seeds/{seed_file('score_model_segments')}"
PAGES = f"seeds/{seed_file('page_categories')}"
EVENTS = f"seeds/{seed_file('event_types')}"
DOMAINS = f"seeds/{seed_file('email_domains')}"
NAMES = f"seeds/{seed_file('placeholder_names')}"
EXPLICIT = f"seeds/{seed_file('explicit_rules')}"
IMPLICIT = f"seeds/{seed_file('implicit_rules')}"
NEGATIVE = f"seeds/{seed_file('negative_rules')}"
REPEAT = f"seeds/{seed_file('repeat_rules')}"
COMBOS = f"seeds/{seed_file('combination_rules')}"
STEPS = f"seeds/{seed_file('combination_rule_steps')}"
CAPS = f"seeds/{seed_file('point_caps')}"
BANDS = f"seeds/{seed_file('score_bands')}"
GRADES = f"seeds/{seed_file('fit_grades')}"
LEVELS = f"seeds/{seed_file('engagement_levels')}"
RULE_FILES = (
    "explicit_rules",
    "implicit_rules",
    "negative_rules",
    "repeat_rules",
    "combination_rules",
)
IMPLICIT_HEADER = (
    "rule_id,score_model,event_type,page_pattern,page_category,points,max_occurrences,"
    "max_points,cap_group,half_life_days,timeframe_days,description"
)
NEGATIVE_HEADER = (
    "rule_id,score_model,applies_to,attribute,operator,value,min_value,max_value,event_type,"
    "page_pattern,page_category,points,max_occurrences,max_points,half_life_days,"
    "timeframe_days,inactive_days,description"
)
MODELS_HEADER = "score_model,description,min_total,max_total,half_life_days,timeframe_days"


def differs(
    path: str,
    line: int,
    name: str,
    minimum: str,
    model: str,
    found: str,
    reference: str,
    expected: str,
) -> str:
    """The message of a score model whose bands (grades, levels) differ from the others'."""
    plural = f"{name}s"
    return (
        f"{path}, line {line} (score model {model}): the {plural} of score model '{model}' are "
        f"{found} in order of {minimum}, but those of score model '{reference}' are {expected}. "
        f"Fix: give every score model the same {plural} in the same order of {minimum}, so that "
        f"a {name} means the same step everywhere: rename, add or remove {plural} of '{model}' "
        f"to match '{reference}'."
    )


# Taking the band warm away from the score model default leaves it with other bands.
DEFAULT_BANDS_WITHOUT_WARM = differs(
    BANDS,
    2,
    "band",
    "min_score",
    "default",
    "cold, hot, MQL, SQL",
    "emea",
    "cold, warm, hot, MQL, SQL",
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project's dbt_project.yml and seeds."""
    shutil.copy(ROOT / "dbt_project.yml", tmp_path / "dbt_project.yml")
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    return tmp_path


def read_rows(project: Path, name: str) -> list[list[str]]:
    """The rows of point table ``name`` (its seed file), the header first."""
    with (project / "seeds" / seed_file(name)).open(newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def write_rows(project: Path, name: str, rows: list[list[str]]) -> None:
    with (project / "seeds" / seed_file(name)).open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def edit(project: Path, seed: str, row: str | int, /, **cells: str) -> None:
    """Set cells of one row of a seed: ``row`` is a line number or the row's first cell."""
    rows = read_rows(project, seed)
    header = rows[0]
    index = row - 1 if isinstance(row, int) else [r[:1] for r in rows].index([row])
    for column, value in cells.items():
        rows[index][header.index(column)] = value
    write_rows(project, seed, rows)


def read_lines(project: Path, name: str) -> list[str]:
    """A seed's raw lines, without line ends: ``lines[0]`` is line 1."""
    return (project / "seeds" / seed_file(name)).read_text(encoding="utf-8").splitlines()


def write_lines(project: Path, name: str, lines: list[str]) -> None:
    (project / "seeds" / seed_file(name)).write_text("\n".join(lines) + "\n", encoding="utf-8")


def append(project: Path, name: str, *lines: str) -> None:
    """Add raw lines at the end of a seed."""
    write_lines(project, name, [*read_lines(project, name), *lines])


def copy_thresholds(project: Path, source: str, target: str) -> None:
    """Give score model ``target`` the bands, grades and levels of ``source``."""
    for name in ("score_bands", "fit_grades", "engagement_levels"):
        rows = read_rows(project, name)
        write_rows(project, name, rows + [[target, *r[1:]] for r in rows[1:] if r[0] == source])


def messages(project: Path) -> list[str]:
    problems, _ = validate_point_tables(project)
    return [str(problem) for problem in problems]


def data_rows(name: str) -> int:
    with (ROOT / "seeds" / seed_file(name)).open(newline="", encoding="utf-8") as f:
        return sum(1 for row in csv.reader(f) if row) - 1


# --- the real point tables --------------------------------------------------


def test_real_point_tables_are_ok(project: Path) -> None:
    problems, summary = validate_point_tables(project)
    assert [str(problem) for problem in problems] == []
    rules = sum(data_rows(f) for f in RULE_FILES)
    expected = (
        f"Point tables OK: {rules} rules in 5 rule files, {data_rows('score_bands')} bands, "
        f"{data_rows('fit_grades')} fit grades, {data_rows('engagement_levels')} "
        f"engagement levels, {data_rows('score_models')} score models."
    )
    assert summary.ok_line() == expected


def test_cli_ok(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--project-dir", str(project)]) == 0
    out, err = capsys.readouterr()
    _, summary = validate_point_tables(project)
    assert out == summary.ok_line() + "\n"
    assert out.startswith("Point tables OK: ")
    assert err == ""


def test_cli_defaults_to_the_current_directory(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(project)
    assert main(["validate"]) == 0
    assert capsys.readouterr().out.startswith("Point tables OK: ")


def test_cli_reports_every_problem_on_stderr(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(project, "implicit_rules", "eng_page_pricing", points="10 pts")
    edit(project, "explicit_rules", "fit_seniority_vp", operator="equal")
    assert main(["validate", "--project-dir", str(project)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        f"{EXPLICIT}, line 3 (rule fit_seniority_vp): unknown operator 'equal'. Fix: did you "
        f"mean 'equals'? Otherwise use one of {OPERATORS}.\n"
        "\n"
        f"{IMPLICIT}, line 9 (rule eng_page_pricing): points '10 pts' is not a number. Fix: "
        f"write a plain number such as 10 {NUMBER_FIX}\n"
        "\n"
        "Found 2 problem(s) in the point tables; fix them and run again.\n"
    )


def test_cli_without_a_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--project-dir", str(tmp_path / "nowhere")]) == 1
    assert capsys.readouterr().err == (
        f"dbt_project.yml: not found in {(tmp_path / 'nowhere').resolve()}. Fix: run the "
        "command in the dbt project's directory, or pass --project-dir DIR.\n"
        "\n"
        "Found 1 problem(s) in the point tables; fix them and run again.\n"
    )


def test_help_explains_the_checks(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["validate", "--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    for words in (
        "--project-dir",
        "--vars",
        "no other header cell",
        "number_buckets",
        "age_between",
        "negative points in explicit",
        "rule ids",
        "five rule files",
        "operator",
        "page patterns",
        "cap groups",
        "combination rule",
        "is_engagement",
        "ascending order",
        "same bands",
    ):
        assert words in text


def test_problem_str() -> None:
    assert str(Problem("seeds/x.csv", 0, None, "file not found", "create it.")) == (
        "seeds/x.csv: file not found. Fix: create it."
    )
    assert str(Problem("seeds/x.csv", 4, "band warm", "bad", "fix it.")) == (
        "seeds/x.csv, line 4 (band warm): bad. Fix: fix it."
    )


# --- one broken cell (or row) at a time ---------------------------------------

CASES = [
    # 1. rule ids
    (
        "explicit_rules",
        "fit_seniority_vp",
        {"rule_id": ""},
        f"{EXPLICIT}, line 3: missing rule_id. Fix: give the rule a unique id of letters, "
        "digits, _, . and -, e.g. fit_seniority_vp.",
    ),
    (
        "explicit_rules",
        "fit_seniority_vp",
        {"rule_id": "fit seniority/vp"},
        f"{EXPLICIT}, line 3 (rule fit seniority/vp): rule id 'fit seniority/vp' has characters "
        "other than letters, digits, _, . and -. Fix: rename it, e.g. 'fit_seniority_vp'.",
    ),
    (
        "implicit_rules",
        "eng_email_clicked",
        {"rule_id": "eng_email_opened"},
        f"{IMPLICIT}, line 3 (rule eng_email_opened): duplicate rule id 'eng_email_opened': "
        f"already used in {IMPLICIT}, line 2. Fix: give each rule its own id, e.g. rename this "
        "one to 'eng_email_opened_2'.",
    ),
    (
        "negative_rules",
        "neg_student",
        {"rule_id": "fit_seniority_vp"},
        f"{NEGATIVE}, line 2 (rule fit_seniority_vp): duplicate rule id 'fit_seniority_vp': "
        f"already used in {EXPLICIT}, line 3. Fix: give each rule its own id, e.g. rename this "
        "one to 'fit_seniority_vp_2'.",
    ),
    (
        "repeat_rules",
        "rep_blog_5_in_7d",
        {"rule_id": "score_floor"},
        f"{REPEAT}, line 3 (rule score_floor): rule id 'score_floor' is reserved: "
        "lead_scoring__score_details names its floor and ceiling adjustment rows score_floor and "
        "score_ceiling. Fix: rename the rule, e.g. 'score_floor_rule'.",
    ),
    # 2. score models
    (
        "explicit_rules",
        "fit_seniority_vp",
        {"score_model": ""},
        f"{EXPLICIT}, line 3 (rule fit_seniority_vp): missing score_model. Fix: name one of the "
        f"score models of {MODELS}: {SCORE_MODEL_NAMES}.",
    ),
    (
        "implicit_rules",
        "eng_email_opened",
        {"score_model": "defualt"},
        f"{IMPLICIT}, line 2 (rule eng_email_opened): unknown score model 'defualt'. Fix: did "
        "you mean 'default'? Otherwise use one of default, emea, semantic_layer, or add 'defualt' "
        f"to {MODELS}.",
    ),
    (
        "negative_rules",
        "neg_student",
        {"score_model": "partner"},
        f"{NEGATIVE}, line 2 (rule neg_student): unknown score model 'partner'. Fix: use one of "
        f"{SCORE_MODEL_NAMES}, or add 'partner' to {MODELS}.",
    ),
    # 3. attributes
    (
        "explicit_rules",
        "fit_seniority_vp",
        {"attribute": ""},
        f"{EXPLICIT}, line 3 (rule fit_seniority_vp): missing attribute. Fix: name the contact "
        f"or account attribute tested, one of: {ATTRIBUTES}.",
    ),
    (
        "explicit_rules",
        "fit_seniority_vp",
        {"attribute": "senority"},
        f"{EXPLICIT}, line 3 (rule fit_seniority_vp): unknown attribute 'senority'. Fix: did you "
        f"mean 'seniority'? Otherwise use one of the known attributes: {ATTRIBUTES}; or {DECLARE}",
    ),
    (
        "negative_rules",
        "neg_student",
        {"attribute": "favourite_colour"},
        f"{NEGATIVE}, line 2 (rule neg_student): unknown attribute 'favourite_colour'. Fix: use "
        f"one of the known attributes: {ATTRIBUTES}; or {DECLARE}",
    ),
    # 4. operators and their values
    (
        "explicit_rules",
        "fit_seniority_vp",
        {"operator": ""},
        f"{EXPLICIT}, line 3 (rule fit_seniority_vp): missing operator. Fix: use one of "
        f"{OPERATORS}.",
    ),
    (
        "explicit_rules",
        "fit_seniority_vp",
        {"operator": "equal"},
        f"{EXPLICIT}, line 3 (rule fit_seniority_vp): unknown operator 'equal'. Fix: did you "
        f"mean 'equals'? Otherwise use one of {OPERATORS}.",
    ),
    (
        "explicit_rules",
        "fit_seniority_vp",
        {"operator": "EQUALS"},
        f"{EXPLICIT}, line 3 (rule fit_seniority_vp): unknown operator 'EQUALS'. Fix: did you "
        f"mean 'equals'? Otherwise use one of {OPERATORS}.",
    ),
    (
        "negative_rules",
        "neg_student",
        {"operator": "like"},
        f"{NEGATIVE}, line 2 (rule neg_student): unknown operator 'like'. Fix: use one of "
        f"{OPERATORS}.",
    ),
    (
        "explicit_rules",
        "fit_seniority_vp",
        {"value": ""},
        f"{EXPLICIT}, line 3 (rule fit_seniority_vp): operator equals needs a value. Fix: write "
        "the text the attribute is compared with in the value column.",
    ),
    (
        "explicit_rules",
        "fit_title_analytics",
        {"min_value": "1"},
        f"{EXPLICIT}, line 7 (rule fit_title_analytics): operator contains takes no min_value. "
        "Fix: empty min_value and max_value; they are only for between, age_between and "
        "per_unit.",
    ),
    (
        "explicit_rules",
        "fit_company_small",
        {"operator": "equals", "value": "50", "min_value": "", "max_value": ""},
        f"{EXPLICIT}, line 9 (rule fit_company_small): operator equals does not apply to the "
        "number attribute 'employee_count'. Fix: use between with min_value and/or max_value to "
        "test a number, per_unit for points per unit of it, or buckets with a bucket set of "
        "point table number_buckets (or is_present, is_missing).",
    ),
    (
        "explicit_rules",
        "fit_seniority_executive",
        {"value": ""},
        f"{EXPLICIT}, line 2 (rule fit_seniority_executive): operator in needs a value. Fix: "
        "write the accepted values separated by |, e.g. vp|director.",
    ),
    (
        "explicit_rules",
        "fit_seniority_executive",
        {"value": "c-level||owner"},
        f"{EXPLICIT}, line 2 (rule fit_seniority_executive): the in list 'c-level||owner' has an "
        "empty item. Fix: separate the values with single | and leave none empty, e.g. "
        "'c-level|owner'.",
    ),
    (
        "negative_rules",
        "neg_free_email",
        {"operator": "in", "value": "free|disposable|"},
        f"{NEGATIVE}, line 4 (rule neg_free_email): the in list 'free|disposable|' has an empty "
        "item. Fix: separate the values with single | and leave none empty, e.g. "
        "'free|disposable'.",
    ),
    (
        "explicit_rules",
        "fit_company_small",
        {"value": "50"},
        f"{EXPLICIT}, line 9 (rule fit_company_small): operator between takes no value (got "
        "'50'). Fix: empty the value column and put the bounds in min_value and/or max_value.",
    ),
    (
        "explicit_rules",
        "fit_company_small",
        {"min_value": "", "max_value": ""},
        f"{EXPLICIT}, line 9 (rule fit_company_small): operator between needs min_value, "
        "max_value or both. Fix: write the lowest accepted value in min_value and/or the "
        "highest in max_value (both inclusive), e.g. min_value 50.",
    ),
    (
        "explicit_rules",
        "fit_company_small",
        {"min_value": "50k"},
        f"{EXPLICIT}, line 9 (rule fit_company_small): min_value '50k' is not a number. Fix: "
        f"write a plain number such as 50 {NUMBER_FIX}",
    ),
    (
        "explicit_rules",
        "fit_company_small",
        {"min_value": "500", "max_value": "50"},
        f"{EXPLICIT}, line 9 (rule fit_company_small): min_value 500 is greater than max_value "
        "50. Fix: swap them: min_value 50, max_value 500.",
    ),
    (
        "explicit_rules",
        "fit_seniority_vp",
        {"operator": "between", "value": "", "min_value": "1"},
        f"{EXPLICIT}, line 3 (rule fit_seniority_vp): operator between does not apply to the "
        "text attribute 'seniority'. Fix: use equals, in, contains or starts_with with a value "
        "to test text (or is_present, is_missing).",
    ),
    (
        "explicit_rules",
        "fit_phone_given",
        {"value": "yes", "max_value": "3"},
        f"{EXPLICIT}, line 14 (rule fit_phone_given): operator is_present takes no value, "
        "min_value or max_value, but value and max_value are filled. Fix: empty value and "
        "max_value; is_present only tests whether the attribute has a value.",
    ),
    # 5. event types
    (
        "implicit_rules",
        "eng_email_opened",
        {"event_type": ""},
        f"{IMPLICIT}, line 2 (rule eng_email_opened): missing event_type. Fix: name one of the "
        f"event types of {EVENTS}: {EVENT_TYPES}.",
    ),
    (
        "implicit_rules",
        "eng_email_opened",
        {"event_type": "email_open"},
        f"{IMPLICIT}, line 2 (rule eng_email_opened): unknown event type 'email_open'. Fix: did "
        "you mean 'email_opened'? Otherwise use one of the event types of "
        f"{EVENTS}: {EVENT_TYPES}; or add 'email_open' to {EVENTS}.",
    ),
    # 6. page patterns
    (
        "implicit_rules",
        "eng_page_pricing",
        {"page_pattern": "https://www.example.com/pricing?plan=pro"},
        f"{IMPLICIT}, line 9 (rule eng_page_pricing): page_pattern "
        "'https://www.example.com/pricing?plan=pro' is a URL, not a page path. Fix: drop the "
        "scheme, host and query and write the path, e.g. '/pricing'.",
    ),
    (
        "negative_rules",
        "neg_job_seeker",
        {"page_pattern": "/careers*#jobs"},
        f"{NEGATIVE}, line 9 (rule neg_job_seeker): page_pattern '/careers*#jobs' has a query "
        "string or fragment. Fix: drop the scheme, host and query and write the path, e.g. "
        "'/careers*'.",
    ),
    (
        "implicit_rules",
        "eng_page_pricing",
        {"page_pattern": "pricing*"},
        f"{IMPLICIT}, line 9 (rule eng_page_pricing): page_pattern 'pricing*' does not start "
        "with / or *. Fix: start it with / to match from the start of the path (e.g. "
        "'/pricing*'), or with * to match anywhere in it.",
    ),
    (
        "implicit_rules",
        "eng_page_pricing",
        {"page_pattern": "/our pricing*"},
        f"{IMPLICIT}, line 9 (rule eng_page_pricing): page_pattern '/our pricing*' contains "
        "blanks. Fix: remove the blanks: page paths have none.",
    ),
    (
        "implicit_rules",
        "eng_page_pricing",
        {"page_pattern": "**"},
        f"{IMPLICIT}, line 9 (rule eng_page_pricing): page_pattern '**' matches every page. "
        "Fix: empty page_pattern to count every event of the type, or narrow it to a path such as "
        "'/pricing*'.",
    ),
    # 7. points
    (
        "explicit_rules",
        "fit_seniority_vp",
        {"points": ""},
        f"{EXPLICIT}, line 3 (rule fit_seniority_vp): missing points. Fix: write the points the "
        "rule gives, e.g. 10 (below 0 to take points away).",
    ),
    (
        "explicit_rules",
        "fit_seniority_vp",
        {"points": "10 pts"},
        f"{EXPLICIT}, line 3 (rule fit_seniority_vp): points '10 pts' is not a number. Fix: "
        f"write a plain number such as 10 {NUMBER_FIX}",
    ),
    (
        "explicit_rules",
        "emea_fit_industry",
        {"points": "-5"},
        f"{EXPLICIT}, line 19 (rule emea_fit_industry): cap_group 'firmographics' on a negative "
        "rule (-5). Fix: empty cap_group: cap groups limit positive points only.",
    ),
    (
        "implicit_rules",
        "eng_email_opened",
        {"points": "-1"},
        f"{IMPLICIT}, line 2 (rule eng_email_opened): negative points (-1) in an implicit rule. "
        f"Fix: use 0 or more points here; put negative points in {NEGATIVE}.",
    ),
    (
        "negative_rules",
        "neg_student",
        {"points": "25"},
        f"{NEGATIVE}, line 2 (rule neg_student): points 25 in a negative rule are not below 0. "
        "Fix: write the points taken off as a negative number, e.g. -25; put positive points "
        f"in {EXPLICIT} or {IMPLICIT}.",
    ),
    (
        "negative_rules",
        "neg_hard_bounce",
        {"points": "ten"},
        f"{NEGATIVE}, line 11 (rule neg_hard_bounce): points 'ten' is not a number. Fix: write "
        f"a plain number such as -10 {NUMBER_FIX}",
    ),
    # 8. max_occurrences
    (
        "implicit_rules",
        "eng_email_opened",
        {"max_occurrences": "0"},
        f"{IMPLICIT}, line 2 (rule eng_email_opened): max_occurrences 0 is below 1. Fix: write "
        "a whole number from 1 to 999,999, e.g. 3, or leave it empty for no cap.",
    ),
    (
        "implicit_rules",
        "eng_email_opened",
        {"max_occurrences": "1000000"},
        f"{IMPLICIT}, line 2 (rule eng_email_opened): max_occurrences 1,000,000 is above "
        "999,999. Fix: write a whole number from 1 to 999,999, e.g. 3, or leave it empty for "
        "no cap.",
    ),
    (
        "negative_rules",
        "neg_unsubscribed",
        {"max_occurrences": "2.5"},
        f"{NEGATIVE}, line 10 (rule neg_unsubscribed): max_occurrences '2.5' is not a whole "
        "number. Fix: write a whole number from 1 to 999,999, e.g. 3, or leave it empty for "
        "no cap.",
    ),
    # 9. applies_to
    (
        "negative_rules",
        "neg_student",
        {"applies_to": ""},
        f"{NEGATIVE}, line 2 (rule neg_student): missing applies_to. Fix: write attribute "
        "(points off when a contact attribute matches), event (points off per event) or "
        "inactivity (points off after inactive_days without engagement).",
    ),
    (
        "negative_rules",
        "neg_student",
        {"applies_to": "attributes"},
        f"{NEGATIVE}, line 2 (rule neg_student): unknown applies_to 'attributes'. Fix: did you "
        "mean 'attribute'? Otherwise use one of attribute, event, inactivity.",
    ),
    (
        "negative_rules",
        "neg_student",
        {"event_type": "page_view", "max_occurrences": "1"},
        f"{NEGATIVE}, line 2 (rule neg_student): applies_to is attribute but event_type and "
        "max_occurrences are filled. Fix: empty event_type and max_occurrences (they are for "
        "applies_to event rules), or make it an event rule: applies_to event, with attribute, "
        "operator, value, min_value and max_value empty.",
    ),
    (
        "negative_rules",
        "neg_job_seeker",
        {"attribute": "seniority"},
        f"{NEGATIVE}, line 9 (rule neg_job_seeker): applies_to is event but attribute is "
        "filled. Fix: empty attribute (it is for applies_to attribute rules), or make it an "
        "attribute rule: applies_to attribute, with event_type, page_pattern, page_category, "
        "max_occurrences, max_points, half_life_days and timeframe_days empty.",
    ),
    # 10. bands
    (
        "score_bands",
        3,
        {"score_model": ""},
        [
            DEFAULT_BANDS_WITHOUT_WARM,
            f"{BANDS}, line 3 (band warm): missing score_model. Fix: name one of the score "
            f"models of {MODELS}: {SCORE_MODEL_NAMES}.",
        ],
    ),
    (
        "score_bands",
        3,
        {"score_model": "defualt"},
        [
            DEFAULT_BANDS_WITHOUT_WARM,
            f"{BANDS}, line 3 (band warm): unknown score model 'defualt'. Fix: did you mean "
            f"'default'? Otherwise use one of {SCORE_MODEL_NAMES}, or add 'defualt' to {MODELS}.",
        ],
    ),
    (
        "score_bands",
        3,
        {"band": ""},
        f"{BANDS}, line 3: missing band. Fix: name the band, e.g. warm.",
    ),
    (
        "score_bands",
        3,
        {"band": "cold"},
        f"{BANDS}, line 3 (band cold): duplicate band 'cold' in score model 'default': already "
        "on line 2. Fix: give each band of a score model its own name.",
    ),
    (
        "score_bands",
        3,
        {"min_score": ""},
        f"{BANDS}, line 3 (band warm): missing min_score. Fix: write the lowest total score in "
        "the band, e.g. 20.",
    ),
    (
        "score_bands",
        3,
        {"min_score": "twenty"},
        f"{BANDS}, line 3 (band warm): min_score 'twenty' is not a number. Fix: write a plain "
        f"number such as 20 {NUMBER_FIX}",
    ),
    (
        "score_bands",
        4,
        {"min_score": "10"},
        [
            differs(
                BANDS,
                2,
                "band",
                "min_score",
                "default",
                "cold, hot, warm, MQL, SQL",
                "emea",
                "cold, warm, hot, MQL, SQL",
            ),
            f"{BANDS}, line 4 (band hot): bands not in ascending order: min_score 10 comes after "
            "band 'warm' with min_score 20 (line 3) in score model 'default'. Fix: list the "
            "bands of a score model from the lowest min_score to the highest.",
        ],
    ),
    (
        "score_bands",
        4,
        {"min_score": "20.0"},
        f"{BANDS}, line 4 (band hot): band 'hot' has the same min_score 20.0 as band 'warm' on "
        "line 3. Fix: give each band of a score model its own min_score.",
    ),
    # score models and event types
    (
        "event_types",
        3,
        {"event_type": "page_view"},
        f"{EVENTS}, line 3 (event type page_view): duplicate event type "
        "'page_view': already on line 2. Fix: remove this row; each event type is listed once.",
    ),
    (
        "event_types",
        3,
        {"event_category": ""},
        f"{EVENTS}, line 3 (event type email_sent): missing event_category. Fix: "
        "name the family of the event type, e.g. one of content, email, event, form, product, "
        "sales, social, web.",
    ),
    # 11. score models
    (
        "score_models",
        "emea",
        {"description": ""},
        f"{MODELS}, line 3 (score model emea): missing description. Fix: say what the score is "
        "for, e.g. Contacts of the EMEA sales team.",
    ),
    (
        "score_models",
        "emea",
        {"min_total": "10", "max_total": "10"},
        f"{MODELS}, line 3 (score model emea): max_total 10 is not greater than min_total 10. "
        "Fix: raise max_total above min_total, or empty max_total for no ceiling.",
    ),
    (
        "score_models",
        "emea",
        {"min_total": "", "max_total": "-5"},
        f"{MODELS}, line 3 (score model emea): max_total -5 is not greater than the floor 0 "
        "(min_total is empty). Fix: raise max_total above min_total, or empty max_total for no "
        "ceiling.",
    ),
    (
        "score_models",
        "emea",
        {"min_total": "-"},
        f"{MODELS}, line 3 (score model emea): min_total '-' is not a number. Fix: write a plain "
        f"number such as 0 {NUMBER_FIX}",
    ),
    (
        "score_models",
        "default",
        {"half_life_days": "0"},
        f"{MODELS}, line 2 (score model default): half_life_days 0 is not greater than 0. Fix: "
        "write a number of days greater than 0, e.g. 90, or leave it empty for no decay.",
    ),
    (
        "score_models",
        "emea",
        {"timeframe_days": "6 months"},
        f"{MODELS}, line 3 (score model emea): timeframe_days '6 months' is not a number. Fix: "
        f"write a plain number such as 180 {NUMBER_FIX}",
    ),
    # 12. score model segments
    (
        "score_model_segments",
        "emea",
        {"score_model": "emae"},
        f"{SEGMENTS}, line 2 (condition emea_region): unknown score model 'emae'. Fix: did you "
        f"mean 'emea'? Otherwise use one of {SCORE_MODEL_NAMES}, or add 'emae' to {MODELS}.",
    ),
    (
        "score_model_segments",
        "emea",
        {"condition_id": "EMEA region"},
        f"{SEGMENTS}, line 2 (condition EMEA region): condition id 'EMEA region' is not a "
        "lower-case identifier. Fix: use lower-case letters, digits and _, starting with a "
        "letter, e.g. 'emea_region'.",
    ),
    (
        "score_model_segments",
        "semantic_layer",
        {"score_model": "emea", "condition_id": "emea_region"},
        f"{SEGMENTS}, line 3 (condition emea_region): duplicate condition 'emea_region' in score "
        "model 'emea': already on line 2. Fix: give each condition of a score model its own id.",
    ),
    (
        "score_model_segments",
        "emea",
        {"applies_to": ""},
        f"{SEGMENTS}, line 2 (condition emea_region): missing applies_to. Fix: write attribute "
        "(the contact's attribute must match) or behaviour (the contact must have done "
        "something).",
    ),
    (
        "score_model_segments",
        "emea",
        {"applies_to": "behavior"},
        f"{SEGMENTS}, line 2 (condition emea_region): unknown applies_to 'behavior'. Fix: did "
        "you mean 'behaviour'? Otherwise use one of attribute, behaviour.",
    ),
    (
        "score_model_segments",
        "emea",
        {"attribute": "regoin"},
        f"{SEGMENTS}, line 2 (condition emea_region): unknown attribute 'regoin'. Fix: did you "
        f"mean 'region'? Otherwise use one of the known attributes: {ATTRIBUTES}; or {DECLARE}",
    ),
    (
        "score_model_segments",
        "semantic_layer",
        {"applies_to": "attribute"},
        [
            f"{SEGMENTS}, line 3 (condition semantic_layer_interest): applies_to is attribute but "
            "page_category, min_occurrences and within_days are filled. Fix: empty "
            "page_category, min_occurrences and within_days (they are for applies_to behaviour "
            "conditions), or make it a "
            "behaviour condition: applies_to behaviour, with attribute, operator, value, "
            "min_value and max_value empty.",
            f"{SEGMENTS}, line 3 (condition semantic_layer_interest): missing attribute. Fix: "
            f"name the contact or account attribute tested, one of: {ATTRIBUTES}.",
            f"{SEGMENTS}, line 3 (condition semantic_layer_interest): missing operator. Fix: use "
            f"one of {CONDITION_OPERATORS}.",
        ],
    ),
    (
        "score_model_segments",
        "semantic_layer",
        {"page_category": ""},
        f"{SEGMENTS}, line 3 (condition semantic_layer_interest): a behaviour condition needs "
        "event_type, page_category or both. Fix: name the event type and/or the page category "
        "of the events that count, e.g. page_category pricing.",
    ),
    (
        "score_model_segments",
        "semantic_layer",
        {"event_type": "page_veiw"},
        f"{SEGMENTS}, line 3 (condition semantic_layer_interest): unknown event type "
        "'page_veiw'. Fix: did you mean 'page_view'? Otherwise use one of the event types of "
        f"{EVENTS}: {EVENT_TYPES}; or add 'page_veiw' to {EVENTS}.",
    ),
    (
        "score_model_segments",
        "semantic_layer",
        {"page_category": "semantic-layer"},
        f"{SEGMENTS}, line 3 (condition semantic_layer_interest): unknown page category "
        "'semantic-layer'. Fix: did you mean 'semantic_layer'? Otherwise use one of the page "
        f"categories of {PAGES}: {PAGE_CATEGORIES}; or add 'semantic-layer' with its page "
        f"patterns to {PAGES}.",
    ),
    (
        "score_model_segments",
        "semantic_layer",
        {"min_occurrences": "0"},
        f"{SEGMENTS}, line 3 (condition semantic_layer_interest): min_occurrences 0 is below 1. "
        "Fix: write a whole number of 1 or more, e.g. 2, or leave it empty for 1.",
    ),
    (
        "score_model_segments",
        "semantic_layer",
        {"within_days": "-7"},
        f"{SEGMENTS}, line 3 (condition semantic_layer_interest): within_days -7 is not greater "
        "than 0. Fix: write a number of days greater than 0, e.g. 30, or leave it empty for all "
        "time.",
    ),
    # 13. page categories
    (
        "page_categories",
        10,
        {"page_category": "Resources Pages"},
        f"{PAGES}, line 10 (page category Resources Pages): page category 'Resources Pages' is "
        "not a lower-case identifier. Fix: use lower-case letters, digits and _, starting with "
        "a letter, e.g. 'resources_pages'.",
    ),
    (
        "page_categories",
        10,
        {"page_pattern": ""},
        f"{PAGES}, line 10 (page category resources): missing page_pattern. Fix: write the path "
        "glob of the category's pages, e.g. /pricing*; one row per pattern.",
    ),
    (
        "page_categories",
        10,
        {"page_pattern": "*"},
        f"{PAGES}, line 10 (page category resources): page_pattern '*' matches every page. Fix: "
        "narrow it to the pages of the category, e.g. '/pricing*'.",
    ),
    (
        "page_categories",
        10,
        {"page_pattern": "resources/*"},
        f"{PAGES}, line 10 (page category resources): page_pattern 'resources/*' does not start "
        "with / or *. Fix: start it with / to match from the start of the path (e.g. "
        "'/resources/*'), or with * to match anywhere in it.",
    ),
    (
        "page_categories",
        6,
        {"page_pattern": "/product/semantic-layer*"},
        f"{PAGES}, line 6 (page category semantic_layer): duplicate page pattern "
        "'/product/semantic-layer*' for page category 'semantic_layer': already on line 5. Fix: "
        "remove this row.",
    ),
    # 14. event types: is_engagement
    (
        "event_types",
        3,
        {"is_engagement": ""},
        f"{EVENTS}, line 3 (event type email_sent): missing is_engagement. Fix: write true when "
        "the event shows the contact's own interest (a page view, a click), false when it does "
        "not (email_sent, email_bounced).",
    ),
    (
        "event_types",
        3,
        {"is_engagement": "False"},
        f"{EVENTS}, line 3 (event type email_sent): unknown is_engagement 'False'. Fix: did you "
        "mean 'false'? Otherwise use one of true, false.",
    ),
    (
        "event_types",
        3,
        {"is_engagement": "no"},
        f"{EVENTS}, line 3 (event type email_sent): unknown is_engagement 'no'. Fix: use one of "
        "true, false.",
    ),
    # 15. email domains and placeholder names
    (
        "email_domains",
        3,
        {"domain": ""},
        f"{DOMAINS}, line 3: missing domain. Fix: write the domain as in email addresses, e.g. "
        "gmail.com.",
    ),
    (
        "email_domains",
        3,
        {"domain": "GoogleMail.com"},
        f"{DOMAINS}, line 3 (domain GoogleMail.com): domain 'GoogleMail.com' is not lower-case. "
        "Fix: write it in lower case: 'googlemail.com'.",
    ),
    (
        "email_domains",
        3,
        {"domain": "joe@googlemail.com"},
        f"{DOMAINS}, line 3 (domain joe@googlemail.com): domain 'joe@googlemail.com' is an email "
        "address, not a domain. Fix: keep the part after the @, e.g. 'googlemail.com'.",
    ),
    (
        "email_domains",
        3,
        {"domain": "https://googlemail.com/"},
        f"{DOMAINS}, line 3 (domain https://googlemail.com/): domain 'https://googlemail.com/' is "
        "not a domain name. Fix: write the domain as in email addresses (no scheme, path or "
        "blanks), e.g. 'googlemail.com'.",
    ),
    (
        "email_domains",
        3,
        {"domain": "gmail.com"},
        f"{DOMAINS}, line 3 (domain gmail.com): duplicate domain 'gmail.com': already on line 2. "
        "Fix: remove this row; each domain is listed once.",
    ),
    (
        "email_domains",
        3,
        {"domain_kind": ""},
        f"{DOMAINS}, line 3 (domain googlemail.com): missing domain_kind. Fix: write free (a "
        "free email provider), disposable (a throw-away address) or competitor.",
    ),
    (
        "email_domains",
        3,
        {"domain_kind": "disposible"},
        f"{DOMAINS}, line 3 (domain googlemail.com): unknown domain_kind 'disposible'. Fix: did "
        "you mean 'disposable'? Otherwise use one of free, disposable, competitor.",
    ),
    (
        "placeholder_names",
        3,
        {"name": ""},
        f"{NAMES}, line 3: missing name. Fix: write the placeholder name in lower case, e.g. test.",
    ),
    (
        "placeholder_names",
        3,
        {"name": "Tester"},
        f"{NAMES}, line 3 (name Tester): name 'Tester' is not lower-case. Fix: write it in lower "
        "case: 'tester'.",
    ),
    (
        "placeholder_names",
        3,
        {"name": "test"},
        f"{NAMES}, line 3 (name test): duplicate name 'test': already on line 2. Fix: remove "
        "this row; each name is listed once.",
    ),
    # 16. cap groups
    (
        "explicit_rules",
        "fit_seniority_vp",
        {"cap_group": "fit"},
        f"{EXPLICIT}, line 3 (rule fit_seniority_vp): unknown cap group 'fit' for score model "
        "'default'. Fix: use one of the cap groups of score model default: email, web; or add "
        f"the row default,fit,40, to {CAPS} (a cap of 40 points).",
    ),
    (
        "explicit_rules",
        "sl_fit_title",
        {"cap_group": "email"},
        f"{EXPLICIT}, line 24 (rule sl_fit_title): unknown cap group 'email' for score model "
        "'semantic_layer'. Fix: use one of the cap groups of score model semantic_layer: web; or "
        f"add the row semantic_layer,email,40, to {CAPS} (a cap of 40 points).",
    ),
    (
        "implicit_rules",
        "eng_email_opened",
        {"cap_group": "emails"},
        f"{IMPLICIT}, line 2 (rule eng_email_opened): unknown cap group 'emails' for score model "
        "'default'. Fix: did you mean 'email'? Otherwise use one of the cap groups of score model "
        f"default: email, web; or add the row default,emails,40, to {CAPS} (a cap of 40 "
        "points).",
    ),
    (
        "repeat_rules",
        "neg_rep_careers_3_in_30d",
        {"cap_group": "web"},
        f"{REPEAT}, line 6 (rule neg_rep_careers_3_in_30d): cap_group 'web' on a negative rule "
        "(-15). Fix: empty cap_group: cap groups limit positive points only.",
    ),
    (
        "combination_rules",
        "combo_evaluation",
        {"points": "-5", "cap_group": "web"},
        f"{COMBOS}, line 3 (rule combo_evaluation): cap_group 'web' on a negative rule (-5). "
        "Fix: empty cap_group: cap groups limit positive points only.",
    ),
    (
        "point_caps",
        3,
        {"max_points": ""},
        f"{CAPS}, line 3 (cap group email): missing max_points. Fix: write the most points the "
        "group's rules give together, e.g. 40.",
    ),
    (
        "point_caps",
        3,
        {"max_points": "0"},
        f"{CAPS}, line 3 (cap group email): max_points 0 is not greater than 0. Fix: write the "
        "most points the group's rules give together, above 0, e.g. 20.",
    ),
    (
        "point_caps",
        3,
        {"max_points": "20 points"},
        f"{CAPS}, line 3 (cap group email): max_points '20 points' is not a number. Fix: write a "
        f"plain number such as 20 {NUMBER_FIX}",
    ),
    # 17. implicit rules: page categories, caps and decay
    (
        "implicit_rules",
        "eng_page_pricing",
        {"page_category": "prices"},
        f"{IMPLICIT}, line 9 (rule eng_page_pricing): unknown page category 'prices'. Fix: did "
        f"you mean 'pricing'? Otherwise use one of the page categories of {PAGES}: "
        f"{PAGE_CATEGORIES}; or add 'prices' with its page patterns to {PAGES}.",
    ),
    (
        "implicit_rules",
        "eng_page_pricing",
        {"max_points": "0"},
        f"{IMPLICIT}, line 9 (rule eng_page_pricing): max_points 0 is not greater than 0. Fix: "
        "write the most points the rule gives, above 0, e.g. 20, or leave it empty for no cap.",
    ),
    (
        "implicit_rules",
        "sl_eng_webinar",
        {"max_points": "20 points"},
        f"{IMPLICIT}, line 32 (rule sl_eng_webinar): max_points '20 points' is not a number. "
        f"Fix: write a plain number such as 20 {NUMBER_FIX}",
    ),
    (
        "implicit_rules",
        "eng_trial_started",
        {"half_life_days": "0"},
        f"{IMPLICIT}, line 16 (rule eng_trial_started): half_life_days 0 is not greater than 0. "
        "Fix: write a number of days greater than 0, e.g. 90, or leave it empty for the score "
        "model's decay.",
    ),
    (
        "implicit_rules",
        "eng_page_pricing",
        {"timeframe_days": "1 year"},
        f"{IMPLICIT}, line 9 (rule eng_page_pricing): timeframe_days '1 year' is not a number. "
        f"Fix: write a plain number such as 180 {NUMBER_FIX}",
    ),
    # 18. negative rules: inactivity, event limits
    (
        "negative_rules",
        "neg_student",
        {"applies_to": "inactive"},
        f"{NEGATIVE}, line 2 (rule neg_student): unknown applies_to 'inactive'. Fix: did you "
        "mean 'inactivity'? Otherwise use one of attribute, event, inactivity.",
    ),
    (
        "negative_rules",
        "neg_inactive",
        {"inactive_days": ""},
        f"{NEGATIVE}, line 12 (rule neg_inactive): missing inactive_days. Fix: write a number of "
        "days greater than 0, e.g. 90.",
    ),
    (
        "negative_rules",
        "neg_inactive",
        {"inactive_days": "0"},
        f"{NEGATIVE}, line 12 (rule neg_inactive): inactive_days 0 is not greater than 0. Fix: "
        "write a number of days greater than 0, e.g. 90.",
    ),
    (
        "negative_rules",
        "neg_inactive",
        {"event_type": "page_view"},
        f"{NEGATIVE}, line 12 (rule neg_inactive): applies_to is inactivity but event_type is "
        "filled. Fix: empty event_type (it is for applies_to event rules), or make it an event "
        "rule: applies_to event, with inactive_days empty.",
    ),
    (
        "negative_rules",
        "neg_inactive",
        {"attribute": "seniority", "event_type": "page_view"},
        f"{NEGATIVE}, line 12 (rule neg_inactive): applies_to is inactivity but attribute and "
        "event_type are filled. Fix: empty attribute and event_type: an inactivity rule fills "
        "inactive_days and leaves the columns of the other kinds empty.",
    ),
    (
        "negative_rules",
        "neg_student",
        {"inactive_days": "30"},
        f"{NEGATIVE}, line 2 (rule neg_student): applies_to is attribute but inactive_days is "
        "filled. Fix: empty inactive_days (it is for applies_to inactivity rules), or make it an "
        "inactivity rule: applies_to inactivity, with attribute, operator, value, min_value and "
        "max_value empty.",
    ),
    (
        "negative_rules",
        "neg_job_seeker",
        {"page_category": "career"},
        f"{NEGATIVE}, line 9 (rule neg_job_seeker): unknown page category 'career'. Fix: did you "
        f"mean 'careers'? Otherwise use one of the page categories of {PAGES}: "
        f"{PAGE_CATEGORIES}; or add 'career' with its page patterns to {PAGES}.",
    ),
    (
        "negative_rules",
        "neg_job_seeker",
        {"max_points": "-10"},
        f"{NEGATIVE}, line 9 (rule neg_job_seeker): max_points -10 is not greater than 0. Fix: "
        "write the most points the rule takes away as a positive number, e.g. 10, or leave it "
        "empty for no cap.",
    ),
    (
        "negative_rules",
        "neg_hard_bounce",
        {"half_life_days": "-1"},
        f"{NEGATIVE}, line 11 (rule neg_hard_bounce): half_life_days -1 is not greater than 0. "
        "Fix: write a number of days greater than 0, e.g. 90, or leave it empty for no decay.",
    ),
    # 19. repeat rules
    (
        "repeat_rules",
        "rep_pricing_3_in_30d",
        {"rule_id": "eng_page_pricing"},
        f"{REPEAT}, line 2 (rule eng_page_pricing): duplicate rule id 'eng_page_pricing': "
        f"already used in {IMPLICIT}, line 9. Fix: give each rule its own id, e.g. rename this "
        "one to 'eng_page_pricing_2'.",
    ),
    (
        "repeat_rules",
        "rep_pricing_3_in_30d",
        {"score_model": "defaults"},
        f"{REPEAT}, line 2 (rule rep_pricing_3_in_30d): unknown score model 'defaults'. Fix: did "
        f"you mean 'default'? Otherwise use one of {SCORE_MODEL_NAMES}, or add 'defaults' to "
        f"{MODELS}.",
    ),
    (
        "repeat_rules",
        "rep_pricing_3_in_30d",
        {"event_type": "page_views"},
        f"{REPEAT}, line 2 (rule rep_pricing_3_in_30d): unknown event type 'page_views'. Fix: did "
        f"you mean 'page_view'? Otherwise use one of the event types of {EVENTS}: "
        f"{EVENT_TYPES}; or add 'page_views' to {EVENTS}.",
    ),
    (
        "repeat_rules",
        "rep_pricing_3_in_30d",
        {"min_occurrences": ""},
        f"{REPEAT}, line 2 (rule rep_pricing_3_in_30d): missing min_occurrences. Fix: write a "
        "whole number of 2 or more, e.g. 3; one event at a time is counted by an implicit rule.",
    ),
    (
        "repeat_rules",
        "rep_pricing_3_in_30d",
        {"min_occurrences": "1"},
        f"{REPEAT}, line 2 (rule rep_pricing_3_in_30d): min_occurrences 1 is below 2. Fix: write "
        "a whole number of 2 or more, e.g. 3; one event at a time is counted by an implicit rule.",
    ),
    (
        "repeat_rules",
        "rep_pricing_3_in_30d",
        {"min_occurrences": "2.5"},
        f"{REPEAT}, line 2 (rule rep_pricing_3_in_30d): min_occurrences '2.5' is not a whole "
        "number. Fix: write a whole number of 2 or more, e.g. 3; one event at a time is counted "
        "by an implicit rule.",
    ),
    (
        "repeat_rules",
        "rep_pricing_3_in_30d",
        {"within_days": ""},
        f"{REPEAT}, line 2 (rule rep_pricing_3_in_30d): missing within_days. Fix: write a number "
        "of days greater than 0, e.g. 30.",
    ),
    (
        "repeat_rules",
        "rep_pricing_3_in_30d",
        {"count_mode": ""},
        f"{REPEAT}, line 2 (rule rep_pricing_3_in_30d): missing count_mode. Fix: write once "
        "(counted the first time only) or per_window (counted once per within_days window).",
    ),
    (
        "repeat_rules",
        "rep_pricing_3_in_30d",
        {"count_mode": "per-window"},
        f"{REPEAT}, line 2 (rule rep_pricing_3_in_30d): unknown count_mode 'per-window'. Fix: did "
        "you mean 'per_window'? Otherwise use one of once, per_window.",
    ),
    (
        "repeat_rules",
        "rep_pricing_3_in_30d",
        {"points": ""},
        f"{REPEAT}, line 2 (rule rep_pricing_3_in_30d): missing points. Fix: write the points the "
        "rule gives, e.g. 10 (below 0 for a negative rule).",
    ),
    (
        "repeat_rules",
        "rep_blog_5_in_7d",
        {"cap_group": "blog"},
        f"{REPEAT}, line 3 (rule rep_blog_5_in_7d): unknown cap group 'blog' for score model "
        "'default'. Fix: use one of the cap groups of score model default: email, web; or add "
        f"the row default,blog,40, to {CAPS} (a cap of 40 points).",
    ),
    (
        "repeat_rules",
        "neg_rep_careers_3_in_30d",
        {"max_points": "-5"},
        f"{REPEAT}, line 6 (rule neg_rep_careers_3_in_30d): max_points -5 is not greater than 0. "
        "Fix: write the most points the rule takes away as a positive number, e.g. 5, or leave "
        "it empty for no cap.",
    ),
    (
        "repeat_rules",
        "neg_rep_careers_3_in_30d",
        {"timeframe_days": "0"},
        f"{REPEAT}, line 6 (rule neg_rep_careers_3_in_30d): timeframe_days 0 is not greater than "
        "0. Fix: write a number of days greater than 0, e.g. 180, or leave it empty for all time.",
    ),
    # 20. combination rules and their steps
    (
        "combination_rules",
        "combo_evaluation",
        {"within_days": ""},
        f"{COMBOS}, line 3 (rule combo_evaluation): missing within_days. Fix: write a number of "
        "days greater than 0, e.g. 30.",
    ),
    (
        "combination_rules",
        "combo_evaluation",
        {"within_days": "two weeks"},
        f"{COMBOS}, line 3 (rule combo_evaluation): within_days 'two weeks' is not a number. "
        f"Fix: write a plain number such as 30 {NUMBER_FIX}",
    ),
    (
        "combination_rules",
        "combo_evaluation",
        {"anchor": ""},
        f"{COMBOS}, line 3 (rule combo_evaluation): missing anchor. Fix: write any (the steps "
        "within within_days of each other, at any time) or contact_created (within within_days "
        "of the contact's creation).",
    ),
    (
        "combination_rules",
        "combo_evaluation",
        {"anchor": "created"},
        f"{COMBOS}, line 3 (rule combo_evaluation): unknown anchor 'created'. Fix: did you mean "
        "'contact_created'? Otherwise use one of any, contact_created.",
    ),
    (
        "combination_rules",
        "combo_evaluation",
        {"points": "ten"},
        f"{COMBOS}, line 3 (rule combo_evaluation): points 'ten' is not a number. Fix: write a "
        f"plain number such as 10 {NUMBER_FIX}",
    ),
    (
        "combination_rules",
        "combo_evaluation",
        {"cap_group": "webb"},
        f"{COMBOS}, line 3 (rule combo_evaluation): unknown cap group 'webb' for score model "
        "'default'. Fix: did you mean 'web'? Otherwise use one of the cap groups of score model "
        f"default: email, web; or add the row default,webb,40, to {CAPS} (a cap of 40 points).",
    ),
    (
        "combination_rules",
        "combo_evaluation",
        {"half_life_days": "0"},
        f"{COMBOS}, line 3 (rule combo_evaluation): half_life_days 0 is not greater than 0. Fix: "
        "write a number of days greater than 0, e.g. 90, or leave it empty for the score "
        "model's decay.",
    ),
    (
        "combination_rules",
        "combo_evaluation",
        {"rule_id": "rep_blog_5_in_7d"},
        [
            f"{COMBOS}, line 3 (rule rep_blog_5_in_7d): duplicate rule id 'rep_blog_5_in_7d': "
            f"already used in {REPEAT}, line 3. Fix: give each rule its own id, e.g. rename this "
            "one to 'rep_blog_5_in_7d_2'.",
            f"{COMBOS}, line 3 (rule rep_blog_5_in_7d): combination rule 'rep_blog_5_in_7d' has "
            f"no steps in {STEPS}. Fix: add one row per step to {STEPS}, at least 2, e.g. "
            "rep_blog_5_in_7d,step_1,page_view,,pricing.",
            *(
                f"{STEPS}, line {line} (rule combo_evaluation, step {step}): unknown combination "
                f"rule 'combo_evaluation'. Fix: use one of the rules of {COMBOS}: "
                "combo_first_three_days, emea_combo_webinar_pricing, rep_blog_5_in_7d; or add the "
                f"rule 'combo_evaluation' to {COMBOS}."
                for line, step in ((5, "pricing"), (6, "demo"), (7, "case_study"))
            ),
        ],
    ),
    (
        "combination_rule_steps",
        9,
        {"rule_id": "emea_combo_webinar_price"},
        [
            f"{COMBOS}, line 4 (rule emea_combo_webinar_pricing): combination rule "
            f"'emea_combo_webinar_pricing' has only 1 step in {STEPS}. Fix: add one row per step "
            f"to {STEPS}, at least 2, e.g. emea_combo_webinar_pricing,step_2,page_view,,pricing.",
            f"{STEPS}, line 9 (rule emea_combo_webinar_price, step pricing): unknown combination "
            "rule 'emea_combo_webinar_price'. Fix: did you mean 'emea_combo_webinar_pricing'? "
            f"Otherwise use one of the rules of {COMBOS}: combo_evaluation, "
            "combo_first_three_days, emea_combo_webinar_pricing; or add the rule "
            f"'emea_combo_webinar_price' to {COMBOS}.",
        ],
    ),
    (
        "combination_rule_steps",
        5,
        {"rule_id": "eng_page_pricing"},
        f"{STEPS}, line 5 (rule eng_page_pricing, step pricing): rule 'eng_page_pricing' is not "
        f"a combination rule: it is in {IMPLICIT}, line 9. Fix: steps belong to the rules of "
        f"{COMBOS}: add the combination rule there under its own id and use that id here.",
    ),
    (
        "combination_rule_steps",
        3,
        {"rule_id": ""},
        f"{STEPS}, line 3 (step webinar): missing rule_id. Fix: name the rule of {COMBOS} this "
        "step belongs to.",
    ),
    (
        "combination_rule_steps",
        3,
        {"step": ""},
        f"{STEPS}, line 3 (rule combo_first_three_days): missing step. Fix: name the step, e.g. "
        "pricing.",
    ),
    (
        "combination_rule_steps",
        3,
        {"step": "product_page"},
        f"{STEPS}, line 3 (rule combo_first_three_days, step product_page): duplicate step "
        "'product_page' in rule 'combo_first_three_days': already on line 2. Fix: give each "
        "step of a rule its own name, or remove this row.",
    ),
    (
        "combination_rule_steps",
        3,
        {"step": "Web Inar"},
        f"{STEPS}, line 3 (rule combo_first_three_days, step Web Inar): step 'Web Inar' is not a "
        "lower-case identifier. Fix: use lower-case letters, digits and _, starting with a "
        "letter, e.g. 'web_inar'.",
    ),
    (
        "combination_rule_steps",
        3,
        {"event_type": ""},
        f"{STEPS}, line 3 (rule combo_first_three_days, step webinar): missing event_type. Fix: "
        f"name one of the event types of {EVENTS}: {EVENT_TYPES}.",
    ),
    (
        "combination_rule_steps",
        5,
        {"page_category": "price"},
        f"{STEPS}, line 5 (rule combo_evaluation, step pricing): unknown page category 'price'. "
        f"Fix: did you mean 'pricing'? Otherwise use one of the page categories of {PAGES}: "
        f"{PAGE_CATEGORIES}; or add 'price' with its page patterns to {PAGES}.",
    ),
    (
        "combination_rule_steps",
        5,
        {"page_pattern": "https://example.com/pricing"},
        f"{STEPS}, line 5 (rule combo_evaluation, step pricing): page_pattern "
        "'https://example.com/pricing' is a URL, not a page path. Fix: drop the scheme, host "
        "and query and write the path, e.g. '/pricing'.",
    ),
    # 21. fit grades and engagement levels
    (
        "fit_grades",
        3,
        {"grade": ""},
        f"{GRADES}, line 3: missing grade. Fix: name the grade, e.g. B.",
    ),
    (
        "fit_grades",
        4,
        {"grade": "C"},
        f"{GRADES}, line 4 (grade C): duplicate grade 'C' in score model 'default': already on "
        "line 3. Fix: give each grade of a score model its own name.",
    ),
    (
        "fit_grades",
        4,
        {"min_points": "15"},
        f"{GRADES}, line 4 (grade B): grade 'B' has the same min_points 15 as grade 'C' on line "
        "3. Fix: give each grade of a score model its own min_points.",
    ),
    (
        "fit_grades",
        5,
        {"min_points": "forty"},
        f"{GRADES}, line 5 (grade A): min_points 'forty' is not a number. Fix: write a plain "
        f"number such as 30 {NUMBER_FIX}",
    ),
    (
        "fit_grades",
        6,
        {"score_model": "emae"},
        [
            f"{GRADES}, line 6 (grade D): unknown score model 'emae'. Fix: did you mean 'emea'? "
            f"Otherwise use one of {SCORE_MODEL_NAMES}, or add 'emae' to {MODELS}.",
            differs(GRADES, 7, "grade", "min_points", "emea", "C, B, A", "default", "D, C, B, A"),
        ],
    ),
    (
        "engagement_levels",
        5,
        {"min_points": ""},
        f"{LEVELS}, line 5 (level 1): missing min_points. Fix: write the lowest engagement "
        "points in the level, e.g. 35.",
    ),
    (
        "engagement_levels",
        4,
        {"min_points": "10"},
        [
            differs(
                LEVELS, 2, "level", "min_points", "default", "4, 2, 3, 1", "emea", "4, 3, 2, 1"
            ),
            f"{LEVELS}, line 4 (level 2): levels not in ascending order: min_points 10 comes after "
            "level '3' with min_points 15 (line 3) in score model 'default'. Fix: list the levels "
            "of a score model from the lowest min_points to the highest.",
        ],
    ),
    # 22. the same bands, grades and levels in every score model
    (
        "score_bands",
        11,
        {"band": "mql"},
        differs(
            BANDS,
            7,
            "band",
            "min_score",
            "emea",
            "cold, warm, hot, MQL, mql",
            "default",
            "cold, warm, hot, MQL, SQL",
        ),
    ),
    (
        "fit_grades",
        13,
        {"grade": "A+"},
        differs(
            GRADES,
            10,
            "grade",
            "min_points",
            "semantic_layer",
            "D, C, B, A+",
            "default",
            "D, C, B, A",
        ),
    ),
    (
        "engagement_levels",
        5,
        {"level": "5"},
        # The odd one out is reported, even when it is the first score model.
        differs(LEVELS, 2, "level", "min_points", "default", "4, 3, 2, 5", "emea", "4, 3, 2, 1"),
    ),
]


@pytest.mark.parametrize(
    ("name", "row", "cells", "expected"),
    CASES,
    ids=[f"{n}-{case[0].split('_')[0]}-{'-'.join(case[2])}" for n, case in enumerate(CASES, 1)],
)
def test_one_broken_cell(
    project: Path, name: str, row: str | int, cells: dict[str, str], expected: str | list[str]
) -> None:
    edit(project, name, row, **cells)
    assert messages(project) == ([expected] if isinstance(expected, str) else expected)


def test_a_row_can_have_several_problems(project: Path) -> None:
    edit(project, "negative_rules", "neg_job_seeker", applies_to="attribute")
    assert messages(project) == [
        f"{NEGATIVE}, line 9 (rule neg_job_seeker): applies_to is attribute but event_type, "
        "page_category, max_occurrences and max_points are filled. Fix: empty event_type, "
        "page_category, max_occurrences and max_points (they are for applies_to event rules), "
        "or make it an event rule: "
        "applies_to event, with attribute, operator, value, min_value and max_value empty.",
        f"{NEGATIVE}, line 9 (rule neg_job_seeker): missing attribute. Fix: name the contact or "
        f"account attribute tested, one of: {ATTRIBUTES}.",
        f"{NEGATIVE}, line 9 (rule neg_job_seeker): missing operator. Fix: use one of {OPERATORS}.",
    ]


def test_every_problem_is_reported_in_file_and_line_order(project: Path) -> None:
    edit(project, "score_bands", 2, band="")
    edit(project, "combination_rules", "combo_evaluation", anchor="")
    edit(project, "implicit_rules", "eng_phone_call", max_occurrences="0")
    edit(project, "explicit_rules", "fit_domain_corporate", points="")
    edit(project, "explicit_rules", "fit_seniority_vp", attribute="senority")
    edit(project, "score_models", "emea", description="")
    problems, _ = validate_point_tables(project)
    assert [(p.file, p.line, p.subject) for p in problems] == [
        (MODELS, 3, "score model emea"),
        (EXPLICIT, 3, "rule fit_seniority_vp"),
        (EXPLICIT, 16, "rule fit_domain_corporate"),
        (IMPLICIT, 19, "rule eng_phone_call"),
        (COMBOS, 3, "rule combo_evaluation"),
        (BANDS, 2, None),
    ]


def test_rule_ids_are_unique_across_the_five_rule_files(project: Path) -> None:
    edit(project, "negative_rules", "neg_student", rule_id="eng_email_opened")
    edit(project, "repeat_rules", "rep_blog_5_in_7d", rule_id="fit_seniority_vp")
    edit(project, "combination_rules", "emea_combo_webinar_pricing", rule_id="neg_inactive")
    edit(project, "combination_rule_steps", 8, rule_id="neg_inactive")
    edit(project, "combination_rule_steps", 9, rule_id="neg_inactive")
    assert messages(project) == [
        f"{NEGATIVE}, line 2 (rule eng_email_opened): duplicate rule id 'eng_email_opened': "
        f"already used in {IMPLICIT}, line 2. Fix: give each rule its own id, e.g. rename this "
        "one to 'eng_email_opened_2'.",
        f"{REPEAT}, line 3 (rule fit_seniority_vp): duplicate rule id 'fit_seniority_vp': "
        f"already used in {EXPLICIT}, line 3. Fix: give each rule its own id, e.g. rename this "
        "one to 'fit_seniority_vp_2'.",
        f"{COMBOS}, line 4 (rule neg_inactive): duplicate rule id 'neg_inactive': already used "
        f"in {NEGATIVE}, line 12. Fix: give each rule its own id, e.g. rename this one to "
        "'neg_inactive_2'.",
    ]


def test_a_combination_rule_needs_two_steps(project: Path) -> None:
    lines = read_lines(project, "combination_rule_steps")
    write_lines(project, "combination_rule_steps", lines[:7])  # emea's two steps are gone
    assert messages(project) == [
        f"{COMBOS}, line 4 (rule emea_combo_webinar_pricing): combination rule "
        f"'emea_combo_webinar_pricing' has no steps in {STEPS}. Fix: add one row per step to "
        f"{STEPS}, at least 2, e.g. emea_combo_webinar_pricing,step_1,page_view,,pricing."
    ]


def test_negative_rules_have_no_cap_group(project: Path) -> None:
    """A cap_group column is not one of the negative rules' columns: the header says so."""
    rows = read_rows(project, "negative_rules")
    rows = [[*row, "web" if row[0] == "neg_job_seeker" else ""] for row in rows]
    rows[0][-1] = "cap_group"
    write_rows(project, "negative_rules", rows)
    file = seed_file("negative_rules")
    assert messages(project) == [
        f"{NEGATIVE}, line 1: the header cell 'cap_group' (column 19) is not a column of "
        f"{file}. Fix: remove the column: its header cell and the cell at position 19 "
        f"of every row. {file} has the columns {NEGATIVE_HEADER}."
    ]


def test_a_cap_group_is_listed_once_per_score_model(project: Path) -> None:
    line = len(read_lines(project, "point_caps")) + 1
    append(project, "point_caps", "default,web,50,Again", "emea,email,20,Another model")
    assert messages(project) == [
        f"{CAPS}, line {line} (cap group web): duplicate cap group 'web' in score model 'default': "
        "already on line 2. Fix: keep one row per cap group and score model."
    ]


def test_a_cap_group_without_a_score_model(project: Path) -> None:
    line = len(read_lines(project, "point_caps")) + 1
    append(project, "point_caps", ",social,10,Social", "partner,social,10,Social")
    assert messages(project) == [
        f"{CAPS}, line {line} (cap group social): missing score_model. Fix: name one of the "
        f"score models of {MODELS}: {SCORE_MODEL_NAMES}.",
        f"{CAPS}, line {line + 1} (cap group social): unknown score model 'partner'. Fix: use "
        f"one of {SCORE_MODEL_NAMES}, or add 'partner' to {MODELS}.",
    ]


# --- values that are fine ---------------------------------------------------


def test_quotes_and_sql_in_a_value_are_plain_data(project: Path) -> None:
    edit(project, "explicit_rules", "fit_seniority_vp", value="'); drop table x; --")
    edit(project, "explicit_rules", "fit_title_analytics", value='O"Brien, "the" analyst')
    edit(project, "negative_rules", "neg_student", value="%_\\ it's")
    edit(project, "placeholder_names", 2, name="o'brien; drop table x")
    assert messages(project) == []


def test_cells_are_trimmed_and_decimals_allowed(project: Path) -> None:
    edit(project, "explicit_rules", "fit_seniority_vp", operator=" equals ", points=" 2.5 ")
    edit(project, "explicit_rules", "fit_seniority_executive", value="c-level | owner")
    edit(project, "negative_rules", "neg_student", points="-2.5", applies_to=" attribute")
    edit(project, "implicit_rules", "eng_page_blog", page_pattern="*/blog/* ")
    edit(project, "score_models", "default", half_life_days="45.5", min_total="-10.5")
    edit(project, "negative_rules", "neg_inactive", inactive_days=" 0.5")
    edit(project, "repeat_rules", "rep_blog_5_in_7d", within_days="3.5", points="2.5")
    edit(project, "event_types", 2, is_engagement=" true ")
    assert messages(project) == []


def test_a_page_condition_is_allowed_on_any_event_type(project: Path) -> None:
    edit(project, "implicit_rules", "eng_email_clicked", page_pattern="/newsletter/*")
    edit(project, "implicit_rules", "eng_form_submitted", page_category="demo")
    edit(project, "repeat_rules", "rep_emails_opened_4_in_30d", page_category="blog")
    edit(project, "combination_rule_steps", 3, page_pattern="/webinars/*")
    assert messages(project) == []


def test_negative_points_are_allowed_in_repeat_and_combination_rules(project: Path) -> None:
    edit(project, "combination_rules", "combo_evaluation", points="-5", cap_group="")
    edit(project, "repeat_rules", "neg_rep_careers_3_in_30d", half_life_days="30")
    assert messages(project) == []


def test_extra_contact_attributes_come_from_the_vars(project: Path) -> None:
    config = project / "dbt_project.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "lead_scoring__extra_contact_attributes: {}",
            "lead_scoring__extra_contact_attributes:\n"
            "    nps: number\n"
            "    Plan Tier: text\n"
            "    lifecycle_stage: string",
        ),
        encoding="utf-8",
    )
    line = config.read_text(encoding="utf-8").splitlines().index("    Plan Tier: text") + 1
    edit(project, "explicit_rules", "fit_company_small", attribute="nps")
    edit(project, "explicit_rules", "fit_seniority_vp", attribute="lifecycle_stage")
    edit(project, "score_model_segments", "emea", attribute="lifecycle_stage")
    assert messages(project) == [
        f"dbt_project.yml, line {line}: var lead_scoring__extra_contact_attributes names the "
        "attribute 'Plan Tier'. Fix: attribute names are lower-case column names (letters, "
        "digits and _, starting with a letter), e.g. 'plan_tier'.",
        f"dbt_project.yml, line {line + 1}: var lead_scoring__extra_contact_attributes gives the "
        "attribute 'lifecycle_stage' the kind 'string'. Fix: use text, number, boolean or date.",
    ]


def test_seeds_are_found_in_the_seed_paths(project: Path) -> None:
    config = project / "dbt_project.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('seed-paths: ["seeds"]', 'seed-paths: ["data"]'))
    (project / "data").mkdir()
    shutil.move(project / "seeds", project / "data" / "scoring")
    assert messages(project) == []
    path = project / "data" / "scoring" / seed_file("score_bands")
    path.write_text(path.read_text(encoding="utf-8").replace("hot,40", "hot,", 1))
    assert messages(project) == [
        f"data/scoring/{seed_file('score_bands')}, line 4 (band hot): missing min_score. Fix: "
        "write the "
        "lowest total score in the band, e.g. 20."
    ]


# --- line numbers -------------------------------------------------------------


def test_quoted_line_breaks_do_not_shift_line_numbers(project: Path) -> None:
    edit(
        project,
        "explicit_rules",
        "fit_seniority_executive",
        description="Top\ndecision\nmakers",
    )
    edit(project, "explicit_rules", "fit_seniority_vp", description="Vice\npresidents")
    edit(project, "explicit_rules", "fit_seniority_vp", operator="equal")
    edit(project, "explicit_rules", "fit_seniority_director", operator="equal")
    assert [p.line for p in validate_point_tables(project)[0]] == [5, 7]


def test_blank_lines_are_skipped_and_rows_of_commas_reported(project: Path) -> None:
    lines = read_lines(project, "explicit_rules")
    lines.insert(3, "")  # line 4: a blank line, skipped
    lines.insert(5, ",,,,,,,,,")  # line 6, after the director row: a row of empty cells
    write_lines(project, "explicit_rules", lines)
    edit(project, "explicit_rules", "fit_seniority_manager", points="x")
    assert messages(project) == [
        f"{EXPLICIT}, line 6: empty row. Fix: delete the line (spreadsheets sometimes save "
        "empty rows as a line of commas).",
        f"{EXPLICIT}, line 7 (rule fit_seniority_manager): points 'x' is not a number. Fix: "
        f"write a plain number such as 10 {NUMBER_FIX}",
    ]


# --- files that cannot be checked -------------------------------------------


def test_missing_file(project: Path) -> None:
    (project / "seeds" / seed_file("score_bands")).unlink()
    assert messages(project) == [
        f"{BANDS}: file not found. Fix: create {BANDS} with the header line "
        "score_model,band,min_score,description and one row per line."
    ]


@pytest.mark.parametrize(
    ("name", "header"),
    [
        (
            "score_model_segments",
            "score_model,condition_id,applies_to,attribute,operator,"
            "value,min_value,max_value,event_type,page_category,min_occurrences,within_days,"
            "description",
        ),
        ("page_categories", "page_category,page_pattern,description"),
        ("email_domains", "domain,domain_kind,description"),
        ("placeholder_names", "name,description"),
        (
            "repeat_rules",
            "rule_id,score_model,event_type,page_pattern,page_category,"
            "min_occurrences,within_days,count_mode,points,max_occurrences,max_points,cap_group,"
            "half_life_days,timeframe_days,description",
        ),
        (
            "combination_rules",
            "rule_id,score_model,within_days,anchor,points,cap_group,"
            "half_life_days,timeframe_days,description",
        ),
        ("combination_rule_steps", "rule_id,step,event_type,page_pattern,page_category"),
        ("point_caps", "score_model,cap_group,max_points,description"),
        ("fit_grades", "score_model,grade,min_points,description"),
        ("engagement_levels", "score_model,level,min_points,description"),
    ],
)
def test_every_new_seed_must_be_there(project: Path, name: str, header: str) -> None:
    (project / "seeds" / seed_file(name)).unlink()
    path = f"seeds/{seed_file(name)}"
    assert messages(project) == [
        f"{path}: file not found. Fix: create {path} with the header line {header} "
        "and one row per line."
    ]


def test_header_without_a_column(project: Path) -> None:
    lines = read_lines(project, "implicit_rules")
    lines[0] = lines[0].removesuffix(",description")
    write_lines(project, "implicit_rules", lines)
    assert messages(project) == [
        f"{IMPLICIT}, line 1: the header lacks the column 'description'. Fix: make the header "
        f"read: {IMPLICIT_HEADER}."
    ]


def test_header_with_a_misspelt_and_a_repeated_column(project: Path) -> None:
    rows = read_rows(project, "negative_rules")
    rows[0][rows[0].index("points")] = "point"
    rows[0][rows[0].index("value")] = "values"
    write_rows(project, "negative_rules", rows)
    file = seed_file("negative_rules")
    misspelt = [
        f"{NEGATIVE}, line 1: the header lacks the columns 'value' and 'points'. Fix: make the "
        f"header read: {NEGATIVE_HEADER}.",
        f"{NEGATIVE}, line 1: the header cell 'values' (column 6) is not a column of "
        f"{file}. Fix: if it is the column 'value', write it 'value' (column names "
        "are lower-case and matched exactly); otherwise remove the column: its header cell and "
        f"the cell at position 6 of every row. {file} has the columns "
        f"{NEGATIVE_HEADER}.",
        f"{NEGATIVE}, line 1: the header cell 'point' (column 12) is not a column of "
        f"{file}. Fix: if it is the column 'points', write it 'points' (column names "
        "are lower-case and matched exactly); otherwise remove the column: its header cell and "
        f"the cell at position 12 of every row. {file} has the columns "
        f"{NEGATIVE_HEADER}.",
    ]
    assert messages(project) == misspelt
    lines = read_lines(project, "score_models")
    lines[0] += ",description"
    write_lines(project, "score_models", lines)
    assert messages(project) == [
        f"{MODELS}, line 1: the header repeats the column 'description'. Fix: keep one column "
        f"of each name: make the header read {MODELS_HEADER}.",
        *misspelt,
    ]


def test_empty_file(project: Path) -> None:
    (project / "seeds" / seed_file("negative_rules")).write_text("", encoding="utf-8")
    assert messages(project) == [
        f"{NEGATIVE}, line 1: the file is empty: it has no header line. Fix: make line 1 read: "
        f"{NEGATIVE_HEADER}."
    ]


def test_unclosed_quote(project: Path) -> None:
    lines = read_lines(project, "score_bands")
    lines[-1] += ',"oops'
    write_lines(project, "score_bands", lines)
    assert messages(project) == [
        f"{BANDS}, line {len(lines)}: a quoted cell opened in this row is never closed. Fix: "
        f"{CSV_FIX}."
    ]


def test_text_after_a_closing_quote(project: Path) -> None:
    lines = read_lines(project, "implicit_rules")
    lines[3] += ',"x"y'
    write_lines(project, "implicit_rules", lines)
    assert messages(project) == [
        f"{IMPLICIT}, line 4: the row cannot be read as CSV (',' expected after '\"'). "
        f"Fix: {CSV_FIX}."
    ]


def test_rows_with_too_many_or_too_few_cells(project: Path) -> None:
    lines = read_lines(project, "explicit_rules")
    lines[3] = lines[3].replace("Directors", "Directors, heads of")  # an unquoted comma
    lines[4] = "fit_x,default,seniority"
    write_lines(project, "explicit_rules", lines)
    assert messages(project) == [
        f"{EXPLICIT}, line 4 (rule fit_seniority_director): the row has 11 cells but the header "
        f"has 10 columns. Fix: {CSV_FIX}, or remove the extra commas.",
        f"{EXPLICIT}, line 5 (rule fit_x): the row has 3 cells but the header has 10 columns. "
        "Fix: add the missing cells (an empty cell is just a comma) so the row has 10 cells.",
    ]


def test_file_not_in_utf8(project: Path) -> None:
    path = project / "seeds" / seed_file("negative_rules")
    path.write_bytes(path.read_bytes().replace(b"Competitors'", b"Comp\xe9titors'"))
    assert messages(project) == [
        f"{NEGATIVE}, line 3: the file is not UTF-8 text (byte 0xe9 cannot be decoded). Fix: "
        "save the file as UTF-8 (in a spreadsheet: CSV UTF-8)."
    ]


def test_utf8_bom_is_accepted(project: Path) -> None:
    path = project / "seeds" / seed_file("score_models")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert messages(project) == []


# --- score models ---------------------------------------------------------------


def test_score_model_names_and_thresholds(project: Path) -> None:
    append(project, "score_models", "Partner Model,Partners,,,,", "default,Again,,,,")
    assert messages(project) == [
        f"{MODELS}, line 5 (score model Partner Model): score model 'Partner Model' is not a "
        "lower-case identifier. Fix: use lower-case letters, digits and _, starting with a "
        "letter, e.g. 'partner_model'.",
        f"{MODELS}, line 5 (score model Partner Model): score model 'Partner Model' has no "
        f"bands in {BANDS}. Fix: add its bands to {BANDS}, at least one, e.g. the row "
        "Partner Model,cold,0,.",
        f"{MODELS}, line 5 (score model Partner Model): score model 'Partner Model' has no "
        f"grades in {GRADES}. Fix: add its grades to {GRADES}, at least one, e.g. the row "
        "Partner Model,D,0,.",
        f"{MODELS}, line 5 (score model Partner Model): score model 'Partner Model' has no "
        f"levels in {LEVELS}. Fix: add its levels to {LEVELS}, at least one, e.g. the row "
        "Partner Model,4,0,.",
        f"{MODELS}, line 6 (score model default): duplicate score model 'default': already on "
        "line 2. Fix: remove this row or give the score model another name.",
    ]


def test_a_score_model_needs_grades_and_levels_too(project: Path) -> None:
    append(project, "score_models", "partner,Partners,,,,")
    rows = read_rows(project, "score_bands")
    write_rows(project, "score_bands", rows + [["partner", *r[1:]] for r in rows[1:6]])
    assert messages(project) == [
        f"{MODELS}, line 5 (score model partner): score model 'partner' has no grades in "
        f"{GRADES}. Fix: add its grades to {GRADES}, at least one, e.g. the row partner,D,0,.",
        f"{MODELS}, line 5 (score model partner): score model 'partner' has no levels in "
        f"{LEVELS}. Fix: add its levels to {LEVELS}, at least one, e.g. the row partner,4,0,.",
    ]


def test_score_model_names_have_at_most_40_characters(project: Path) -> None:
    long_name, longest = "partner_" + "x" * 33, "partner_" + "x" * 32
    append(project, "score_models", f"{long_name},Too long,,,,", f"{longest},Fine,,,,")
    copy_thresholds(project, "default", long_name)
    copy_thresholds(project, "default", longest)
    assert messages(project) == [
        f"{MODELS}, line 5 (score model {long_name}): score model '{long_name}' is 41 "
        "characters long, more than 40. Fix: shorten it to 40 characters at most (score model "
        "names become column names of lead_scoring__scores_wide), e.g. "
        f"'{long_name[:40]}'.",
    ]


def test_score_models_may_differ_in_minimums_but_not_in_names(project: Path) -> None:
    copy_thresholds(project, "default", "partner")
    append(project, "score_models", "partner,Partners,0,,,")
    edit(project, "score_bands", 17, min_score="-10")
    assert messages(project) == []
    edit(project, "score_bands", 21, band="Sales qualified")
    assert messages(project) == [
        differs(
            BANDS,
            17,
            "band",
            "min_score",
            "partner",
            "cold, warm, hot, MQL, Sales qualified",
            "default",
            "cold, warm, hot, MQL, SQL",
        )
    ]


def test_a_short_score_model_row_is_reported_once(project: Path) -> None:
    append(project, "score_models", "partner")
    copy_thresholds(project, "default", "partner")
    edit(project, "explicit_rules", "fit_seniority_vp", score_model="partner")
    assert messages(project) == [
        f"{MODELS}, line 5 (score model partner): the row has 1 cell but the header has 6 "
        "columns. Fix: add the missing cells (an empty cell is just a comma) so the row has 6 "
        "cells."
    ]


def test_no_score_models(project: Path) -> None:
    (project / "seeds" / seed_file("score_models")).write_text(MODELS_HEADER + "\n")
    assert messages(project) == [
        f"{MODELS}, line 1: no score models. Fix: add at least one row under the header, e.g. "
        "default,The lead score,0,,,."
    ]


def test_cap_group_must_be_a_lower_case_identifier(project: Path) -> None:
    """A cap group written otherwise is reported, and the rules naming 'email' lose it."""
    edit(project, "point_caps", 3, cap_group="Web Activity")
    unknown = [
        (IMPLICIT, 2, "eng_email_opened"),
        (IMPLICIT, 3, "eng_email_clicked"),
        (IMPLICIT, 4, "eng_email_forwarded"),
        (IMPLICIT, 5, "eng_email_replied"),
        (REPEAT, 4, "rep_emails_opened_4_in_30d"),
    ]
    assert messages(project) == [
        *(
            f"{file}, line {line} (rule {rule}): unknown cap group 'email' for score model "
            "'default'. Fix: use one of the cap groups of score model default: web; or add the "
            f"row default,email,40, to {CAPS} (a cap of 40 points)."
            for file, line, rule in unknown
        ),
        f"{CAPS}, line 3 (cap group Web Activity): cap group 'Web Activity' is not "
        "a lower-case identifier. Fix: write it as 'web_activity' (lower-case letters, digits "
        "and _, starting with a letter), here and in the rules that name it.",
    ]


# --- header cells are column names ------------------------------------------------


def test_every_header_cell_must_be_a_column_of_the_file(project: Path) -> None:
    """The header becomes the seed's column names: no other cell, no blanks, no capitals."""
    header = "z varchar); drop table x; create table injected_by_header (v"
    rows = read_rows(project, "explicit_rules")
    write_rows(project, "explicit_rules", [[*rows[0], header], *([*r, ""] for r in rows[1:])])
    lines = read_lines(project, "score_bands")
    lines[0] = lines[0].replace("min_score", " min_score") + ","
    write_lines(project, "score_bands", [lines[0], *(line + "," for line in lines[1:])])
    lines = read_lines(project, "point_caps")
    write_lines(project, "point_caps", [lines[0].replace("max_points", "Max_Points"), *lines[1:]])
    assert messages(project) == [
        f"{EXPLICIT}, line 1: the header cell '{header}' (column 11) is not a column of "
        f"{seed_file('explicit_rules')}. Fix: remove the column: its header cell and the cell at "
        f"position 11 of every row. {seed_file('explicit_rules')} has the columns rule_id,"
        "score_model,attribute,operator,value,min_value,max_value,points,cap_group,description.",
        f"{CAPS}, line 1: the header lacks the column 'max_points'. Fix: make the header read: "
        "score_model,cap_group,max_points,description.",
        f"{CAPS}, line 1: the header cell 'Max_Points' (column 3) is not a column of "
        f"{seed_file('point_caps')}. Fix: if it is the column 'max_points', write it "
        "'max_points' (column names are lower-case and matched exactly); otherwise remove the "
        "column: its header cell and the cell at position 3 of every row. "
        f"{seed_file('point_caps')} has the columns score_model,cap_group,max_points,description.",
        f"{BANDS}, line 1: the header cell ' min_score' (column 3) has blanks around the column "
        "name. Fix: write it 'min_score', without blanks: column names are matched exactly.",
        f"{BANDS}, line 1: the header cell at position 5 is empty. Fix: remove the column: its "
        f"header cell and the cell at position 5 of every row. {seed_file('score_bands')} has "
        "the columns "
        "score_model,band,min_score,description (a comma at the end of line 1 makes an empty "
        "column).",
    ]


# --- vars: the project's, and --vars -------------------------------------------------


def set_extra_attributes(project: Path, yaml_text: str) -> None:
    """Declare the extra contact attributes in the project's dbt_project.yml."""
    config = project / "dbt_project.yml"
    text = config.read_text(encoding="utf-8")
    assert "lead_scoring__extra_contact_attributes: {}" in text
    config.write_text(
        text.replace("lead_scoring__extra_contact_attributes: {}", yaml_text), encoding="utf-8"
    )


def test_attributes_declared_with_vars_on_the_command_line(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(project, "explicit_rules", "fit_company_small", attribute="nps")
    edit(project, "explicit_rules", "fit_seniority_vp", attribute="plan")
    assert messages(project) == [
        f"{EXPLICIT}, line 3 (rule fit_seniority_vp): unknown attribute 'plan'. Fix: use one of "
        f"the known attributes: {ATTRIBUTES}; or {DECLARE}",
        f"{EXPLICIT}, line 9 (rule fit_company_small): unknown attribute 'nps'. Fix: use one of "
        f"the known attributes: {ATTRIBUTES}; or {DECLARE}",
    ]
    cli_vars = (
        '{lead_scoring__extra_contact_attributes: {nps: number, plan: {kind: text, column: "Plan '
        'Tier"}}}'
    )
    assert [str(p) for p in validate_point_tables(project, cli_vars)[0]] == []
    assert main(["validate", "--project-dir", str(project), "--vars", cli_vars]) == 0
    assert capsys.readouterr().out.startswith("Point tables OK: ")
    # As in dbt, a var given with --vars replaces the project's: plan is not declared there.
    set_extra_attributes(project, "lead_scoring__extra_contact_attributes: {plan: text}")
    assert messages(project) == [
        f"{EXPLICIT}, line 9 (rule fit_company_small): unknown attribute 'nps'. Fix: use one of "
        f"the known attributes: {', '.join(sorted([*ATTRIBUTES.split(', '), 'plan']))}; or "
        f"{DECLARE}"
    ]
    only_nps = "{lead_scoring__extra_contact_attributes: {nps: number}}"
    assert [str(p) for p in validate_point_tables(project, only_nps)[0]] == [
        f"{EXPLICIT}, line 3 (rule fit_seniority_vp): unknown attribute 'plan'. Fix: use one of "
        f"the known attributes: {', '.join(sorted([*ATTRIBUTES.split(', '), 'nps']))}; or "
        f"{DECLARE}"
    ]


def test_vars_on_the_command_line_win_over_project_scoped_vars(project: Path) -> None:
    config = project / "dbt_project.yml"
    text = config.read_text(encoding="utf-8")
    assert text.count("\nvars:\n") == 1
    config.write_text(
        text.replace(
            "\nvars:\n",
            "\nvars:\n  lead_scoring:\n    lead_scoring__extra_contact_attributes: {nps: text}\n",
        ),
        encoding="utf-8",
    )
    edit(project, "explicit_rules", "fit_company_small", attribute="nps")
    between_on_text = (
        f"{EXPLICIT}, line 9 (rule fit_company_small): operator between does not apply to the "
        "text attribute 'nps'. Fix: use equals, in, contains or starts_with with a value to test "
        "text (or is_present, is_missing)."
    )
    assert messages(project) == [between_on_text]
    assert [
        str(p)
        for p in validate_point_tables(
            project, "lead_scoring__extra_contact_attributes: {nps: number}"
        )[0]
    ] == []


@pytest.mark.parametrize(
    ("cli_vars", "expected"),
    [
        (
            "{lead_scoring__extra_contact_attributes: {nps: number}",
            "--vars: is not valid YAML (expected ',' or '}', but got '<stream end>'). Fix: write "
            "the vars as a YAML mapping, as for dbt, e.g. --vars "
            "'{lead_scoring__extra_contact_attributes: {nps: number}}'.",
        ),
        (
            "nps",
            "--vars: is 'nps', not a YAML mapping of var names to values. Fix: write the vars as a "
            "YAML mapping, as for dbt, e.g. --vars "
            "'{lead_scoring__extra_contact_attributes: {nps: number}}'.",
        ),
        (
            "{lead_scoring__extra_contact_attributes: [nps]}",
            "--vars: var lead_scoring__extra_contact_attributes is ['nps'], not a mapping of "
            "attribute names to kinds. Fix: map each attribute to its kind, e.g. "
            "{lifecycle_stage: text, nps: number, visits: {kind: number, column: Total Visits}}.",
        ),
        (
            "{lead_scoring__extra_contact_attributes: {nps: integer}}",
            "--vars: var lead_scoring__extra_contact_attributes gives the attribute 'nps' the kind "
            "'integer'. Fix: use text, number, boolean or date.",
        ),
        (
            "{lead_scoring__as_of: 2026-02-30}",
            "--vars: holds a date that does not exist (day is out of range for month). Fix: "
            "correct the date; give lead_scoring__as_of as 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS' "
            "(UTC).",
        ),
        (
            "{lead_scoring__as_of: '2026-13-01'}",
            "--vars: var lead_scoring__as_of is '2026-13-01', which is not a real date and time. "
            "Fix: give it as 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS' (UTC), or leave it null for "
            "now.",
        ),
        (
            "{lead_scoring__as_of: '25:00:00'}",
            "--vars: var lead_scoring__as_of is '25:00:00', which is not a date. "
            "Fix: give it as 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS' (UTC), or leave it null for "
            "now.",
        ),
    ],
    ids=["yaml", "not-a-mapping", "not-a-mapping-of-attributes", "kind", "as-of-yaml-date",
         "as-of-month", "as-of-time"],
)  # fmt: skip
def test_bad_vars_on_the_command_line(
    project: Path, capsys: pytest.CaptureFixture[str], cli_vars: str, expected: str
) -> None:
    assert main(["validate", "--project-dir", str(project), "--vars", cli_vars]) == 1
    assert capsys.readouterr().err == (
        f"{expected}\n\nFound 1 problem(s) in the point tables; fix them and run again.\n"
    )


@pytest.mark.parametrize(
    "as_of", ["2026-06-05", "'2026-06-05 10:30'", "'2026-06-05T10:30:59'", "null"]
)
def test_a_good_as_of_passes(project: Path, as_of: str) -> None:
    assert (
        main(
            [
                "validate",
                "--project-dir",
                str(project),
                "--vars",
                f"{{lead_scoring__as_of: {as_of}}}",
            ]
        )
        == 0
    )


def test_an_attribute_declared_as_a_mapping(project: Path) -> None:
    set_extra_attributes(
        project,
        "lead_scoring__extra_contact_attributes:\n"
        '    total_visits: {kind: number, column: "Total Visits"}\n'
        "    signed_up: {kind: date}\n"
        "    nps: {column: NPS}\n"
        "    plan: {kind: text, column: '', type: text}\n"
        "    trial: {kind: bool}",
    )
    lines = (project / "dbt_project.yml").read_text(encoding="utf-8").splitlines()
    line = lines.index("    nps: {column: NPS}") + 1
    edit(project, "explicit_rules", "fit_company_small", attribute="total_visits")
    edit(project, "explicit_rules", "fit_phone_given", attribute="signed_up")
    var = "var lead_scoring__extra_contact_attributes"
    assert messages(project) == [
        f"dbt_project.yml, line {line}: {var} declares the attribute 'nps' without a kind. Fix: "
        "add its kind (text, number, boolean or date), e.g. nps: {kind: number, column: Total "
        "Visits}.",
        f"dbt_project.yml, line {line + 1}: {var} gives the attribute 'plan' the key 'type'. Fix: "
        "write the kind alone (plan: number) or a mapping with the kind and, optionally, the raw "
        "column holding it (plan: {kind: number, column: Total Visits}); kind and column are the "
        "only keys.",
        f"dbt_project.yml, line {line + 1}: {var} gives the attribute 'plan' the column ''. Fix: "
        "write the name of the raw contacts column holding the attribute, e.g. column: Total "
        "Visits, or leave column out when the column is plan.",
        f"dbt_project.yml, line {line + 2}: {var} gives the attribute 'trial' the kind 'bool'. "
        "Fix: use text, number, boolean or date.",
    ]


# --- operators by the attribute's kind ----------------------------------------------

KINDS = (
    "lead_scoring__extra_contact_attributes:\n"
    "    total_visits: {kind: number, column: Total Visits}\n"
    "    is_customer: boolean\n"
    "    signed_up_on: date\n"
    "    plan: text"
)


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ({"attribute": "is_customer", "operator": "equals", "value": "true"}, []),
        ({"attribute": "is_customer", "operator": "equals", "value": " FALSE "}, []),
        ({"attribute": "is_customer", "operator": "is_missing"}, []),
        (
            {"attribute": "is_customer", "operator": "equals", "value": "yes"},
            ["the boolean attribute 'is_customer' is true or false, not 'yes'. Fix: write true or "
             "false in value (or use is_present, is_missing)."],
        ),
        (
            {"attribute": "is_customer", "operator": "in", "value": "true|false"},
            ["operator in does not apply to the boolean attribute 'is_customer'. Fix: use equals "
             "with the value true or false (or is_present, is_missing)."],
        ),
        ({"attribute": "signed_up_on", "operator": "between", "min_value": "2026-01-01"}, []),
        (
            {"attribute": "signed_up_on", "operator": "between", "min_value": "2026-01-01",
             "max_value": "2026-12-31"},
            [],
        ),
        (
            {"attribute": "signed_up_on", "operator": "between", "min_value": "2026-02-30",
             "max_value": "31/12/2026"},
            ["min_value '2026-02-30' is not a date. Fix: write the date as YYYY-MM-DD, e.g. "
             "2026-01-01.",
             "max_value '31/12/2026' is not a date. Fix: write the date as YYYY-MM-DD, e.g. "
             "2026-12-31."],
        ),
        (
            {"attribute": "signed_up_on", "operator": "between", "min_value": "2026-06-01",
             "max_value": "2026-01-01"},
            ["min_value 2026-06-01 is after max_value 2026-01-01. Fix: swap them: min_value "
             "2026-01-01, max_value 2026-06-01."],
        ),
        (
            {"attribute": "signed_up_on", "operator": "between"},
            ["operator between needs min_value, max_value or both. Fix: write the earliest "
             "accepted date in min_value and/or the latest in max_value (both inclusive, "
             "YYYY-MM-DD), e.g. min_value 2026-01-01."],
        ),
        ({"attribute": "signed_up_on", "operator": "age_between", "max_value": "30"}, []),
        ({"attribute": "signed_up_on", "operator": "age_between", "min_value": "0",
          "max_value": "0"}, []),
        (
            {"attribute": "signed_up_on", "operator": "age_between", "min_value": "-1",
             "max_value": "7.5"},
            ["min_value -1 is below 0. Fix: write a whole number of 0 or more, e.g. 30, or leave "
             "it empty for no lower bound (the age of the date in days at the scoring moment).",
             "max_value '7.5' is not a whole number. Fix: write a whole number of 0 or more, e.g. "
             "30, or leave it empty for no upper bound (the age of the date in days at the "
             "scoring moment)."],
        ),
        (
            {"attribute": "signed_up_on", "operator": "age_between", "min_value": "90",
             "max_value": "30"},
            ["min_value 90 is greater than max_value 30. Fix: swap them: min_value 30, max_value "
             "90."],
        ),
        (
            {"attribute": "signed_up_on", "operator": "age_between"},
            ["operator age_between needs min_value, max_value or both. Fix: write the youngest "
             "accepted age of the date in min_value and/or the oldest in max_value, in whole "
             "days (both inclusive), e.g. max_value 30."],
        ),
        (
            {"attribute": "signed_up_on", "operator": "equals", "value": "2026-01-01"},
            ["operator equals does not apply to the date attribute 'signed_up_on'. Fix: use "
             "between with dates (YYYY-MM-DD) in min_value and/or max_value, or age_between with "
             "the date's age in whole days (or is_present, is_missing)."],
        ),
        (
            {"attribute": "total_visits", "operator": "age_between", "max_value": "30"},
            ["operator age_between does not apply to the number attribute 'total_visits'. Fix: "
             "use between with min_value and/or max_value to test a number, per_unit for points "
             "per unit of it, or buckets with a bucket set of point table number_buckets "
             "(or is_present, is_missing)."],
        ),
        ({"attribute": "total_visits", "operator": "per_unit"}, []),
        ({"attribute": "total_visits", "operator": "per_unit", "min_value": "-5",
          "max_value": "0"}, []),
        (
            {"attribute": "total_visits", "operator": "per_unit", "max_value": "-1"},
            ["max_value -1 is below 0. Fix: max_value caps the units counted: write a number of 0 "
             "or more, e.g. 10, or leave it empty for no cap."],
        ),
        (
            {"attribute": "total_visits", "operator": "per_unit", "min_value": "20",
             "max_value": "10"},
            ["min_value 20 is greater than max_value 10. Fix: swap them: min_value 10, max_value "
             "20."],
        ),
        (
            {"attribute": "total_visits", "operator": "per_unit", "value": "2"},
            ["operator per_unit takes no value (got '2'). Fix: empty the value column and put the "
             "bounds in min_value and/or max_value."],
        ),
        (
            {"attribute": "plan", "operator": "per_unit"},
            ["operator per_unit does not apply to the text attribute 'plan'. Fix: use equals, in, "
             "contains or starts_with with a value to test text (or is_present, is_missing)."],
        ),
        ({"attribute": "total_visits", "operator": "buckets", "value": "visits", "points": ""},
         []),
        (
            {"attribute": "total_visits", "operator": "buckets", "value": "visits",
             "min_value": "1"},
            ["operator buckets takes no min_value. Fix: empty min_value and max_value: the "
             f"buckets of the set in {BUCKETS} hold the ranges.",
             "operator buckets takes no points (got '5'). Fix: empty points: each bucket of the "
             f"set gives its own points, in {BUCKETS}."],
        ),
        (
            {"attribute": "total_visits", "operator": "buckets", "value": "", "points": ""},
            [f"operator buckets needs a value. Fix: write the name of a bucket set of {BUCKETS} in "
             "the value column, e.g. visits."],
        ),
        (
            {"attribute": "total_visits", "operator": "buckets", "value": "visit", "points": ""},
            ["unknown bucket set 'visit'. Fix: did you mean 'visits'? Otherwise use one of the "
             f"bucket sets of {BUCKETS}: visits; or add the buckets of 'visit' to {BUCKETS}, e.g. "
             "the row visit,1,10,5,."],
        ),
        (
            {"attribute": "employee_count", "operator": "buckets", "value": "visits",
             "points": "", "cap_group": ""},
            [],
        ),
    ],
)  # fmt: skip
def test_operators_by_kind(project: Path, cells: dict[str, str], expected: list[str]) -> None:
    set_extra_attributes(project, KINDS)
    edit(project, "explicit_rules", "fit_company_small",
         **{"value": "", "min_value": "", "max_value": "", **cells})  # fmt: skip
    where = f"{EXPLICIT}, line 9 (rule fit_company_small): "
    assert messages(project) == [where + message for message in expected]


def test_segments_take_no_operator_that_gives_points(project: Path) -> None:
    set_extra_attributes(project, KINDS)
    edit(project, "score_model_segments", "emea", attribute="total_visits",
         operator="per_unit", value="")  # fmt: skip
    assert messages(project) == [
        f"{SEGMENTS}, line 2 (condition emea_region): operator per_unit gives points, but a "
        "condition only holds or not. Fix: use between with min_value and/or max_value to select "
        "contacts by a number (or is_present, is_missing)."
    ]
    edit(project, "score_model_segments", "emea", attribute="signed_up_on",
         operator="age_between", max_value="365")  # fmt: skip
    assert messages(project) == [
        f"{SEGMENTS}, line 2 (condition emea_region): operator age_between is for rules only: a "
        "segment condition does not age a date with the moment scored. Fix: select contacts by a "
        "date with between and two dates (or is_present, is_missing)."
    ]


# --- number_buckets.csv ------------------------------------------------------------------


def test_number_buckets_is_required_and_may_be_empty(project: Path) -> None:
    path = project / "seeds" / seed_file("number_buckets")
    path.unlink()
    assert messages(project) == [
        f"{BUCKETS}: file not found. Fix: create {BUCKETS} with the "
        "header line bucket_set,min_value,max_value,points,description and one row per line."
    ]
    path.write_text("bucket_set,min_value,max_value,points,description\n", encoding="utf-8")
    assert messages(project) == []
    set_extra_attributes(project, KINDS)
    edit(project, "explicit_rules", "fit_company_small", attribute="total_visits",
         operator="buckets", value="visits", min_value="", max_value="", points="")  # fmt: skip
    assert messages(project) == [
        f"{EXPLICIT}, line 9 (rule fit_company_small): unknown bucket set 'visits'. Fix: add the "
        f"buckets of 'visits' to {BUCKETS}, e.g. the row visits,1,10,5,."
    ]


def test_bucket_sets(project: Path) -> None:
    append(
        project,
        "number_buckets",
        "visits,10,12,20,Overlaps 4 to below 11",  # line 5
        "Web Visits,,2,1,",  # line 6
        "web_visits,2,2,1,",  # line 7: empty range
        "web_visits,x,,ten,",  # line 8
        "web_visits,,,,",  # line 9: every value, no points
        "web_visits,5,,3,",  # line 10: inside the one before
        "revenue,,1000000,-5,Below a million",  # line 11
        "revenue,1000000,,0,A million or more",  # line 12: meets the one before
    )
    assert messages(project) == [
        f"{BUCKETS}, line 5 (bucket set visits): the bucket 10 to below 12 of bucket set "
        "'visits' overlaps the bucket 4 to below 11 on line 3. Fix: make the buckets of a set "
        "follow each other without overlapping (min_value is inclusive and max_value exclusive, "
        "so a bucket may start at the max_value of the one before), e.g. min_value 11 here.",
        f"{BUCKETS}, line 6 (bucket set Web Visits): bucket set 'Web Visits' is not a lower-case "
        "identifier. Fix: use lower-case letters, digits and _, starting with a letter, e.g. "
        "'web_visits', here and in the rules that name it.",
        f"{BUCKETS}, line 7 (bucket set web_visits): min_value 2 is not below max_value 2. Fix: "
        "a bucket holds the values from min_value (inclusive) up to max_value (exclusive): make "
        "min_value the smaller one, or leave one of them empty for no bound.",
        f"{BUCKETS}, line 8 (bucket set web_visits): min_value 'x' is not a number. Fix: write a "
        f"plain number such as 1 {NUMBER_FIX[:-1]}, or leave it empty for no bound.",
        f"{BUCKETS}, line 8 (bucket set web_visits): points 'ten' is not a number. Fix: write a "
        f"plain number such as 10 {NUMBER_FIX}",
        f"{BUCKETS}, line 9 (bucket set web_visits): missing points. Fix: write the points a "
        "value in this bucket gives, e.g. 10 (below 0 to take points away).",
        f"{BUCKETS}, line 10 (bucket set web_visits): the bucket 5 or more of bucket set "
        "'web_visits' overlaps the bucket every value on line 9. Fix: make the buckets of a set "
        "follow each other without overlapping (min_value is inclusive and max_value exclusive, "
        "so a bucket may start at the max_value of the one before).",
    ]


def test_a_negative_rule_takes_a_bucket_set_of_negative_points(project: Path) -> None:
    append(project, "number_buckets", "small,,50,-10,", "small,50,200,-5,")
    edit(project, "negative_rules", "neg_student", attribute="employee_count",
         operator="buckets", value="small", points="")  # fmt: skip
    assert messages(project) == []
    edit(project, "negative_rules", "neg_student", value="visits")
    assert messages(project) == [
        f"{NEGATIVE}, line 2 (rule neg_student): bucket set 'visits' gives 5 points ({BUCKETS}, "
        "line 2), but a negative rule takes points away. Fix: use a bucket set whose points are "
        f"all below 0, or put the rule in {EXPLICIT}."
    ]


# --- explicit rules with negative points ------------------------------------------------


def test_explicit_rules_may_have_negative_points(project: Path) -> None:
    edit(project, "explicit_rules", "fit_seniority_manager", points="-5")
    edit(project, "explicit_rules", "emea_fit_revenue", points="-2.5", cap_group="")
    assert messages(project) == []


# Point tables that only reports and predictions read (models/reports/,
# lead_scoring__score_predictions, rebuilt in full by every build): a change to them changes
# no score, so they are deliberately not part of the rescore fingerprint (rescoring every
# contact for a new monthly target would be wasted work). Add a table here only if no scoring
# model reads it.
REPORT_ONLY_SEEDS = {"sla_targets", "predictive_weights"}


def test_every_seed_is_part_of_the_rescore_fingerprint() -> None:
    """int_lead_scoring__contacts_to_rescore names, by hand, the point tables whose change
    rescores every contact: a table missing there leaves stale scores in incremental builds."""
    model = (
        ROOT / "models" / "intermediate" / "int_lead_scoring__contacts_to_rescore.sql"
    ).read_text()
    listed = re.search(r"\{%- set point_tables = \[(.*?)\] %\}", model, re.S)
    assert listed is not None
    names = sorted(re.findall(r"'([a-z_]+)'", listed.group(1)))
    tables = set(load_contract(ROOT))
    assert tables >= REPORT_ONLY_SEEDS  # a renamed or removed table is removed here too
    assert names == sorted(tables - REPORT_ONLY_SEEDS)
    # Every point table of the contract has its seed in seeds/ (its default location).
    missing = sorted(seed_file(t) for t in tables if not (ROOT / "seeds" / seed_file(t)).is_file())
    assert missing == []
