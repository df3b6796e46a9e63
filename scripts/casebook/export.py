"""Downloads made on every build: all cases as JSON and CSV, metrics as CSV, one JSON per case.

The JSON is shaped like the case files (the schema's field names), so a tool that reads
cases.json can read a case file and the other way round.
"""

from __future__ import annotations

import csv
import io
import json

from .catalog import Catalog
from .model import Case, Metric

CASES_JSON = "downloads/cases.json"
CASES_CSV = "downloads/cases.csv"
METRICS_CSV = "downloads/metrics.csv"
SCHEMA_JSON = "downloads/case.schema.json"


def case_json_uri(case_id: str) -> str:
    """One small file per case, for pages that show a few cases (compare)."""
    return f"api/cases/{case_id}.json"


def case_record(case: Case) -> dict:
    """A case as the schema names its fields; empty optional fields left out."""
    def compact(values: dict) -> dict:
        return {key: value for key, value in values.items() if value not in ("", None, (), [])}

    record = {
        "id": case.id, "title": case.title, "summary": case.summary,
        "region": compact({"province": case.region.province, "city": case.region.city,
                           "county": case.region.county, "town": case.region.town,
                           "community": case.region.community, "setting": case.region.setting}),
        "level": case.level,
        "period": compact({"start": case.period.start, "end": case.period.end,
                           "ongoing": case.period.ongoing or None}) if case.period else None,
        "background": case.background,
        "practice": {"name": case.practice.name, "description": case.practice.description,
                     "measures": [{"title": m.title, "detail": m.detail} for m in case.practice.measures],
                     "actors": [{"name": a.name, "role": a.role} for a in case.practice.actors]},
        "metrics": [_metric_record(m) for m in case.metrics],
        "outcomes": list(case.outcomes), "lessons": list(case.lessons), "lessons_origin": case.lessons_origin,
        "tags": list(case.tags),
        "sources": [compact({"title": s.title, "publisher": s.publisher, "author": s.author, "date": s.date,
                             "url": s.url}) for s in case.sources],
    }
    return compact(record)


def _metric_record(metric: Metric) -> dict:
    record = {"label": metric.label, "value": metric.value, "value_max": metric.value_max, "unit": metric.unit,
              "qualifier": metric.qualifier, "period": metric.period, "quote": metric.quote, "kind": metric.kind}
    return {key: value for key, value in record.items() if value not in ("", None)}


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
    header = ["id", "title", "province", "city", "county", "town", "community", "setting", "level",
              "period_start", "period_end", "practice", "tags", "metrics", "lessons_origin",
              "source_title", "source_publisher", "source_date", "source_url", "summary"]
    rows = []
    for case in catalog.cases:
        region, first_source = case.region, case.sources[0]
        rows.append([case.id, case.title, region.province, region.city, region.county, region.town,
                     region.community, region.setting, case.level,
                     case.period.start if case.period else "", case.period.end if case.period else "",
                     case.practice.name, ";".join(case.tags), len(case.metrics), case.lessons_origin,
                     first_source.title, first_source.publisher, first_source.date, first_source.url, case.summary])
    return _csv(header, rows)


def _metrics_csv(catalog: Catalog) -> str:
    header = ["case_id", "label", "value", "value_max", "unit", "qualifier", "period", "quote"]
    rows = [[case.id, m.label, m.value, "" if m.value_max is None else m.value_max, m.unit, m.qualifier,
             m.period, m.quote] for case in catalog.cases for m in case.metrics]
    return _csv(header, rows)
