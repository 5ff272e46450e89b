"""Tests of ``leadscoring validate``: the point tables are checked before a dbt build."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from leadscoring.cli import main
from leadscoring.validate import Problem, validate_point_tables

ROOT = Path(__file__).resolve().parents[2]

OPERATORS = "equals, in, contains, starts_with, between, is_present, is_missing"
ATTRIBUTES = (
    "annual_revenue, company_country, company_domain, company_name, country, department, "
    "email, email_domain, employee_count, first_name, industry, is_email_valid, job_title, "
    "last_name, lead_source, phone, region, seniority"
)
EVENT_TYPES = (
    "content_downloaded, demo_requested, email_bounced, email_clicked, email_forwarded, "
    "email_opened, email_replied, email_sent, email_unsubscribed, form_submitted, "
    "newsletter_subscribed, page_view, phone_call, quote_requested, social_commented, "
    "social_liked, social_shared, trial_started, webinar_attended, webinar_registered"
)
NUMBER_FIX = (
    "(digits, an optional sign and decimal point; no units, spaces or thousands separators)."
)
CSV_FIX = (
    "put a cell that holds a comma, a double quote or a line break in double quotes, and double "
    'every double quote inside it, e.g. "Directors, VPs" or "the ""hot"" band"'
)
EXPLICIT = "seeds/explicit_rules.csv"
IMPLICIT = "seeds/implicit_rules.csv"
NEGATIVE = "seeds/negative_rules.csv"
BANDS = "seeds/score_bands.csv"
MODELS = "seeds/score_models.csv"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project's dbt_project.yml and seeds."""
    shutil.copy(ROOT / "dbt_project.yml", tmp_path / "dbt_project.yml")
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    return tmp_path


