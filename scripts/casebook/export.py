"""Downloads made on every build: all cases as JSON and CSV, metrics as CSV, one JSON per case.

The JSON is shaped like the case files (the schema's field names, in its order), so a tool that
reads cases.json can read a case file and the other way round. Every export walks the schema
over the model, so a field added to the schema reaches cases.json and the CSVs with no change here.
"""

from __future__ import annotations

import csv
import io
import json

from .catalog import Catalog
from .model import Case, Metric, SchemaFields, schema_node
from .problems import field_path
from .schema import types_of

CASES_JSON = "downloads/cases.json"
CASES_CSV = "downloads/cases.csv"
METRICS_CSV = "downloads/metrics.csv"
SCHEMA_JSON = "downloads/case.schema.json"


def case_json_uri(case_id: str) -> str:
    """One small file per case, for pages that show a few cases (compare)."""
    return f"api/cases/{case_id}.json"


def case_record(case: Case) -> dict:
    """A case as the schema names its fields, in the schema's order; fields left out or empty, out."""
    return _record(case)


def _record(item) -> dict:
    record = {}
    for name in schema_node(type(item)).get("properties", {}):
        value = _plain(getattr(item, name))
        if not _says_nothing(value):
            record[name] = value
    return record


def _plain(value):
    """Model objects as records and tuples as lists: what JSON and CSV can hold."""
    if isinstance(value, SchemaFields):
        return _record(value)
    if isinstance(value, (tuple, list)):
        return [_plain(item) for item in value]
    return value


def _says_nothing(value) -> bool:
    """Empty, or false (ongoing: false). A default that says something (a figure's kind) stays,
    so a reader of cases.json need not know the model's defaults."""
    # ``0 == False`` in Python: test False by identity, so a figure of 0 stays.
    return value is None or value is False or value in ("", [])


def export_files(catalog: Catalog, editor_schema: str) -> dict[str, str]:
    """Every download and per-case JSON file: ``{path: text}``."""
    records = [case_record(case) for case in catalog.cases]
    files = {CASES_JSON: _json(records), CASES_CSV: _cases_csv(catalog), METRICS_CSV: _metrics_csv(catalog),
             SCHEMA_JSON: editor_schema}
    for case, record in zip(catalog.cases, records):
        files[case_json_uri(case.id)] = _json(record)
    return files


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def _csv(header: list[str], rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    # A BOM so that Excel, which many trainers use, opens the Chinese text correctly.
    return "\ufeff" + buffer.getvalue()


def _cases_csv(catalog: Catalog) -> str:
    """One row per case, one column per schema field (``region.city``, ``sources[].title``).

    A list puts one item per line in its cell; metrics are counted here, listed in metrics.csv.
    """
    columns = _columns(schema_node(Case), ())
    rows = [[_cell(_values(record, column)) for column in columns]
            for record in (case_record(case) for case in catalog.cases)]
    return _csv([_column_name(column) for column in columns], rows)


def _columns(node: dict, prefix: tuple) -> list[tuple]:
    columns = []
    for name, prop in node.get("properties", {}).items():
        path, items = prefix + (name,), prop.get("items", {})
        if path == ("metrics",):
            columns.append(path)
        elif "object" in types_of(prop):
            columns += _columns(prop, path)
        elif "object" in types_of(items):
            columns += _columns(items, path + (0,))
        else:
            columns.append(path)
    return columns


def _column_name(column: tuple) -> str:
    return field_path(column).replace("[0]", "[]")


def _values(record, column: tuple) -> list:
    """Every value at ``column`` in the record; ``0`` in a column stands for every item of a list."""
    if not column:
        return record if isinstance(record, list) else [record]
    if isinstance(record, list):
        return [value for item in record for value in _values(item, column[1:])]
    if column[0] == "metrics" and len(column) == 1:
        return [len(record.get("metrics", []))]
    return _values(record[column[0]], column[1:]) if column[0] in record else []


def _cell(values: list) -> str | int | float:
    if len(values) == 1 and not isinstance(values[0], str):
        return values[0]
    return "\n".join(str(value) for value in values)


def _metrics_csv(catalog: Catalog) -> str:
    """One row per metric: its case, then one column per metric field of the schema."""
    names = list(schema_node(Metric).get("properties", {}))
    rows = [[case.id, *(_cell(_values(_record(metric), (name,))) for name in names)]
            for case in catalog.cases for metric in case.metrics]
    return _csv(["case_id", *names], rows)
