"""Downloads made on every build: all cases as JSON and CSV, metrics as CSV, one JSON per case,
the codebook of the CSV files, and the version of the whole (``Dataset``).

The JSON is shaped like the case files (the schema's field names, in its order), so a tool that
reads cases.json can read a case file and the other way round. Every export walks the schema
over the model, so a field added to the schema reaches cases.json, the CSVs and the codebook
with no change here.
"""

from __future__ import annotations

import csv
import io
import json
import textwrap
from dataclasses import dataclass

from .catalog import Catalog
from .citation import SITE_NAME
from .memo import CaseMemo, compute_each
from .model import TEXT_FIELD, Case, Metric, SchemaFields, schema_node
from .problems import field_path
from .routes import content_hash, route
from .schema import label_of, node_at, object_form, types_of

CASES_JSON = route("cases_json")
CASES_CSV = route("cases_csv")
METRICS_CSV = route("metrics_csv")
CODEBOOK_CSV = route("codebook_csv")
SCHEMA_JSON = route("schema_json")
# The files of the dataset, whose content its version names (api/cases/ repeats cases.json).
DATASET_FILES = (CASES_JSON, CASES_CSV, METRICS_CSV, CODEBOOK_CSV, SCHEMA_JSON)


def case_record(case: Case) -> dict:
    """A case as the schema names its fields, in the schema's order; fields left out or empty, out."""
    return _record(case)


def _record(item) -> dict:
    record = {}
    for name, prop in schema_node(type(item)).get("properties", {}).items():
        if prop.get("x-export") is False:
            continue
        value = _plain(getattr(item, name))
        if not _says_nothing(value):
            record[name] = value
    # The words the site shows for it (a figure as its quote writes it, a period), made once here
    # so that the browser (compare) and a reader of the data see what the case page shows.
    record |= {name: getattr(item, name) for name in getattr(type(item), "DISPLAY_TEXTS", ())}
    return record


def _plain(value):
    """Model objects as records and tuples as lists: what JSON and CSV can hold."""
    if isinstance(value, SchemaFields):
        record = _record(value)
        # An outcome or lesson written as plain text is exported as the case file has it.
        return record[TEXT_FIELD] if list(record) == [TEXT_FIELD] else record
    if isinstance(value, (tuple, list)):
        return [_plain(item) for item in value]
    return value


def _says_nothing(value) -> bool:
    """Empty, or false (ongoing: false). A default that says something (a figure's kind) stays,
    so a reader of cases.json need not know the model's defaults."""
    # ``0 == False`` in Python: test False by identity, so a figure of 0 stays.
    return value is None or value is False or value in ("", [])


def export_files(catalog: Catalog, editor_schema: str, memo: CaseMemo | None = None) -> dict[str, str]:
    """Every download and per-case JSON file: ``{path: text}``. A long-running caller passes a
    ``memo`` so that only changed cases are exported again."""
    columns = _columns(schema_node(Case), ())
    metric_fields = _metric_fields()
    exported = [compute_each(memo, "export", case, lambda case: _CaseExport.of(case, columns, metric_fields))
                for case in catalog.cases]
    files = {CASES_JSON: _json_list([item.json_in_list for item in exported]),
             CASES_CSV: _csv([_column_name(column) for column in columns], [item.row for item in exported]),
             METRICS_CSV: _csv([METRIC_CASE_COLUMN, *metric_fields], [item.metric_rows for item in exported]),
             CODEBOOK_CSV: _csv(list(CodebookEntry.HEADER), [_csv_lines([entry.row for entry in codebook()])]),
             SCHEMA_JSON: editor_schema}
    for case, item in zip(catalog.cases, exported, strict=True):
        files[route("case_json", case.id)] = item.json  # one small file per case, for the compare page
    return files


METRIC_CASE_COLUMN = "case_id"  # metrics.csv: the case a figure belongs to


def _metric_fields() -> list[str]:
    return [*schema_node(Metric).get("properties", {}), *Metric.DISPLAY_TEXTS]


# --- the codebook: every column of the CSV files, named and described from the schema ---

@dataclass(frozen=True)
class CodebookEntry:
    """One column of a CSV download: its file, its name in the header row, its Chinese name and
    what it holds, in the words of case_schema.yaml (or of the model, for the words it adds)."""

    file: str
    column: str
    label: str
    description: str

    HEADER = ("文件", "列名", "名称", "说明")

    @property
    def row(self) -> tuple[str, str, str, str]:
        return self.file, self.column, self.label, self.description


def codebook() -> list[CodebookEntry]:
    """Every column of cases.csv, then of metrics.csv, in their order."""
    schema = schema_node(Case)
    cases_csv, metrics_csv = CASES_CSV.rpartition("/")[2], METRICS_CSV.rpartition("/")[2]
    entries = []
    for column in _columns(schema, ()):
        node = node_at(schema, column)
        if column == ("metrics",):  # the figures are counted here and listed in metrics.csv
            label, description = f"{label_of(node)}条数", f"这个案例有几条数据；每条数据是 {metrics_csv} 的一行。"
        else:
            label, description = label_of(node), _described(node)
            if 0 in column or "array" in types_of(node):
                description += "（有多项时，每项占单元格的一行）"
        entries.append(CodebookEntry(cases_csv, _column_name(column), label, description))
    case_id = node_at(schema, ("id",))
    entries.append(CodebookEntry(metrics_csv, METRIC_CASE_COLUMN, label_of(case_id),
                                 f"这条数据所属的案例，即 {cases_csv} 的 id 列。"))
    metric = schema_node(Metric)
    for name in _metric_fields():
        node = metric["properties"].get(name) or {"description": Metric.DISPLAY_TEXTS[name]}
        entries.append(CodebookEntry(metrics_csv, name, label_of(node), _described(node)))
    return entries