def read_rows(project: Path, name: str) -> list[list[str]]:
    with (project / "seeds" / name).open(newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def write_rows(project: Path, name: str, rows: list[list[str]]) -> None:
    with (project / "seeds" / name).open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def edit(project: Path, name: str, row: str | int, **cells: str) -> None:
    """Set cells of one row of a seed: ``row`` is a line number or the row's first cell."""
    rows = read_rows(project, name)
    header = rows[0]
    index = row - 1 if isinstance(row, int) else [r[:1] for r in rows].index([row])
    for column, value in cells.items():
        rows[index][header.index(column)] = value
    write_rows(project, name, rows)


def read_lines(project: Path, name: str) -> list[str]:
    """A seed's raw lines, without line ends: ``lines[0]`` is line 1."""
    return (project / "seeds" / name).read_text(encoding="utf-8").splitlines()


def write_lines(project: Path, name: str, lines: list[str]) -> None:
    (project / "seeds" / name).write_text("\n".join(lines) + "\n", encoding="utf-8")


def messages(project: Path) -> list[str]:
    problems, _ = validate_point_tables(project)
    return [str(problem) for problem in problems]


def data_rows(name: str) -> int:
    with (ROOT / "seeds" / name).open(newline="", encoding="utf-8") as f:
        return sum(1 for row in csv.reader(f) if row) - 1


# --- the real point tables --------------------------------------------------


def test_real_point_tables_are_ok(project: Path) -> None:
    problems, summary = validate_point_tables(project)
    assert problems == []
    rules = sum(
        data_rows(f) for f in ("explicit_rules.csv", "implicit_rules.csv", "negative_rules.csv")
    )
    expected = (
        f"Point tables OK: {rules} rules in 3 rule files, {data_rows('score_bands.csv')} bands, "
        f"{data_rows('score_models.csv')} score models."
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
    edit(project, "implicit_rules.csv", "eng_page_pricing", points="10 pts")
    edit(project, "explicit_rules.csv", "fit_seniority_vp", operator="equal")
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
    for words in ("--project-dir", "rule ids", "operator", "page patterns", "ascending order"):
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
        "explicit_rules.csv",
        "fit_seniority_vp",
        {"rule_id": ""},
        f"{EXPLICIT}, line 3: missing rule_id. Fix: give the rule a unique id of letters, "
        "digits, _, . and -, e.g. fit_seniority_vp.",
    ),
    (
        "explicit_rules.csv",
        "fit_seniority_vp",
        {"rule_id": "fit seniority/vp"},
        f"{EXPLICIT}, line 3 (rule fit seniority/vp): rule id 'fit seniority/vp' has characters "
        "other than letters, digits, _, . and -. Fix: rename it, e.g. 'fit_seniority_vp'.",
    ),
    (
        "implicit_rules.csv",
        "eng_email_clicked",
        {"rule_id": "eng_email_opened"},
        f"{IMPLICIT}, line 3 (rule eng_email_opened): duplicate rule id 'eng_email_opened': "
        f"already used in {IMPLICIT}, line 2. Fix: give each rule its own id, e.g. rename this "
        "one to 'eng_email_opened_2'.",
    ),
    (
        "negative_rules.csv",
        "neg_student",
        {"rule_id": "fit_seniority_vp"},
        f"{NEGATIVE}, line 2 (rule fit_seniority_vp): duplicate rule id 'fit_seniority_vp': "
        f"already used in {EXPLICIT}, line 3. Fix: give each rule its own id, e.g. rename this "
        "one to 'fit_seniority_vp_2'.",
    ),
    # 2. score models
    (
        "explicit_rules.csv",
        "fit_seniority_vp",
        {"score_model": ""},
        f"{EXPLICIT}, line 3 (rule fit_seniority_vp): missing score_model. Fix: name one of the "
        f"score models of {MODELS}: default.",
    ),
    (
        "implicit_rules.csv",
        "eng_email_opened",
        {"score_model": "defualt"},
        f"{IMPLICIT}, line 2 (rule eng_email_opened): unknown score model 'defualt'. Fix: did "
        f"you mean 'default'? Otherwise use one of default, or add 'defualt' to {MODELS}.",
    ),
    (
        "negative_rules.csv",
        "neg_student",
        {"score_model": "partner"},
        f"{NEGATIVE}, line 2 (rule neg_student): unknown score model 'partner'. Fix: use one of "
        f"default, or add 'partner' to {MODELS}.",
    ),
    # 3. attributes
    (
        "explicit_rules.csv",
        "fit_seniority_vp",
        {"attribute": ""},
        f"{EXPLICIT}, line 3 (rule fit_seniority_vp): missing attribute. Fix: name the contact "
        f"or account attribute tested, one of: {ATTRIBUTES}.",
    ),
    (
        "explicit_rules.csv",
        "fit_seniority_vp",
        {"attribute": "senority"},
        f"{EXPLICIT}, line 3 (rule fit_seniority_vp): unknown attribute 'senority'. Fix: did you "
        f"mean 'seniority'? Otherwise use one of the known attributes: {ATTRIBUTES}; or declare "
        "it with its kind (text or number) in var lead_scoring__extra_contact_attributes in "
        "dbt_project.yml.",
    ),
    (
        "negative_rules.csv",
        "neg_student",
        {"attribute": "favourite_colour"},
        f"{NEGATIVE}, line 2 (rule neg_student): unknown attribute 'favourite_colour'. Fix: use "
        f"one of the known attributes: {ATTRIBUTES}; or declare it with its kind (text or "
        "number) in var lead_scoring__extra_contact_attributes in dbt_project.yml.",
    ),
    # 4. operators and their values
    (
        "explicit_rules.csv",
        "fit_seniority_vp",
        {"operator": ""},
        f"{EXPLICIT}, line 3 (rule fit_seniority_vp): missing operator. Fix: use one of "
        f"{OPERATORS}.",
    ),
    (
        "explicit_rules.csv",
        "fit_seniority_vp",
        {"operator": "equal"},
        f"{EXPLICIT}, line 3 (rule fit_seniority_vp): unknown operator 'equal'. Fix: did you "
        f"mean 'equals'? Otherwise use one of {OPERATORS}.",
    ),
    (
        "explicit_rules.csv",
        "fit_seniority_vp",
        {"operator": "EQUALS"},
        f"{EXPLICIT}, line 3 (rule fit_seniority_vp): unknown operator 'EQUALS'. Fix: did you "
        f"mean 'equals'? Otherwise use one of {OPERATORS}.",
    ),
    (
        "negative_rules.csv",
        "neg_student",
        {"operator": "like"},
        f"{NEGATIVE}, line 2 (rule neg_student): unknown operator 'like'. Fix: use one of "
        f"{OPERATORS}.",
    ),
    (
        "explicit_rules.csv",
        "fit_seniority_vp",
        {"value": ""},
        f"{EXPLICIT}, line 3 (rule fit_seniority_vp): operator equals needs a value. Fix: write "
        "the text the attribute is compared with in the value column.",
    ),
    (
        "explicit_rules.csv",
        "fit_title_analytics",
        {"min_value": "1"},
        f"{EXPLICIT}, line 7 (rule fit_title_analytics): operator contains takes no min_value. "
        "Fix: empty min_value and max_value; they are only for between.",
    ),
    (
        "explicit_rules.csv",
        "fit_company_small",
        {"operator": "equals", "value": "50", "min_value": "", "max_value": ""},
        f"{EXPLICIT}, line 9 (rule fit_company_small): operator equals does not apply to the "
        "number attribute 'employee_count'. Fix: use between with min_value and/or max_value to "
        "test a number (or is_present, is_missing).",
    ),
    (
        "explicit_rules.csv",
        "fit_seniority_executive",
        {"value": ""},
        f"{EXPLICIT}, line 2 (rule fit_seniority_executive): operator in needs a value. Fix: "
        "write the accepted values separated by |, e.g. vp|director.",
    ),
    (
        "explicit_rules.csv",
        "fit_seniority_executive",
        {"value": "c-level||owner"},
        f"{EXPLICIT}, line 2 (rule fit_seniority_executive): the in list 'c-level||owner' has an "
        "empty item. Fix: separate the values with single | and leave none empty, e.g. "
        "'c-level|owner'.",
    ),
    (
        "negative_rules.csv",
        "neg_free_email",
        {"value": "gmail.com|yahoo.com|"},
        f"{NEGATIVE}, line 4 (rule neg_free_email): the in list 'gmail.com|yahoo.com|' has an "
        "empty item. Fix: separate the values with single | and leave none empty, e.g. "
        "'gmail.com|yahoo.com'.",
    ),
    (
        "explicit_rules.csv",
        "fit_company_small",
        {"value": "50"},
        f"{EXPLICIT}, line 9 (rule fit_company_small): operator between takes no value (got "
        "'50'). Fix: empty the value column and put the bounds in min_value and/or max_value.",
    ),
    (
        "explicit_rules.csv",
        "fit_company_small",
        {"min_value": "", "max_value": ""},
        f"{EXPLICIT}, line 9 (rule fit_company_small): operator between needs min_value, "
        "max_value or both. Fix: write the lowest accepted value in min_value and/or the "
        "highest in max_value (both inclusive), e.g. min_value 50.",
    ),
    (
        "explicit_rules.csv",
        "fit_company_small",
        {"min_value": "50k"},
        f"{EXPLICIT}, line 9 (rule fit_company_small): min_value '50k' is not a number. Fix: "
        f"write a plain number such as 50 {NUMBER_FIX}",
    ),
    (
        "explicit_rules.csv",
        "fit_company_small",
        {"min_value": "500", "max_value": "50"},
        f"{EXPLICIT}, line 9 (rule fit_company_small): min_value 500 is greater than max_value "
        "50. Fix: swap them: min_value 50, max_value 500.",
    ),
    (
        "explicit_rules.csv",
        "fit_seniority_vp",
        {"operator": "between", "value": "", "min_value": "1"},
        f"{EXPLICIT}, line 3 (rule fit_seniority_vp): operator between does not apply to the "
        "text attribute 'seniority'. Fix: use equals, in, contains or starts_with with a value "
        "to test text (or is_present, is_missing).",
    ),
    (
        "explicit_rules.csv",
        "fit_phone_given",
        {"value": "yes", "max_value": "3"},
        f"{EXPLICIT}, line 14 (rule fit_phone_given): operator is_present takes no value, "
        "min_value or max_value, but value and max_value are filled. Fix: empty value and "
        "max_value; is_present only tests whether the attribute has a value.",
    ),
    # 5. event types
    (
        "implicit_rules.csv",
        "eng_email_opened",
        {"event_type": ""},
        f"{IMPLICIT}, line 2 (rule eng_email_opened): missing event_type. Fix: name one of the "
        f"event types of seeds/event_types.csv: {EVENT_TYPES}.",
    ),
    (
        "implicit_rules.csv",
        "eng_email_opened",
        {"event_type": "email_open"},
        f"{IMPLICIT}, line 2 (rule eng_email_opened): unknown event type 'email_open'. Fix: did "
        "you mean 'email_opened'? Otherwise use one of the event types of "
        f"seeds/event_types.csv: {EVENT_TYPES}; or add 'email_open' to seeds/event_types.csv.",
    ),
    # 6. page patterns
    (
        "implicit_rules.csv",
        "eng_page_pricing",
        {"page_pattern": "https://www.example.com/pricing?plan=pro"},
        f"{IMPLICIT}, line 9 (rule eng_page_pricing): page_pattern "
        "'https://www.example.com/pricing?plan=pro' is a URL, not a page path. Fix: drop the "
        "scheme, host and query and write the path, e.g. '/pricing'.",
    ),
    (
        "negative_rules.csv",
        "neg_job_seeker",
        {"page_pattern": "/careers*#jobs"},
        f"{NEGATIVE}, line 6 (rule neg_job_seeker): page_pattern '/careers*#jobs' has a query "
        "string or fragment. Fix: drop the scheme, host and query and write the path, e.g. "
        "'/careers*'.",
    ),
    (
        "implicit_rules.csv",
        "eng_page_pricing",
        {"page_pattern": "pricing*"},
        f"{IMPLICIT}, line 9 (rule eng_page_pricing): page_pattern 'pricing*' does not start "
        "with / or *. Fix: start it with / to match from the start of the path (e.g. "
        "'/pricing*'), or with * to match anywhere in it.",
    ),
    (
        "implicit_rules.csv",
        "eng_page_pricing",
        {"page_pattern": "/our pricing*"},
        f"{IMPLICIT}, line 9 (rule eng_page_pricing): page_pattern '/our pricing*' contains "
        "blanks. Fix: remove the blanks: page paths have none.",
    ),
    (
        "implicit_rules.csv",
        "eng_page_pricing",
        {"page_pattern": "**"},
        f"{IMPLICIT}, line 9 (rule eng_page_pricing): page_pattern '**' matches every page. "
        "Fix: empty page_pattern to count every page view, or narrow it to a path such as "
        "'/pricing*'.",
    ),
    (
        "implicit_rules.csv",
        "eng_email_opened",
        {"page_pattern": "/pricing*"},
        f"{IMPLICIT}, line 2 (rule eng_email_opened): page_pattern '/pricing*' on event type "
        "'email_opened'. Fix: remove the page pattern, or use event type page_view: only page "
        "views have a page path.",
    ),
    # 7. points
    (
        "explicit_rules.csv",
        "fit_seniority_vp",
        {"points": ""},
        f"{EXPLICIT}, line 3 (rule fit_seniority_vp): missing points. Fix: write the points the "
        "rule gives, e.g. 10.",
    ),
    (
        "explicit_rules.csv",
        "fit_seniority_vp",
        {"points": "10 pts"},
        f"{EXPLICIT}, line 3 (rule fit_seniority_vp): points '10 pts' is not a number. Fix: "
        f"write a plain number such as 10 {NUMBER_FIX}",
    ),
    (
        "explicit_rules.csv",
        "fit_seniority_vp",
        {"points": "-5"},
        f"{EXPLICIT}, line 3 (rule fit_seniority_vp): negative points (-5) in an explicit rule. "
        f"Fix: use 0 or more points here; put negative points in {NEGATIVE}.",
    ),
    (
        "implicit_rules.csv",
        "eng_email_opened",
        {"points": "-1"},
        f"{IMPLICIT}, line 2 (rule eng_email_opened): negative points (-1) in an implicit rule. "
        f"Fix: use 0 or more points here; put negative points in {NEGATIVE}.",
    ),
    (
        "negative_rules.csv",
        "neg_student",
        {"points": "25"},
        f"{NEGATIVE}, line 2 (rule neg_student): points 25 in a negative rule are not below 0. "
        "Fix: write the points taken off as a negative number, e.g. -25; put positive points "
        f"in {EXPLICIT} or {IMPLICIT}.",
    ),
    (
        "negative_rules.csv",
        "neg_hard_bounce",
        {"points": "ten"},
        f"{NEGATIVE}, line 8 (rule neg_hard_bounce): points 'ten' is not a number. Fix: write "
        f"a plain number such as -10 {NUMBER_FIX}",
    ),
    # 8. max_occurrences
    (
        "implicit_rules.csv",
        "eng_email_opened",
        {"max_occurrences": "0"},
        f"{IMPLICIT}, line 2 (rule eng_email_opened): max_occurrences 0 is below 1. Fix: write "
        "a whole number of 1 or more, e.g. 3, or leave it empty for no cap.",
    ),
    (
        "negative_rules.csv",
        "neg_unsubscribed",
        {"max_occurrences": "2.5"},
        f"{NEGATIVE}, line 7 (rule neg_unsubscribed): max_occurrences '2.5' is not a whole "
        "number. Fix: write a whole number of 1 or more, e.g. 3, or leave it empty for no cap.",
    ),
    # 9. applies_to
    (
        "negative_rules.csv",
        "neg_student",
        {"applies_to": ""},
        f"{NEGATIVE}, line 2 (rule neg_student): missing applies_to. Fix: write attribute "
        "(points off when a contact attribute matches) or event (points off per event).",
    ),
    (
        "negative_rules.csv",
        "neg_student",
        {"applies_to": "attributes"},
        f"{NEGATIVE}, line 2 (rule neg_student): unknown applies_to 'attributes'. Fix: did you "
        "mean 'attribute'? Otherwise use one of attribute, event.",
    ),
    (
        "negative_rules.csv",
        "neg_student",
        {"event_type": "page_view", "max_occurrences": "1"},
        f"{NEGATIVE}, line 2 (rule neg_student): applies_to is attribute but event_type and "
        "max_occurrences are filled. Fix: empty event_type and max_occurrences (they are for "
        "applies_to event rules), or make it an event rule: applies_to event, with attribute, "
        "operator, value, min_value and max_value empty.",
    ),
    (
        "negative_rules.csv",
        "neg_job_seeker",
        {"attribute": "seniority"},
        f"{NEGATIVE}, line 6 (rule neg_job_seeker): applies_to is event but attribute is "
        "filled. Fix: empty attribute (it is for applies_to attribute rules), or make it an "
        "attribute rule: applies_to attribute, with event_type, page_pattern and "
        "max_occurrences empty.",
    ),
    # 10. bands
    (
        "score_bands.csv",
        3,
        {"score_model": ""},
        f"{BANDS}, line 3 (band warm): missing score_model. Fix: name one of the score models "
        f"of {MODELS}: default.",
    ),
    (
        "score_bands.csv",
        3,
        {"score_model": "defualt"},
        f"{BANDS}, line 3 (band warm): unknown score model 'defualt'. Fix: did you mean "
        f"'default'? Otherwise use one of default, or add 'defualt' to {MODELS}.",
    ),
    (
        "score_bands.csv",
        3,
        {"band": ""},
        f"{BANDS}, line 3: missing band. Fix: name the band, e.g. warm.",
    ),
    (
        "score_bands.csv",
        3,
        {"band": "cold"},
        f"{BANDS}, line 3 (band cold): duplicate band 'cold' in score model 'default': already "
        "on line 2. Fix: give each band of a score model its own name.",
    ),
    (
        "score_bands.csv",
        3,
        {"min_score": ""},
        f"{BANDS}, line 3 (band warm): missing min_score. Fix: write the lowest total score in "
        "the band, e.g. 20.",
    ),
    (
        "score_bands.csv",
        3,
        {"min_score": "twenty"},
        f"{BANDS}, line 3 (band warm): min_score 'twenty' is not a number. Fix: write a plain "
        f"number such as 20 {NUMBER_FIX}",
    ),
    (
        "score_bands.csv",
        4,
        {"min_score": "10"},
        f"{BANDS}, line 4 (band hot): bands not in ascending order: min_score 10 comes after "
        "band 'warm' with min_score 20 (line 3) in score model 'default'. Fix: list the bands "
        "of a score model from the lowest min_score to the highest.",
    ),
    (
        "score_bands.csv",
        4,
        {"min_score": "20.0"},
        f"{BANDS}, line 4 (band hot): band 'hot' has the same min_score 20.0 as band 'warm' on "
        "line 3. Fix: give each band of a score model its own min_score.",
    ),
    # score models and event types
    (
        "event_types.csv",
        3,
        {"event_type": "page_view"},
        "seeds/event_types.csv, line 3 (event type page_view): duplicate event type "
        "'page_view': already on line 2. Fix: remove this row; each event type is listed once.",
    ),
    (
        "event_types.csv",
        3,
        {"event_category": ""},
        "seeds/event_types.csv, line 3 (event type email_sent): missing event_category. Fix: "
        "name the family of the event type, e.g. one of content, email, event, form, product, "
        "sales, social, web.",
    ),
]


