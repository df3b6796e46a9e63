"""Downloads go through the model and carry every field a case file has, by the schema's names."""

import csv
import dataclasses
import io
import json

from casebook.analysis import to_simplified
from casebook.catalog import read_catalog
from casebook.export import (
    CASES_CSV,
    CASES_JSON,
    CODEBOOK_CSV,
    DATASET_FILES,
    METRICS_CSV,
    dataset,
    export_files,
    inert,
)
from casebook.load import load_case_file
from casebook.model import Metric, Period, schema_node
from casebook.routes import content_hash, route
from casebook.schema import base_schema


def _paths(value, prefix=()):
    """Every field path in plain data: ("metrics", 0, "quote"), …"""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, prefix + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, prefix + (index,))
    else:
        yield prefix


def test_cases_json_holds_every_field_of_every_case_file(project):
    catalog = read_catalog(project)
    records = json.loads(export_files(catalog, "{}")[CASES_JSON])
    for case, record in zip(catalog.cases, records, strict=True):
        data = load_case_file(project.root / case.source_path, project.cases_dir).data
        written = {path for path in _paths(data) if path[-1:] != ("ongoing",) or data["period"]["ongoing"]}
        shown = {("period", name) for name in Period.DISPLAY_TEXTS if "period" in record} | {
            ("metrics", index, name) for index in range(len(case.metrics)) for name in Metric.DISPLAY_TEXTS}
        assert set(_paths(record)) - shown == written, case.id


def test_the_data_carry_the_words_the_case_page_shows(project):
    """A figure as its quote writes it and a period as the page words it travel with the data,
    so that compare and a reader of the downloads never rebuild them."""
    catalog = read_catalog(project)
    files = export_files(catalog, "{}")
    for case in catalog.cases:
        record = json.loads(files[route("case_json", case.id)])
        assert [m["amount_text"] for m in record.get("metrics", [])] == [m.amount_text for m in case.metrics]
        assert all(m.amount_text in to_simplified(m.quote) for m in case.metrics), case.id
        if case.period:
            assert record["period"]["label"] == case.period.label
    rows = csv.DictReader(io.StringIO(files[METRICS_CSV].lstrip("\ufeff")))
    assert [row["amount_text"] for row in rows] == [m.amount_text for case in catalog.cases for m in case.metrics]


def test_csv_columns_come_from_the_schema(project):
    files = export_files(read_catalog(project), "{}")
    header = next(csv.reader(io.StringIO(files[CASES_CSV].lstrip("\ufeff"))))
    assert {"id", "region.province", "region.community", "period.start", "practice.measures[].detail",
            "sources[].url", "metrics"} <= set(header)
    metrics_header = next(csv.reader(io.StringIO(files[METRICS_CSV].lstrip("\ufeff"))))
    # One column per metric field, then the figure as the page shows it.
    assert metrics_header == ["case_id", *schema_node(Metric)["properties"], *Metric.DISPLAY_TEXTS]


def test_cases_json_is_the_list_of_the_per_case_files(project):
    """cases.json is assembled from the per-case texts kept between builds: it must read as the
    list of the case records, and hold the same bytes as encoding that list."""
    catalog = read_catalog(project)
    files = export_files(catalog, "{}")
    records = [json.loads(files[route("case_json", case.id)]) for case in catalog.cases]
    assert json.loads(files[CASES_JSON]) == records
    assert files[CASES_JSON] == json.dumps(records, ensure_ascii=False, indent=1) + "\n"


def test_metrics_csv_has_a_row_per_figure_with_every_field_it_has(project):
    """Each figure of each case is one row of metrics.csv, and each field the case file gives it
    (its quote above all) is in that row, as the file writes it."""
    catalog = read_catalog(project)
    rows = list(csv.DictReader(io.StringIO(export_files(catalog, "{}")[METRICS_CSV].lstrip("\ufeff"))))
    expected = [(case.id, metric) for case in catalog.cases
                for metric in load_case_file(project.root / case.source_path, project.cases_dir).data.get("metrics", [])]
    assert len(rows) == len(expected)
    for row, (case_id, metric) in zip(rows, expected, strict=True):
        assert row["case_id"] == case_id
        assert {key: row[key] for key in metric} == {key: str(value) for key, value in metric.items()}, case_id