def _described(node: dict) -> str:
    return " ".join(node["description"].split())


# --- the dataset as a whole: its version and date, for citing it ---

@dataclass(frozen=True)
class Dataset:
    """The downloads as one citable dataset. Both parts come from the data, never from the
    clock of the build: the same cases and sources give the same version on any machine."""

    date: str    # the newest date in the data: of a source article, a repost or an archiving
    digest: str  # of the content of the dataset's files

    @property
    def version(self) -> str:
        return f"{self.date}.{self.digest}" if self.date else self.digest

    @property
    def gbt7714(self) -> str:
        """GB/T 7714-2015 for an online dataset, up to the access date: ``责任者. 题名[DS/OL]. (更新日期)``."""
        updated = f". ({self.date})" if self.date else "."
        return f"{SITE_NAME}. {SITE_NAME}数据集: {self.version} 版[DS/OL]{updated}"


def dataset(catalog: Catalog, files: dict[str, str]) -> Dataset:
    """The version of the downloads ``export_files`` made of ``catalog``."""
    dates = [date for case in catalog.cases for source in case.sources for date in (source.date, source.reposted)]
    dates += [archived.archived for archived in catalog.archive]
    return Dataset(max(filter(None, dates), default=""), content_hash(*(files[path] for path in DATASET_FILES)))


@dataclass(frozen=True)
class _CaseExport:
    """What the downloads hold of one case: its record (cases.json and its own JSON file), its
    row of cases.csv (one column per schema field) and its rows of metrics.csv."""

    record: dict
    json: str
    json_in_list: str  # the same, one level deeper, as cases.json holds it
    row: str           # CSV lines
    metric_rows: str

    @classmethod
    def of(cls, case: Case, columns: list[tuple], metric_fields: list[str]) -> "_CaseExport":
        record = case_record(case)
        # A list puts one item per line in its cell; metrics are counted here, listed in metrics.csv.
        row = [_cell(_values(record, column)) for column in columns]
        metric_rows = [[inert(case.id), *(_cell(_values(_record(metric), (name,))) for name in metric_fields)]
                       for metric in case.metrics]
        text = _json(record)
        return cls(record, text, textwrap.indent(text.rstrip("\n"), " "), _csv_lines([row]), _csv_lines(metric_rows))


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def _json_list(item_texts: list[str]) -> str:
    """What ``_json`` gives for the list of the values these texts encode (each already one
    level deeper), made from the texts kept per case between builds rather than by encoding
    every case again."""
    if not item_texts:
        return _json([])
    return "[\n" + ",\n".join(item_texts) + "\n]\n"


def _csv(header: list[str], lines: list[str]) -> str:
    # A BOM so that Excel, which many trainers use, opens the Chinese text correctly.
    return "\ufeff" + _csv_lines([header]) + "".join(lines)


def _csv_lines(rows) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def _columns(node: dict, prefix: tuple) -> list[tuple]:
    columns = []
    for name, prop in node.get("properties", {}).items():
        path, items = prefix + (name,), prop.get("items", {})
        if prop.get("x-export") is False:
            continue
        if path == ("metrics",):
            columns.append(path)
        elif "object" in types_of(prop):
            columns += _columns(prop, path)
        elif "object" in types_of(items):
            columns += _columns(object_form(items), path + (0,))
        else:
            columns.append(path)
    return columns


def _column_name(column: tuple) -> str:
    return field_path(column).replace("[0]", "[]")


def _values(record, column: tuple) -> list:
    """Every value at ``column`` in the record; ``0`` in a column stands for every item of a list.
    Each item of a list gives one line, empty when it lacks the field, so that the lines of two
    columns (an outcome's text and its status) stay side by side."""
    if not column:
        return record if isinstance(record, list) else [record]
    if isinstance(record, list):
        return [value for item in record
                for value in _values({TEXT_FIELD: item} if isinstance(item, str) else item, column[1:]) or [""]]
    if column[0] == "metrics" and len(column) == 1:
        return [len(record.get("metrics", []))]
    return _values(record[column[0]], column[1:]) if column[0] in record else []


def _cell(values: list) -> str | int | float:
    if len(values) == 1 and not isinstance(values[0], str):
        return values[0]  # a figure stays a number: Excel reads it as one, never as a formula
    if all(value == "" for value in values):
        return ""
    return inert("\n".join(str(value) for value in values))


# A cell of text starting with one of these is read as a formula by Excel and WPS
# (=HYPERLINK(...) from a submitted title would be a live link in a trainer's spreadsheet).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(text: str) -> str:
    """Text as a spreadsheet shows it rather than runs it: with a leading ' when it would start a
    formula (the OWASP rule for CSV files)."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text