@pytest.mark.parametrize(
    ("name", "row", "cells", "expected"),
    CASES,
    ids=[f"{n}-{case[0].split('_')[0]}-{'-'.join(case[2])}" for n, case in enumerate(CASES, 1)],
)
def test_one_broken_cell(
    project: Path, name: str, row: str | int, cells: dict[str, str], expected: str
) -> None:
    edit(project, name, row, **cells)
    assert messages(project) == [expected]


def test_a_row_can_have_several_problems(project: Path) -> None:
    edit(project, "negative_rules.csv", "neg_job_seeker", applies_to="attribute")
    assert messages(project) == [
        f"{NEGATIVE}, line 6 (rule neg_job_seeker): applies_to is attribute but event_type, "
        "page_pattern and max_occurrences are filled. Fix: empty event_type, page_pattern and "
        "max_occurrences (they are for applies_to event rules), or make it an event rule: "
        "applies_to event, with attribute, operator, value, min_value and max_value empty.",
        f"{NEGATIVE}, line 6 (rule neg_job_seeker): missing attribute. Fix: name the contact or "
        f"account attribute tested, one of: {ATTRIBUTES}.",
        f"{NEGATIVE}, line 6 (rule neg_job_seeker): missing operator. Fix: use one of {OPERATORS}.",
    ]


