"""What the browser's ``submission-check`` needs to check a case as `casebook validate --strict`
does, made from the Python rules at build time so the two never drift.

The generated script ``assets/javascripts/submission-rules.js`` (``rules_script``, loaded by the
在线投稿 page only) hands it to submission-check.js as the module "submission-rules": the schema
with its enums filled from the vocabularies (the schema rules), where the quotes are (the
provenance rules), the claims lint's words (``claims.browser_rules``, with the marks by which
``provenance.quote_span`` finds a quote's sentence; claims-check.js applies them), the figure
rules' word lists (``casebook.numerals``, the schema's qualifiers
and cn2an's own patterns) and the traditional -> simplified table by which those rules read a
quote in traditional characters: every character of the CJK block that OpenCC simplifies, one by
one (``analysis.to_simplified``; a variant such as 為 or 眾, which the search's table made from
the simplified side leaves out, included), since an article may use any.

Rules that cannot run in a browser are listed in ``AFTER_SUBMISSION``: the page names them and
says the maintainers check them once the case is sent.
"""

from __future__ import annotations

import json
from functools import lru_cache

import cn2an
from cn2an import conf as cn2an_tables

from . import claims, numerals, provenance, validate
from .analysis import to_simplified
from .model import metric_qualifiers
from .problems import DRAFT_PLACEHOLDER, ERROR, WARNING
from .routes import RESERVED_NAMES
from .schema import quote_paths, resolved_schema
from .submission import pinyin_table
from .vocabulary import Vocabulary

RULES_SCRIPT = "assets/javascripts/submission-rules.js"

# What `casebook validate --strict` checks that the page cannot, in a contributor's words.
AFTER_SUBMISSION = (
    "案例编号与案例库中其他案例是否重复（页面只能对照生成网站时已有的案例）",
    "报道原文存档的格式（提交后由程序生成存档文件）",
)

_CJK_BLOCK = range(0x4E00, 0xA000)


def rules_data(vocabulary: Vocabulary) -> dict:
    schema = resolved_schema(vocabulary)
    before, after = metric_qualifiers()
    return {
        "schema": schema,
        "quotePaths": [list(path) for path in quote_paths(schema)],
        "placeholder": DRAFT_PLACEHOLDER,
        "markup": validate._MARKUP.pattern, "reservedNames": sorted(RESERVED_NAMES), "dateHint": validate.DATE_HINT,
        "sourceDates": {"sameArticleDays": provenance.SAME_ARTICLE_DAYS, "yearsBeforePeriod": provenance.YEARS_BEFORE_PERIOD},
        "levels": {"error": ERROR, "warning": WARNING},
        "qualifiers": {"before": list(before), "after": list(after)},
        "numerals": {
            "digitChars": numerals.DIGIT_CHARS, "leadingUnits": numerals.LEADING_UNITS,
            "magnitudes": numerals.MAGNITUDES, "measureWords": numerals.MEASURE_WORDS,
            "percentWords": numerals.PERCENT_WORDS, "rateWord": numerals.RATE_WORD,
            "qualifierSpellings": numerals.QUALIFIER_SPELLINGS, "notQualifiers": list(numerals.NOT_QUALIFIERS),
            "notQualifiersAfter": list(numerals.NOT_QUALIFIERS_AFTER),
            "ambiguousBeforeTime": {key: list(value) for key, value in numerals.AMBIGUOUS_BEFORE_TIME.items()},
            "cumulative": numerals.CUMULATIVE, "rangeMarks": numerals.RANGE_MARKS,
        },
        "cn2an": _cn2an_rules(),
        "variants": _variants(),
        "claims": {**claims.browser_rules(), "quoteSentence": {
            "sentenceEnd": provenance._SENTENCE_END, "lineBreak": provenance._LINE_BREAK.pattern,
            "headingCharacters": provenance.HEADING_CHARACTERS, "breakByCjk": provenance._BREAK_BY_CJK.pattern}},
        "afterSubmission": list(AFTER_SUBMISSION),
    }


@lru_cache(maxsize=1)
def _variants() -> dict[str, str]:
    return {character: simple for character in map(chr, _CJK_BLOCK)
            if len(simple := to_simplified(character)) == 1 and simple != character}


@lru_cache(maxsize=2)
def rules_script(vocabulary: Vocabulary) -> str:
    """The modules "submission-rules" (the rules' data) and "pinyin" (the case id's spelling,
    ``submission.pinyin_table``) of the browser's scripts (casebook.js)."""
    rules = json.dumps(rules_data(vocabulary), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    pinyin = json.dumps(pinyin_table(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return ("// Generated at build time by casebook.submission_rules from the Python rules, the schema and the\n"
            "// vocabularies; do not edit. submission-check.js and submit.js read it.\n"
            f"casebook.provide(\"submission-rules\", {rules});\n"
            f"casebook.provide(\"pinyin\", {pinyin});\n")


def _cn2an_rules() -> dict:
    """cn2an's own patterns and tables (``numerals.chinese_to_number`` reads numerals with it), for
    the port of its "smart" reading in the browser."""
    reader = cn2an.cn2an.__self__
    return {
        "int": reader.pattern_dict["normal"]["int"].pattern, "dec": reader.pattern_dict["normal"]["dec"].pattern,
        "allNum": reader.ptn_all_num.pattern, "speaking": reader.ptn_speaking_mode.pattern,
        "whole": reader.pattern1.pattern, "bigUnitMissingZero": reader.ptn_big_unit_missing_zero.pattern,
        "thousandMissingZero": reader.ptn_thousand_missing_zero.pattern,
        "unitMissingOne": reader.ptn_unit_missing_one.pattern, "zeroBeforeThousand": reader.ptn_zero_before_thousand.pattern,
        "checkChars": reader.check_key_dict["smart"], "numbers": cn2an_tables.NUMBER_CN2AN, "units": cn2an_tables.UNIT_CN2AN,
        "unitOrder": cn2an_tables.UNIT_LOW_ORDER_AN2CN, "lowUnits": {str(k): v for k, v in cn2an_tables.UNIT_LOW_AN2CN.items()},
        "lowNumbers": "".join(cn2an_tables.NUMBER_LOW_AN2CN[d] for d in range(10)),
    }
