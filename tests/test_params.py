"""The period params model: valid files load, every mistake is one clear problem."""

from __future__ import annotations

import datetime as dt

import pytest

from leep_analysis.config import PROJECT_DIR
from leep_analysis.errors import InputError
from leep_analysis.params import PeriodParams, load_params, notebook_parameters, resolve_data_paths


def test_shipped_params_are_valid():
    for path in sorted((PROJECT_DIR / "params").glob("*.yaml")):
        params, _ = load_params(path)
        assert params.period == path.stem


def test_defaults_and_derived_dates(params_file):
    params, _ = load_params(params_file(previous_as_at=None))
    assert params.sections == ["summary", "achievement", "inspections", "support", "budget", "concerns"]
    assert params.since == dt.date(2025, 8, 31)  # end of the summer before an autumn report
    assert notebook_parameters(params)["as_at"] == "2025-12-31"  # JSON-safe for papermill
    assert notebook_parameters(params)["data"] == {}


def test_leading_zero_code_stays_text(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("period: 2025-26-autumn\nla_code: 050\nas_at: 2025-12-31\n")  # unquoted
    params, _ = load_params(path)
    assert params.la_code == "050"  # not 40, as plain YAML 1.1 octal would give


def one_problem(path) -> str:
    with pytest.raises(InputError) as err:
        load_params(path)
    return str(err.value)


def test_misspelt_key(params_file):
    path = params_file(audiance="committee")
    assert one_problem(path) == f"{path}, key 'audiance': unknown key 'audiance' (did you mean 'audience'?)"


def test_misspelt_data_key(params_file):
    path = params_file(data={"liat": "x.parquet"})
    assert one_problem(path) == f"{path}, key 'data.liat': unknown key 'liat' (did you mean 'lait'?)"


@pytest.mark.parametrize(
    ("overrides", "key", "message"),
    [
        ({"period": "2025-autumn"}, "period", "'2025-autumn' is not a period id such as 2025-26-autumn"),
        ({"period": "2025-27-autumn"}, "period", "'2025-27-autumn': 27 does not follow 2025"),
        ({"la_code": "85"}, "la_code", "'85' is not a 3-digit DfE LA code such as '855'"),
        ({"audience": "public"}, "audience", "'public' is not one of 'internal' or 'committee'"),  # not pydantic's words
        ({"sections": ["achievment"]}, "sections", "unknown section(s) achievment"),
        ({"as_at": "2024-12-31"}, "as_at", "as_at 2024-12-31 is outside the academic year of 2025-26-autumn"),
    ],
)
def test_invalid_values(params_file, overrides, key, message):
    text = one_problem(params_file(**overrides))
    assert f"key '{key}'" in text and message in text


def test_missing_key(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("period: 2025-26-autumn\nas_at: 2025-12-31\n")
    assert one_problem(path) == f"{path}, key 'la_code': required key is missing"


def test_broken_yaml_names_line(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("period: 2025-26-autumn\nla_code: [855\nas_at: 2025-12-31\n")
    assert one_problem(path).startswith(f"{path}, row ")
    assert "not valid YAML" in one_problem(path)


def test_missing_file(tmp_path):
    assert one_problem(tmp_path / "nope.yaml") == f"{tmp_path / 'nope.yaml'}: params file not found"


def test_paths_relative_to_params_file(tmp_path):
    params = PeriodParams(period="2025-26-autumn", la_code="855", as_at=dt.date(2025, 12, 31),
                          data={"lait": "data/lait.parquet", "ofsted_mi": ["a.xlsx", {"path": "/abs/b.xlsx", "as_at": "2025-08-31"}]})
    resolved = resolve_data_paths(params, tmp_path)
    assert resolved.data.lait == tmp_path / "data" / "lait.parquet"
    assert [str(f.path) for f in resolved.data.ofsted_mi] == [str(tmp_path / "a.xlsx"), "/abs/b.xlsx"]
    assert resolved.data.ofsted_mi[1].as_at == dt.date(2025, 8, 31)


# ----------------------------------------------------------------- the committee's meeting (the report's front sheet)
MEETING = {"council": "Leicestershire County Council", "meeting_date": "2026-03-02", "agenda_item": 7,
           "officers": [{"name": "A. Name", "job_title": "Assistant Director", "telephone": "0116 305 0000",
                         "email": "a.name@leics.gov.uk"}]}


def test_a_committee_pack_reads_its_meeting(params_file):
    params, _ = load_params(params_file(audience="committee", committee=MEETING))
    assert params.for_committee and params.committee.council == "Leicestershire County Council"
    assert params.committee.meeting_date == dt.date(2026, 3, 2) and params.committee.agenda_item == "7"
    assert params.committee.officers[0].email == "a.name@leics.gov.uk"
    assert params.committee.report_of == "Director of Children and Family Services"  # the default
    assert notebook_parameters(params)["committee"]["meeting_date"] == "2026-03-02"  # JSON-safe for papermill


def test_a_committee_pack_without_the_block_has_the_defaults_and_an_internal_one_none(params_file):
    committee, _ = load_params(params_file(audience="committee"))
    assert committee.committee is not None and committee.committee.meeting_date is None
    internal, _ = load_params(params_file())
    assert internal.committee is None and not internal.for_committee


@pytest.mark.parametrize(
    ("overrides", "key", "message"),
    [
        ({"committee": MEETING}, "committee", "set audience: committee, or remove the committee block"),
        ({"audience": "committee", "committee": {**MEETING, "meeting_date": "2025-11-30"}}, "committee",
         "committee meeting_date 2025-11-30 is before as_at 2025-12-31"),
        ({"audience": "committee", "committee": {"comittee": "x"}}, "committee.comittee",
         "unknown key 'comittee' (did you mean 'committee'?)"),
        ({"audience": "committee", "committee": {"officers": [{"name": "A", "job_title": "B", "emial": "x"}]}},
         "committee.officers.0.emial", "unknown key 'emial' (did you mean 'email'?)"),
        ({"audience": "committee", "committee": {"officers": [{"name": "A", "job_title": "B", "email": "a.name"}]}},
         "committee.officers.0.email", "'a.name' is not an email address"),
        ({"audience": "committee", "committee": {"officers": [{"name": "A"}]}}, "committee.officers.0.job_title",
         "required key is missing"),
    ],
)
def test_committee_block_mistakes(params_file, overrides, key, message):
    text = one_problem(params_file(**overrides))
    assert f"key '{key}'" in text and message in text, text