def test_every_problem_is_reported_in_file_and_line_order(project: Path) -> None:
    edit(project, "score_bands.csv", 2, band="")
    edit(project, "implicit_rules.csv", "eng_phone_call", max_occurrences="0")
    edit(project, "explicit_rules.csv", "fit_domain_corporate", points="")
    edit(project, "explicit_rules.csv", "fit_seniority_vp", attribute="senority")
    problems, _ = validate_point_tables(project)
    assert [(p.file, p.line, p.subject) for p in problems] == [
        (EXPLICIT, 3, "rule fit_seniority_vp"),
        (EXPLICIT, 16, "rule fit_domain_corporate"),
        (IMPLICIT, 19, "rule eng_phone_call"),
        (BANDS, 2, None),
    ]


# --- values that are fine ---------------------------------------------------


def test_quotes_and_sql_in_a_value_are_plain_data(project: Path) -> None:
    edit(project, "explicit_rules.csv", "fit_seniority_vp", value="'); drop table x; --")
    edit(project, "explicit_rules.csv", "fit_title_analytics", value='O"Brien, "the" analyst')
    edit(project, "negative_rules.csv", "neg_student", value="%_\\ it's")
    assert messages(project) == []


def test_cells_are_trimmed_and_decimals_allowed(project: Path) -> None:
    edit(project, "explicit_rules.csv", "fit_seniority_vp", operator=" equals ", points=" 2.5 ")
    edit(project, "explicit_rules.csv", "fit_seniority_executive", value="c-level | owner")
    edit(project, "negative_rules.csv", "neg_student", points="-2.5", applies_to=" attribute")
    edit(project, "implicit_rules.csv", "eng_page_blog", page_pattern="*/blog/* ")
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
    edit(project, "explicit_rules.csv", "fit_company_small", attribute="nps")
    edit(project, "explicit_rules.csv", "fit_seniority_vp", attribute="lifecycle_stage")
    assert messages(project) == [
        f"dbt_project.yml, line {line}: var lead_scoring__extra_contact_attributes names the "
        "attribute 'Plan Tier'. Fix: attribute names are lower-case column names (letters, "
        "digits and _, starting with a letter), e.g. 'plan_tier'.",
        f"dbt_project.yml, line {line + 1}: var lead_scoring__extra_contact_attributes gives the "
        "attribute 'lifecycle_stage' the kind 'string'. Fix: use text or number.",
    ]