FORMULAS = ['=HYPERLINK("http://evil.example/x","点我")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
            "\t=1+1"]


def _rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline="")))


def test_a_cell_that_would_run_as_a_formula_is_written_with_a_leading_quote(catalog):
    """The OWASP rule for CSV: text starting with = + - @ tab or CR gets a leading '. A figure
    stays a number, even a negative one (the schema refuses those; Excel reads -12.5 as a number,
    never as a formula), and the JSON keeps the text as the case file has it."""
    case = catalog.cases[0]
    metric = dataclasses.replace(case.metrics[0], label=FORMULAS[3], unit=FORMULAS[2], value=-12.5)
    source = dataclasses.replace(case.sources[0], title=FORMULAS[1], author=FORMULAS[4])
    hostile = dataclasses.replace(case, title=FORMULAS[0], summary=FORMULAS[4], metrics=(metric,),
                                  sources=(source,))
    files = export_files(dataclasses.replace(catalog, cases=(hostile,)), "{}")
    [row] = _rows(files[CASES_CSV])
    assert (row["title"], row["summary"], row["sources[].title"], row["sources[].author"]) == \
        tuple("'" + text for text in (FORMULAS[0], FORMULAS[4], FORMULAS[1], FORMULAS[4]))
    [metric_row] = _rows(files[METRICS_CSV])
    assert (metric_row["label"], metric_row["unit"], metric_row["value"]) == ("'" + FORMULAS[3], "'" + FORMULAS[2], "-12.5")
    [record] = json.loads(files[CASES_JSON])
    assert record["title"] == FORMULAS[0] and record["metrics"][0]["label"] == FORMULAS[3]
    # A carriage return never reaches a cell (the reader refuses it in any text); were one to,
    # the same rule holds.
    assert inert("\r=1+1") == "'\r=1+1" and inert("１=1") == "１=1"


def _table(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_codebook_names_and_describes_every_column_of_every_csv_file(project):
    """codebook.csv has one entry for each column of cases.csv and metrics.csv, in their order,
    with a Chinese name and a description: the schema's words for its fields, and the model's for
    the words it adds (amount_text, 原文写法)."""
    files = export_files(read_catalog(project), "{}")
    header, *entries = _table(files[CODEBOOK_CSV])
    assert header == ["文件", "列名", "名称", "说明"]
    for path in (CASES_CSV, METRICS_CSV):
        name = path.rpartition("/")[2]
        assert [column for file, column, _, _ in entries if file == name] == _table(files[path])[0], name
    assert all(label and description for _, _, label, description in entries)
    assert len({(file, column) for file, column, _, _ in entries}) == len(entries)
    described = {(file, column): (label, description) for file, column, label, description in entries}
    schema = base_schema()["properties"]
    assert described["cases.csv", "region.province"][1] == schema["region"]["properties"]["province"]["description"]
    assert described["metrics.csv", "amount_text"] == ("原文写法", Metric.DISPLAY_TEXTS["amount_text"])
    assert "metrics.csv" in described["cases.csv", "metrics"][1]  # a count here, the figures there
    assert "每项" in described["cases.csv", "sources[].url"][1] and "每项" not in described["cases.csv", "id"][1]


def test_dataset_version_comes_from_the_data_not_the_build(project, tmp_path):
    """The dataset's date is the newest date of its sources and archives, and its version names
    the content of its files: the same data give the same version, any change a new one."""
    catalog = read_catalog(project)
    files = export_files(catalog, "{}")
    version = dataset(catalog, files)
    newest = max([d for case in catalog.cases for s in case.sources for d in (s.date, s.reposted) if d]
                 + [archived.archived for archived in catalog.archive])
    assert version.date == newest and version.version.startswith(newest + ".")
    assert version.digest == content_hash(*(files[path] for path in DATASET_FILES))
    assert dataset(read_catalog(project), export_files(read_catalog(project), "{}")) == version
    changed = dict(files, **{METRICS_CSV: files[METRICS_CSV] + "x\n"})
    assert dataset(catalog, changed).version != version.version