def test_seeds_are_found_in_the_seed_paths(project: Path) -> None:
    config = project / "dbt_project.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('seed-paths: ["seeds"]', 'seed-paths: ["data"]'))
    (project / "data").mkdir()
    shutil.move(project / "seeds", project / "data" / "scoring")
    assert messages(project) == []
    path = project / "data" / "scoring" / "score_bands.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("hot,40", "hot,", 1))
    assert messages(project) == [
        "data/scoring/score_bands.csv, line 4 (band hot): missing min_score. Fix: write the "
        "lowest total score in the band, e.g. 20."
    ]


# --- line numbers -------------------------------------------------------------


def test_quoted_line_breaks_do_not_shift_line_numbers(project: Path) -> None:
    edit(
        project,
        "explicit_rules.csv",
        "fit_seniority_executive",
        description="Top\ndecision\nmakers",
    )
    edit(project, "explicit_rules.csv", "fit_seniority_vp", description="Vice\npresidents")
    edit(project, "explicit_rules.csv", "fit_seniority_vp", operator="equal")
    edit(project, "explicit_rules.csv", "fit_seniority_director", operator="equal")
    assert [p.line for p in validate_point_tables(project)[0]] == [5, 7]


def test_blank_lines_are_skipped_and_rows_of_commas_reported(project: Path) -> None:
    lines = read_lines(project, "explicit_rules.csv")
    lines.insert(3, "")  # line 4: a blank line, skipped
    lines.insert(5, ",,,,,,,,")  # line 6, after the director row: a row of empty cells
    write_lines(project, "explicit_rules.csv", lines)
    edit(project, "explicit_rules.csv", "fit_seniority_manager", points="x")
    assert messages(project) == [
        f"{EXPLICIT}, line 6: empty row. Fix: delete the line (spreadsheets sometimes save "
        "empty rows as a line of commas).",
        f"{EXPLICIT}, line 7 (rule fit_seniority_manager): points 'x' is not a number. Fix: "
        f"write a plain number such as 10 {NUMBER_FIX}",
    ]


# --- files that cannot be checked -------------------------------------------


def test_missing_file(project: Path) -> None:
    (project / "seeds" / "score_bands.csv").unlink()
    assert messages(project) == [
        f"{BANDS}: file not found. Fix: create {BANDS} with the header line "
        "score_model,band,min_score,description and one row per line."
    ]


def test_header_without_a_column(project: Path) -> None:
    lines = read_lines(project, "implicit_rules.csv")
    lines[0] = lines[0].removesuffix(",description")
    write_lines(project, "implicit_rules.csv", lines)
    assert messages(project) == [
        f"{IMPLICIT}, line 1: the header lacks the column 'description'. Fix: make the header "
        "read: rule_id,score_model,event_type,page_pattern,points,max_occurrences,description."
    ]


def test_header_with_a_misspelt_and_a_repeated_column(project: Path) -> None:
    rows = read_rows(project, "negative_rules.csv")
    rows[0][rows[0].index("points")] = "point"
    rows[0][rows[0].index("value")] = "values"
    write_rows(project, "negative_rules.csv", rows)
    assert messages(project) == [
        f"{NEGATIVE}, line 1: the header lacks the columns 'value' and 'points'. Fix: make the "
        "header read: rule_id,score_model,applies_to,attribute,operator,value,min_value,"
        "max_value,event_type,page_pattern,points,max_occurrences,description."
    ]
    lines = read_lines(project, "score_models.csv")
    lines[0] += ",description"
    write_lines(project, "score_models.csv", lines)
    assert messages(project) == [
        f"{MODELS}, line 1: the header repeats the column 'description'. Fix: keep one column "
        "of each name: make the header read score_model,description.",
        f"{NEGATIVE}, line 1: the header lacks the columns 'value' and 'points'. Fix: make the "
        "header read: rule_id,score_model,applies_to,attribute,operator,value,min_value,"
        "max_value,event_type,page_pattern,points,max_occurrences,description.",
    ]


def test_empty_file(project: Path) -> None:
    (project / "seeds" / "negative_rules.csv").write_text("", encoding="utf-8")
    assert messages(project) == [
        f"{NEGATIVE}, line 1: the file is empty: it has no header line. Fix: make line 1 read: "
        "rule_id,score_model,applies_to,attribute,operator,value,min_value,max_value,event_type,"
        "page_pattern,points,max_occurrences,description."
    ]


def test_unclosed_quote(project: Path) -> None:
    lines = read_lines(project, "score_bands.csv")
    lines[5] += ',"oops'  # line 6, the last
    write_lines(project, "score_bands.csv", lines)
    assert messages(project) == [
        f"{BANDS}, line 6: a quoted cell opened in this row is never closed. Fix: {CSV_FIX}."
    ]


def test_text_after_a_closing_quote(project: Path) -> None:
    lines = read_lines(project, "implicit_rules.csv")
    lines[3] += ',"x"y'
    write_lines(project, "implicit_rules.csv", lines)
    assert messages(project) == [
        f"{IMPLICIT}, line 4: the row cannot be read as CSV (',' expected after '\"'). "
        f"Fix: {CSV_FIX}."
    ]


def test_rows_with_too_many_or_too_few_cells(project: Path) -> None:
    lines = read_lines(project, "explicit_rules.csv")
    lines[3] = lines[3].replace("Directors", "Directors, heads of")  # an unquoted comma
    lines[4] = "fit_x,default,seniority"
    write_lines(project, "explicit_rules.csv", lines)
    assert messages(project) == [
        f"{EXPLICIT}, line 4 (rule fit_seniority_director): the row has 10 cells but the header "
        f"has 9 columns. Fix: {CSV_FIX}, or remove the extra commas.",
        f"{EXPLICIT}, line 5 (rule fit_x): the row has 3 cells but the header has 9 columns. "
        "Fix: add the missing cells (an empty cell is just a comma) so the row has 9 cells.",
    ]


def test_file_not_in_utf8(project: Path) -> None:
    path = project / "seeds" / "negative_rules.csv"
    path.write_bytes(path.read_bytes().replace(b"Competitors'", b"Comp\xe9titors'"))
    assert messages(project) == [
        f"{NEGATIVE}, line 3: the file is not UTF-8 text (byte 0xe9 cannot be decoded). Fix: "
        "save the file as UTF-8 (in a spreadsheet: CSV UTF-8)."
    ]


def test_utf8_bom_is_accepted(project: Path) -> None:
    path = project / "seeds" / "score_models.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert messages(project) == []


# --- score models ---------------------------------------------------------------


def test_score_model_names_and_bands(project: Path) -> None:
    lines = read_lines(project, "score_models.csv")
    write_lines(project, "score_models.csv", [*lines, "Partner Model,Partners", "default,Again"])
    assert messages(project) == [
        f"{MODELS}, line 3 (score model Partner Model): score model 'Partner Model' is not a "
        "lower-case identifier. Fix: use lower-case letters, digits and _, starting with a "
        "letter, e.g. 'partner_model'.",
        f"{MODELS}, line 3 (score model Partner Model): score model 'Partner Model' has no "
        f"bands in {BANDS}. Fix: add its bands to {BANDS}, at least one, e.g. the row "
        "Partner Model,cold,0,.",
        f"{MODELS}, line 4 (score model default): duplicate score model 'default': already on "
        "line 2. Fix: remove this row or give the score model another name.",
    ]


def test_a_short_score_model_row_is_reported_once(project: Path) -> None:
    write_lines(project, "score_models.csv", [*read_lines(project, "score_models.csv"), "partner"])
    bands = read_lines(project, "score_bands.csv")
    write_lines(project, "score_bands.csv", [*bands, "partner,cold,0,Everyone"])
    edit(project, "explicit_rules.csv", "fit_seniority_vp", score_model="partner")
    assert messages(project) == [
        f"{MODELS}, line 3 (score model partner): the row has 1 cell but the header has 2 "
        "columns. Fix: add the missing cells (an empty cell is just a comma) so the row has 2 "
        "cells."
    ]


def test_no_score_models(project: Path) -> None:
    (project / "seeds" / "score_models.csv").write_text("score_model,description\n")
    assert messages(project) == [
        f"{MODELS}, line 1: no score models. Fix: add at least one row under the header, e.g. "
        "default,The lead score."
    ]
