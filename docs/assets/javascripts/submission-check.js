// The module "submission-check": check(case, article) -> [{path, message, hint, level, advice?}], the verdict
// of `casebook validate --strict` on a case as `casebook intake` writes it, for the 在线投稿 form.
// Every rule here is a port of a Python rule, named beside it: the schema rules (casebook.validate
// _SchemaMessages, over the schema the page carries), the rules beyond the schema (validate
// _CaseRules: text, dates, period, lessons, a figure's value, unit and qualifier against its quote,
// read as casebook.numerals reads them), and the provenance rules (casebook.provenance: every quote
// found in the archived article with the validator's folding, outcomes without their quote,
// editor's marks that name no field), and the claims lint (casebook.claims, in claims-check.js).
// Paths are the validator's (metrics[0].unit); levels its
// severities. The data the rules need (schema, qualifiers, measure words, the traditional ->
// simplified table) is made by casebook.submission_rules at build time (submission-rules.js);
// tests/browser/test_submission_check.py runs a corpus through both and fails on any disagreement.
// Loaded by the 在线投稿 page only.
casebook.define("submission-check", ["submission-rules", "claims-check"], (RULES, claimsCheck) => {
  "use strict";
  const ERROR = RULES.levels.error;
  const WARNING = RULES.levels.warning;
  const N = RULES.numerals;
  const VARIANTS = RULES.variants;
  const PLACEHOLDER = RULES.placeholder;

  // --- text: code points, folding, traditional characters ------------------------------------

  const codePoints = text => Array.from(text);
  const length = text => codePoints(text).length;
  // Python's str.isspace (the validator's white space), which \s almost is.
  // eslint-disable-next-line no-control-regex -- \x1c-\x1f are white space to Python, not to \s
  const isSpace = ch => (/\s/.test(ch) && ch !== "\ufeff") || /[\x1c-\x1f\x85]/.test(ch);
  const isPlaceholder = value => typeof value === "string" && value.replace(/^\s+/, "").startsWith(PLACEHOLDER);
  function simplified(text) {
    let out = "";
    for (const ch of text) out += Object.prototype.hasOwnProperty.call(VARIANTS, ch) ? VARIANTS[ch] : ch;
    return out;
  }

  // provenance._normalized: NFKC, white space dropped, with each character's offset.
  function normalized(text) {
    const chars = [];
    const offsets = [];
    let offset = 0;
    for (const ch of text) {
      for (const folded of ch.normalize("NFKC")) {
        if (!isSpace(folded)) { chars.push(folded); offsets.push(offset); }
      }
      offset += ch.length;
    }
    return { text: chars.join(""), offsets };
  }

  // --- numbers as Chinese news text writes them (casebook.numerals) ---------------------------

  // numerals._fold: NFKC, white space and digit-grouping commas dropped; offsets into the text.
  function fold(text) {
    const chars = [];
    const offsets = [];
    let offset = 0;
    for (const ch of text) {
      const next = offset + ch.length;
      for (const folded of ch.normalize("NFKC")) {
        if (isSpace(folded)) continue;
        if (folded === "," && chars.length && /\d/.test(chars[chars.length - 1]) && /^\d{3}(?!\d)/.test(text.slice(next))) continue;
        chars.push(folded);
        offsets.push(offset);
      }
      offset = next;
    }
    return { text: chars.join(""), offsets };
  }

  const escape = text => text.replace(/[\\\]^-]/g, "\\$&");
  const NUMERAL_CHARS = N.digitChars + "十拾" + N.leadingUnits;
  const PART = `(?:\\d+(?:\\.\\d+)?|[${escape(NUMERAL_CHARS)}])`;
  const CHINESE = new RegExp(`${PART}*[${escape(NUMERAL_CHARS)}]${PART}*(?:点[${escape(N.digitChars)}]+)?`, "g");
  const ARABIC = /\d+(?:\.\d+)?/g;
  // cn2an's reading of a numeral (its "smart" mode), which numerals.chinese_to_number calls: a
  // port of cn2an 0.5 with its own patterns and tables (RULES.cn2an, taken from the library).
  const C = RULES.cn2an;
  const whole = source => new RegExp(source.replace(/^\^?/, "^").replace(/\$?$/, "$"));
  const CN = { int: whole(C.int), dec: whole(C.dec), allNum: whole(C.allNum), speaking: whole(C.speaking),
               digits: whole(C.whole), bigUnitMissingZero: new RegExp(C.bigUnitMissingZero, "g"),
               thousandMissingZero: new RegExp(C.thousandMissingZero, "g"),
               unitMissingOne: new RegExp(C.unitMissingOne, "g"), zeroBeforeThousand: new RegExp(C.zeroBeforeThousand, "g") };
  const LOW = C.lowNumbers;  // 零一二…九

  // cn2an's An2Cn.an2cn(digits, "low"): 305 -> 三百零五, 15 -> 十五.
  function an2cn(digits) {
    const text = digits.replace(/^0+(?=\d)/, "");
    const size = text.length;
    if (size > C.unitOrder.length) return null;
    let out = "";
    [...text].forEach((d, i) => {
      if (Number(d)) { out += LOW[Number(d)] + C.unitOrder[size - i - 1]; return; }
      if (!((size - i - 1) % 4)) out += LOW[0] + C.unitOrder[size - i - 1];
      if (i > 0 && out.slice(-1) !== LOW[0]) out += LOW[0];
    });
    out = out.replace(/零零/g, "零").replace(/零万/g, "万").replace(/零亿/g, "亿").replace(/亿万/g, "亿").replace(/^零+|零+$/g, "");
    out = out.replace(/([万亿])零([一二三四五六七八九壹贰叁肆伍陆柒捌玖][千仟])/g, "$1$2");
    if (out.startsWith("一十")) out = out.slice(1);
    return out || LOW[0];
  }
  const copied = digits => [...digits].map(d => LOW[Number(d)]).join("");

  // "1.25" * 10^k without binary rounding (cn2an multiplies Decimals).
  function shifted(digits, power) {
    const [integer, part = ""] = digits.split(".");
    const moved = part.padEnd(power, "0");
    return Number(integer + moved.slice(0, power) + "." + (moved.slice(power) || "0"));
  }

  function integerValue(text) {
    let output = 0;
    let unit = 1;
    let tenThousands = 1;
    const reversed = [...text].reverse();
    for (let index = 0; index < reversed.length; index++) {
      const ch = reversed[index];
      if (ch in C.numbers) {
        output += C.numbers[ch] * unit;
      } else if (ch in C.units) {
        unit = C.units[ch];
        if (unit % 10000 === 0) {
          if (unit > tenThousands) tenThousands = unit;
          else { tenThousands = unit * tenThousands; unit = tenThousands; }
        }
        if (unit < tenThousands) unit *= tenThousands;
        if (index === reversed.length - 1) output += unit;
      } else {
        return null;
      }
    }
    return Math.trunc(output);
  }
  const directValue = text => Number([...text].map(ch => C.numbers[ch]).join(""));

  function chineseToNumber(numeral) {
    if (N.leadingUnits.includes(numeral[0])) numeral = "一" + numeral;  // 百余期: one hundred
    const data = simplified(numeral).normalize("NFKC").replace(/零十/g, "零一十").replace(/零百/g, "零一百");
    if (![...data].every(ch => C.checkChars.includes(ch))) return null;
    let integer;
    let decimal = null;
    if (data.includes("点")) {
      const halves = data.split("点");
      if (halves.length !== 2) return null;
      integer = halves[0].replace(/\d+/g, an2cn);
      decimal = halves[1].replace(/\d+/g, copied);
    } else {
      const digits = CN.digits.exec(data);
      if (digits) {
        const unit = data.slice(-1);
        return unit in C.units ? Math.trunc(shifted(data.slice(0, -1), Math.log10(C.units[unit]))) : Number(data);
      }
      integer = data.replace(/\d+/g, d => d.length > 1 && d[0] === "0" ? copied(d) : an2cn(d));
    }
    integer = integer.replace(CN.zeroBeforeThousand, "$1").replace(CN.bigUnitMissingZero, "$1零$2")
      .replace(CN.thousandMissingZero, "$1零$2").replace(CN.unitMissingOne, "$1一$2").replace(/零十/g, "零一十").replace(/零拾/g, "零一拾");
    const decimalOk = decimal === null || CN.dec.test(decimal);
    let value = null;
    if (CN.int.test(integer)) {
      if (decimalOk) value = integerValue(integer);
    } else if (CN.allNum.test(integer)) {
      if (decimalOk) value = directValue(integer);
    } else {
      const spoken = CN.speaking.exec(integer);
      if (integer.length >= 3 && spoken && decimalOk) {
        const lower = C.lowUnits[String(C.units[spoken[1].slice(-1)] / 10)];
        if (lower === undefined) return null;  // cn2an raises KeyError (十, 亿)
        value = integerValue(integer + lower);
      }
    }
    if (value === null) return null;
    return decimal ? Number(`${value}.${[...decimal].map(ch => C.numbers[ch]).join("")}`) : value;
  }

  // numerals._numbers_at: each number of folded text with where it starts and ends.
  function numbersAt(folded) {
    const found = [];
    for (const match of folded.matchAll(ARABIC)) found.push([Number(match[0]), match.index, match.index + match[0].length]);
    for (const match of folded.matchAll(CHINESE)) {
      const numeral = match[0];
      const start = match.index;
      const value = chineseToNumber(numeral);
      if (value !== null) found.push([value, start, start + numeral.length]);
      const head = numeral.slice(0, -1);
      if (N.magnitudes.includes(numeral.slice(-1)) && head && ![...head].some(ch => N.magnitudes.includes(ch)) && !/^\d+$/.test(head)) {
        const less = chineseToNumber(head);
        if (less !== null) found.push([less, start, start + numeral.length - 1]);
      }
    }
    return found;
  }

  const sameNumber = (value, text) => numbersAt(fold(text).text).some(([number]) => number === value);

  // numerals.WrittenFigure: one place where a quote writes a number (or a range).
  function figure(quote, folded, beforeEnd, afterStart, percent, start, end) {
    const self = { quote, folded, beforeEnd, afterStart, percent, start, end };
    self.before = folded.slice(0, beforeEnd);
    self.after = (percent ? "%" : "") + folded.slice(afterStart);
    self.readings = function () {
      const readings = [[self.before, self.after]];
      const simple = simplified(folded);
      if (simple !== folded && simple.length === folded.length) {
        readings.push([simple.slice(0, beforeEnd), (percent ? "%" : "") + simple.slice(afterStart)]);
      }
      return readings;
    };
    self.unitQualifier = function (unit, afterQualifiers) {
      for (const [before, after] of self.readings()) {
        for (const base of unitSpellings(fold(unit).text, before + after)) {
          const baseChars = codePoints(base);
          for (const qualifier of afterQualifiers) {
            for (let k = 0; k < baseChars.length; k++) {
              if (after.startsWith(baseChars.slice(0, k).join("") + qualifier + baseChars.slice(k).join(""))) return qualifier;
            }
            // 12次多方协商: 多方 is not 多 after the unit.
            if (after.startsWith(base + qualifier) && !N.notQualifiersAfter.some(word => after.slice(base.length).startsWith(word))) return qualifier;
          }
          if (after.startsWith(base)) return "";
        }
      }
      return null;
    };
    self.qualifiersBefore = function (beforeQualifiers) {
      let found = {};
      const spellings = {};
      for (const q of beforeQualifiers) spellings[q] = q;
      Object.assign(spellings, N.qualifierSpellings);
      for (const [before] of self.readings()) {
        if (N.notQualifiers.some(word => before.endsWith(word))) continue;
        for (const [spelling, meaning] of Object.entries(spellings)) {
          if (beforeQualifiers.includes(meaning) && before.endsWith(spelling)) found[meaning] = spelling;
        }
        if (beforeQualifiers.includes(N.cumulative) && before.includes(N.cumulative)) found[N.cumulative] = N.cumulative;
        if (Object.keys(found).length) break;
        found = {};
      }
      return found;
    };
    self.withoutQualifier = function (afterQualifiers) {
      const texts = [];
      for (const [, after] of self.readings()) {
        texts.push(after);
        for (const qualifier of afterQualifiers) {
          const at = after.slice(0, 4).indexOf(qualifier);  // within the first four characters
          if (at >= 0) texts.push(after.slice(0, at) + after.slice(at + qualifier.length));
        }
      }
      return texts;
    };
    self.longerUnit = function (unit, afterQualifiers) {
      unit = fold(unit).text;
      for (const text of self.withoutQualifier(afterQualifiers)) {
        if (!text.startsWith(unit)) continue;
        for (let cut = 0; cut < unit.length; cut++) {
          const tail = unit.slice(cut);
          const word = N.measureWords.find(w => w.length > tail.length && w.startsWith(tail) && text.startsWith(w, cut));
          if (word) return unit.slice(0, cut) + word;
        }
      }
      return "";
    };
    self.measureWord = function (afterQualifiers) {
      let longest = "";
      for (const text of self.withoutQualifier(afterQualifiers)) {
        let word = N.measureWords.find(w => text.startsWith(w)) || "";
        if (word && N.magnitudes.includes(word)) word += N.measureWords.find(w => text.startsWith(w, word.length)) || "";
        if (word.length > longest.length) longest = word;
      }
      return longest;
    };
    self.rangeFollows = function () {
      return Boolean(self.after[0]) && N.rangeMarks.includes(self.after[0]) && numbersAt(self.after.slice(1, 2)).length > 0;
    };
    self.writtenWith = function (word, afterQualifiers) {
      let size = word.length;
      if (!percent) {
        for (let n = word.length; n < word.length + 3; n++) {
          const piece = fold(quote.slice(end, end + n)).text;
          const spellings = [piece, simplified(piece)];
          const bare = spellings.flatMap(text => afterQualifiers.map(q => text.replace(q, "")));
          if (spellings.concat(bare).includes(word)) { size = n; break; }
        }
      }
      return quote.slice(start, end) + (percent ? "" : quote.slice(end, end + size));
    };
    self.around = function (characters = 8) {
      const from = Math.max(0, start - characters);
      const to = Math.min(quote.length, end + characters);
      return (from ? "…" : "") + quote.slice(from, to) + (to < quote.length ? "…" : "");
    };
    return self;
  }

  function unitSpellings(unit, text) {
    const spellings = [unit];
    if (unit.includes("/")) {
      const [base, per] = [unit.slice(0, unit.indexOf("/")), unit.slice(unit.indexOf("/") + 1)];
      if (base && text.includes(N.rateWord + per)) spellings.push(base);
    }
    return spellings;
  }

  function rangeEnd(folded, end, numbers, upper) {
    let mark = end;
    while (mark < Math.min(folded.length, end + 4) && !N.rangeMarks.includes(folded[mark]) && !numbersAt(folded[mark]).length) mark += 1;
    if (mark >= folded.length || !N.rangeMarks.includes(folded[mark])) return null;
    const found = numbers.find(([number, start]) => start === mark + 1 && number === upper);
    return found ? found[2] : null;
  }

  function writtenFigures(quote, value, valueMax) {
    const { text: folded, offsets } = fold(quote);
    const numbers = numbersAt(folded);
    const figures = [];
    const ordered = numbers.slice().sort((a, b) => a[1] - b[1] || a[2] - b[2]);
    for (const [number, start, stop] of ordered) {
      if (number !== value) continue;
      let end = stop;
      if (valueMax !== undefined && valueMax !== null) {
        end = rangeEnd(folded, end, numbers, valueMax);
        if (end === null) continue;
      }
      const percent = folded.slice(0, start).endsWith(N.percentWords);
      const beforeEnd = percent ? start - N.percentWords.length : start;
      figures.push(figure(quote, folded, beforeEnd, end, percent, offsets[beforeEnd], offsetEnd(quote, offsets[end - 1])));
    }
    return figures;
  }
  // The offset just after the character at ``offset`` (a character beyond U+FFFF takes two).
  const offsetEnd = (text, offset) => offset + (text.codePointAt(offset) > 0xffff ? 2 : 1);

  // --- the schema rules (validate._SchemaMessages over jsonschema's errors) -------------------

  const TYPE_NAMES = { string: "文字", integer: "整数", number: "数字", boolean: "true 或 false",
    object: "一组字段", array: "列表", null: "空" };
  const DATE_HINT = RULES.dateHint;

  const forms = node => node.oneOf || [node];
  const ownTypes = node => node.type === undefined ? [] : [].concat(node.type);
  const typesOf = node => forms(node).flatMap(ownTypes);
  function formOf(node, value) {
    const kind = isObject(value) ? "object" : typeof value === "string" ? "string" : null;
    return forms(node).find(form => ownTypes(form).includes(kind)) || node;
  }
  const isObject = value => value !== null && typeof value === "object" && !Array.isArray(value);
  function typeOf(value) {
    if (value === null || value === undefined) return "null";
    if (typeof value === "boolean") return "boolean";
    if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
    if (typeof value === "string") return "string";
    return Array.isArray(value) ? "array" : "object";
  }
  function hasType(value, type) {
    const found = typeOf(value);
    return found === type || (type === "number" && found === "integer");
  }
  function equal(a, b) {
    if (typeOf(a) !== typeOf(b) && !(typeof a === "number" && typeof b === "number")) return false;
    return JSON.stringify(a) === JSON.stringify(b);
  }
  const preview = value => {
    const text = typeof value === "string" ? value : JSON.stringify(value);
    return length(text) > 30 ? `“${codePoints(text).slice(0, 30).join("")}…”` : `“${text}”`;
  };
  // Python's re.search with the pattern as written: \d is any decimal digit there.
  const patterns = {};
  const patternOf = source => patterns[source] || (patterns[source] = new RegExp(source.replace(/\\d/g, "\\p{Nd}"), "u"));

  // jsonschema's errors for ``value`` at ``parts``: {keyword, parts, node, value, context}.
  function schemaErrors(value, node, parts) {
    const errors = [];
    const add = (keyword, extra) => errors.push(Object.assign({ keyword, parts, node, value }, extra));
    if (node.type !== undefined && !ownTypes(node).some(type => hasType(value, type))) add("type");
    if (node.enum && !node.enum.some(option => equal(option, value))) add("enum");
    if (node.oneOf) {
      const branches = node.oneOf.map(form => schemaErrors(value, form, parts));
      if (branches.filter(found => !found.length).length !== 1) add("oneOf", { context: branches });
    }
    if (typeof value === "string") {
      if (node.minLength !== undefined && length(value) < node.minLength) add("minLength");
      if (node.maxLength !== undefined && length(value) > node.maxLength) add("maxLength");
      if (node.pattern !== undefined && !patternOf(node.pattern).test(value)) add("pattern");
    }
    if (typeof value === "number") {
      if (node.minimum !== undefined && value < node.minimum) add("minimum");
      if (node.maximum !== undefined && value > node.maximum) add("maximum");
    }
    if (Array.isArray(value)) {
      if (node.minItems !== undefined && value.length < node.minItems) add("minItems");
      if (node.maxItems !== undefined && value.length > node.maxItems) add("maxItems");
      if (node.uniqueItems && value.some((item, i) => value.findIndex(other => equal(other, item)) !== i)) add("uniqueItems");
      if (node.items) value.forEach((item, i) => errors.push(...schemaErrors(item, node.items, parts.concat([i]))));
    }
    if (isObject(value)) {
      if (node.required && node.required.some(name => !(name in value))) add("required");
      const properties = node.properties || {};
      if (node.additionalProperties === false && Object.keys(value).some(name => !(name in properties))) add("additionalProperties");
      for (const [name, item] of Object.entries(value)) {
        if (name in properties) errors.push(...schemaErrors(item, properties[name], parts.concat([name])));
      }
    }
    return errors;
  }

  function schemaMessages(errors, report) {
    const key = parts => JSON.stringify(parts);
    const mistyped = new Set(errors.filter(e => e.keyword === "type").map(e => key(e.parts)));
    for (const error of errors) {
      if (error.keyword !== "type" && isPlaceholder(error.value)) continue;
      if (error.keyword === "type" || !mistyped.has(key(error.parts))) MESSAGES[error.keyword](error, report);
    }
  }

  function typeMessage(error, report) {
    const value = error.value;
    const allowed = typesOf(error.node);
    const wanted = allowed.map(name => TYPE_NAMES[name]).join("或");
    const found = value === null ? "空值" : `${TYPE_NAMES[typeOf(value)]} ${preview(value)}`;
    let hint = "";
    if (allowed.includes("number") && typeof value === "string") hint = "数值只写阿拉伯数字，如 305 或 1.5；“余”“约”是限定词，另选";
    report(error.parts, `应为${wanted}，实际是${found}`, hint);
  }

  const MESSAGES = {
    type: typeMessage,
    oneOf(error, report) {
      const form = formOf(error.node, error.value);
      if (form === error.node) { typeMessage(error, report); return; }
      schemaMessages(error.context[forms(error.node).indexOf(form)], report);
    },
    required(error, report) {
      const properties = error.node.properties || {};
      for (const name of error.node.required) {
        if (!(name in error.value)) report(error.parts.concat([name]), "必填，还没有填写", (properties[name] || {}).description || "");
      }
    },
    additionalProperties(error, report) {
      const properties = error.node.properties || {};
      for (const name of Object.keys(error.value)) {
        if (!(name in properties)) report(error.parts.concat([name]), `未知字段 ${name}`, `这里可以用的字段：${Object.keys(properties).join("、")}`);
      }
    },
    minItems: (error, report) => report(error.parts, `至少要写 ${error.node.minItems} 项，现在有 ${error.value.length} 项`),
    maxItems: (error, report) => report(error.parts, `最多写 ${error.node.maxItems} 项，现在有 ${error.value.length} 项`),
    uniqueItems(error, report) {
      error.value.forEach((item, index) => {
        if (error.value.findIndex(other => equal(other, item)) !== index) report(error.parts.concat([index]), `${preview(item)} 重复了`, "删除重复的一项");
      });
    },
    minLength(error, report) {
      if (error.value.trim()) report(error.parts, `太短：${length(error.value)} 个字，至少要 ${error.node.minLength} 个字`);
    },
    maxLength: (error, report) => report(error.parts, `太长：${length(error.value)} 个字，最多 ${error.node.maxLength} 个字`),
    pattern(error, report) {
      if (error.node["x-format"] === "partial-date") report(error.parts, `“${error.value}”不是有效的日期`, DATE_HINT);
      else report(error.parts, `格式不对：${preview(error.value)}`, error.node.description || "");
    },
    minimum: (error, report) => report(error.parts, `不能小于 ${error.node.minimum}，实际是 ${error.value}`, "数值写绝对值；“下降”“减少”写在说明里"),
    maximum: (error, report) => report(error.parts, `不能大于 ${error.node.maximum}，实际是 ${error.value}`),
    enum(error, report) {
      const value = String(error.value);
      const near = error.node.enum.filter(option => typeof option === "string" && value && (option.includes(value) || value.includes(option)));
      let hint = near.length ? `你是不是想写 ${near.slice(0, 3).map(o => `“${o}”`).join("、")}？` : "";
      if (error.node.enum.length <= 12) hint += "可选：" + error.node.enum.join("、");
      else if (!near.length) hint = "请从列表中选择";
      report(error.parts, `“${value}”不在允许的取值中`, hint);
    },
  };

  // --- the rules beyond the schema (validate._CaseRules) ---------------------------------------

  const MARKUP = new RegExp(RULES.markup);  // validate._MARKUP: what a browser reads as a tag
  const PARTIAL_DATE = /^(\p{Nd}{4})(?:-(\p{Nd}{1,2})(?:-(\p{Nd}{1,2}))?)?$/u;
  const digits = text => Number(text.normalize("NFKC"));
  // The first day a partial date can mean, as [year, month, day], or null if it is no real date.
  function parseDate(text) {
    const match = PARTIAL_DATE.exec(String(text).trim());
    if (!match) return null;
    const [year, month, day] = [digits(match[1]), match[2] ? digits(match[2]) : 1, match[3] ? digits(match[3]) : 1];
    const date = new Date(Date.UTC(2000, month - 1, day));
    date.setUTCFullYear(year);
    if (year < 1 || month < 1 || month > 12 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
    return date;
  }
  function dateRange(text) {
    if (text === undefined || text === null) return null;
    const first = parseDate(String(text));
    if (!first) return null;
    const dashes = (String(text).trim().match(/-/g) || []).length;
    const last = new Date(first);
    if (dashes === 1) { last.setUTCMonth(last.getUTCMonth() + 1); last.setUTCDate(0); }
    else if (dashes === 0) { last.setUTCMonth(11); last.setUTCDate(31); }
    return [first, last];
  }

  function caseRules(data, schema, today, report) {
    function walk(value, node, parts, required) {
      node = formOf(node, value);
      if (isObject(value)) {
        const properties = node.properties || {};
        for (const [name, item] of Object.entries(value)) {
          if (name in properties) walk(item, properties[name], parts.concat([name]), (node.required || []).includes(name));
        }
      } else if (Array.isArray(value)) {
        value.forEach((item, i) => walk(item, node.items || {}, parts.concat([i]), true));
      } else if (typeof value === "string" && typesOf(node).includes("string")) {
        checkText(value, node, parts, required);
      } else if (Number.isInteger(value) && node["x-format"] === "partial-date") {
        checkDate(String(value), parts);
      }
    }
    function checkText(value, node, parts, required) {
      if (!value.trim()) { report(parts, "不能是空的", required ? "写上内容" : "写上内容，或不填这一项"); return; }
      if (isPlaceholder(value)) { report(parts, "草稿占位：这一项要你自己写", ""); return; }
      const control = [...value].find(ch => /\p{Cc}/u.test(ch) && ch !== "\n" && ch !== "\t");
      if (control !== undefined) {  // the reader of untrusted text refuses it (casebook.untrusted)
        report(parts, `含有不可见的控制字符 U+${control.codePointAt(0).toString(16).toUpperCase().padStart(4, "0")}`, "删除它（常见于从网页或 Word 粘贴）");
      }
      const tag = MARKUP.exec(value);
      if (tag) report(parts, `不能含有网页标记：“${tag[0]}”`, "只写文字；要写尖括号时请用全角的“＜”“＞”");
      if (node["x-format"] === "partial-date") checkDate(value, parts);
    }
    function checkDate(text, parts) {
      const date = parseDate(text);
      if (!date) report(parts, `“${text}”不是有效的日期`, DATE_HINT);
      else if (date > today) report(parts, `日期 ${text} 在未来`, "只记录已经发生的事");
    }

    walk(data, schema, [], true);
    if (!isObject(data)) return;
    if (typeof data.id === "string" && RULES.reservedNames.includes(data.id)) {
      report(["id"], `“${data.id}”是网站自己的页面或目录用的名字，不能作案例编号`, "换一个编号，例如加上地名和做法");
    }
    const period = data.period;
    if (isObject(period)) {
      const start = dateRange(period.start);
      const end = dateRange(period.end);
      if (start && end && end[1] < start[0]) report(["period", "end"], `结束时间 ${period.end} 早于开始时间 ${period.start}`, "检查两个日期是否写反");
      if ("end" in period && period.ongoing === true) report(["period", "ongoing"], "写了结束时间就不能同时选“仍在实施”", "二者只留一个");
    }
    if (data.lessons_origin !== "原文" && Array.isArray(data.lessons)) {
      data.lessons.forEach((lesson, i) => {
        if (isObject(lesson) && "quote" in lesson) {
          report(["lessons", i, "quote"], "编者归纳的经验启示不附原文", "经验由原文总结时，经验启示的来源选“原文”；否则只写一句文字");
        }
      });
    }
    if (Array.isArray(data.metrics)) {
      data.metrics.forEach((metric, i) => { if (isObject(metric)) checkMetric(metric, ["metrics", i], report); });
    }
  }

  const finite = value => typeof value === "number" && Number.isFinite(value);

  function checkMetric(metric, parts, report) {
    const value = metric.value;
    const quote = metric.quote;
    if (!finite(value) || typeof quote !== "string" || !quote.trim()) return;
    if (!sameNumber(value, quote)) {
      report(parts.concat(["quote"]), `原话中找不到数值 ${value}`, "原话要摘录原文中写出这个数字的句子（阿拉伯数字或汉字数字均可）");
      return;
    }
    const upper = metric.value_max;
    let figures;
    if (finite(upper)) {
      if (upper < value) { report(parts.concat(["value_max"]), `区间上限 ${upper} 小于下限 ${value}`); return; }
      if (!sameNumber(upper, quote)) { report(parts.concat(["value_max"]), `原话中找不到区间上限 ${upper}`, "原文不是区间时不填上限"); return; }
      figures = writtenFigures(quote, value, upper);
      if (!figures.length) { report(parts.concat(["value_max"]), `原话没有把 ${value} 到 ${upper} 写成一个区间`, "区间要在原文中连着写，如“2~3个”；不是区间时不填上限"); return; }
    } else {
      figures = writtenFigures(quote, value);
    }
    const unit = metric.unit;
    const qualifier = typeof metric.qualifier === "string" ? metric.qualifier : "";
    if (typeof unit === "string" && unit.trim()) checkFigure(figures, unit, qualifier, parts, !finite(upper), report);
  }

  function checkFigure(figures, unit, qualifier, parts, single, report) {
    const before = RULES.qualifiers.before;
    const after = RULES.qualifiers.after;
    const withUnit = figures.map(f => [f, f.unitQualifier(unit, after)]).filter(([, q]) => q !== null);
    if (!withUnit.length) {
      const f = figures[0];
      const word = f.measureWord(after);
      let hint = "单位要写原文紧跟在数字后面的单位";
      if (single && f.rangeFollows()) hint = "原文写的是一个区间：数值写下限，上限写在“区间上限”，单位写上限后面的单位";
      else if (word) hint = `原文写的是“${f.writtenWith(word, after)}”，单位应写“${word}”，不是“${unit}”`;
      report(parts.concat(["unit"]), `单位“${unit}”与原文不符，原文是“${f.around()}”`, hint);
      return;
    }
    for (const [f] of withUnit) {
      const longer = f.longerUnit(unit, after);
      if (longer) {
        report(parts.concat(["unit"]), `单位“${unit}”不完整，原文是“${f.around()}”`, `原文写的是“${f.writtenWith(longer, after)}”，单位应写“${longer}”，不是“${unit}”`);
        return;
      }
    }
    const found = withUnit.map(([f, q]) => Object.assign(f.qualifiersBefore(before), q ? { [q]: q } : {}));
    if (qualifier) {
      if (found.some(qualifiers => qualifier in qualifiers)) return;
      const keys = Object.keys(found[0]).sort();
      const hint = keys.length ? `原文用的是“${found[0][keys[0]]}”，限定词应选“${keys[0]}”，不是“${qualifier}”` : "原文在这个数字前后没有限定词：不要选限定词";
      report(parts.concat(["qualifier"]), `限定词“${qualifier}”与原文不符，原文是“${withUnit[0][0].around()}”`, hint);
      return;
    }
    const ambiguous = qualifiers => new Set(Object.keys(qualifiers).filter(q => (N.ambiguousBeforeTime[q] || []).some(end => unit.endsWith(end))));
    const sets = found.map(qualifiers => {
      const skip = ambiguous(qualifiers);
      return Object.keys(qualifiers).filter(q => q !== N.cumulative && !skip.has(q));
    });
    const common = sets.reduce((a, b) => a.filter(q => b.includes(q)));
    if (common.length) {
      const missing = common.sort()[0];
      report(parts.concat(["qualifier"]), `缺少限定词，原文是“${withUnit[0][0].around()}”`, `原文在数字旁写了“${found[0][missing]}”，限定词请选“${missing}”`);
    }
  }

  // --- the provenance rules (provenance._check_case) ----------------------------------------

  function valuesAt(node, path, parts) {
    if (!path.length) return [[parts, node]];
    const [head, ...rest] = path;
    if (head === 0) return Array.isArray(node) ? node.flatMap((item, i) => valuesAt(item, rest, parts.concat([i]))) : [];
    return isObject(node) && head in node ? valuesAt(node[head], rest, parts.concat([head])) : [];
  }

  function resolves(data, path) {
    if (!/^[A-Za-z_]+(\.[A-Za-z_]+|\[\d+\])*$/.test(path)) return false;
    let node = data;
    for (const [, name, index] of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
      if (name !== undefined) {
        if (!isObject(node) || !(name in node)) return false;
        node = node[name];
      } else {
        if (!Array.isArray(node) || Number(index) >= node.length) return false;
        node = node[Number(index)];
      }
    }
    return true;
  }

  // The passage of the article most like the quote, for the message (provenance.nearest_passage).
  function nearest(article, quote) {
    const haystack = normalized(article);
    const needle = normalized(quote).text;
    if (!needle || !haystack.text) return "";
    const wanted = new Set(needle);
    let best = -1;
    let bestStart = 0;
    for (let start = 0; start <= Math.max(0, haystack.text.length - needle.length); start++) {
      let score = 0;
      for (let i = 0; i < needle.length; i++) {
        const ch = haystack.text[start + i];
        if (ch === needle[i]) score += 2; else if (wanted.has(ch)) score += 1;
      }
      if (score > best) { best = score; bestStart = start; }
    }
    const end = Math.min(haystack.text.length, bestStart + needle.length) - 1;
    return article.slice(haystack.offsets[bestStart], haystack.offsets[end] + 1).replace(/\s+/g, " ").trim();
  }

  // provenance._check_source_dates: a source's dates against its archive's and the case's period.
  const DAY = 24 * 3600 * 1000;
  function sourceDates(source, record, period, parts, report) {
    for (const name of ["date", "reposted"]) {
      const written = dateRange(source[name]);
      if (!written) continue;
      const shown = `${name} ${source[name]}`;
      const archivedRange = record ? dateRange(record[name]) : null;
      if (archivedRange) {
        const gap = Math.round(Math.max(written[0] - archivedRange[1], archivedRange[0] - written[1]) / DAY);
        if (gap > RULES.sourceDates.sameArticleDays) {
          report(parts.concat([name]), `${shown} 与存档的日期 ${record[name]} 相差 ${gap} 天`, "两处写的是同一篇报道的日期，应当一致", WARNING);
        }
      }
      const archivedOn = record ? dateRange(record.archived) : null;
      if (archivedOn && written[0] > archivedOn[1]) {
        report(parts.concat([name]), `${shown} 晚于存档日期 ${record.archived}`, "报道在存档之前就已发表：核对年份和月份", WARNING);
      }
    }
    const written = dateRange(source.date);
    const start = isObject(period) ? dateRange(period.start) : null;
    if (written && start && start[0].getUTCFullYear() - written[1].getUTCFullYear() > RULES.sourceDates.yearsBeforePeriod) {
      const years = start[0].getUTCFullYear() - written[1].getUTCFullYear();
      report(parts.concat(["date"]), `报道日期 ${source.date} 比实施开始时间 ${period.start} 早 ${years} 年`,
             "核对两个日期是否写错；开始时间写这项做法开始的时间，不是背景里更早的年份", WARNING);
    }
  }

  function provenance(data, articles, report) {
    const archived = [];
    let unarchived = false;
    const sources = Array.isArray(data.sources) ? data.sources : [];
    sources.forEach((source, i) => {
      if (!isObject(source)) return;
      const reference = source.archive;
      const record = typeof reference === "string" ? articles(reference, source) : null;
      sourceDates(source, record, data.period, ["sources", i], report);
      if (typeof reference !== "string") { unarchived = true; return; }
      if (record === null) {
        report(["sources", i, "archive"], `找不到存档 “${reference}”`, "");
        unarchived = true;
      } else {
        archived.push(record.text);
      }
    });
    if (archived.length && !unarchived) {
      const searchable = archived.map(text => normalized(text).text);
      for (const path of RULES.quotePaths) {
        for (const [parts, quote] of valuesAt(data, path, [])) {
          if (typeof quote !== "string" || !quote.trim() || quote.startsWith(PLACEHOLDER)) continue;
          const needle = normalized(quote).text;
          if (needle && searchable.some(text => text.includes(needle))) continue;
          report(parts, "原话在报道原文中找不到", `原文中最接近的一段是“${nearest(archived[0], quote)}”；原话要一字不改地从原文复制（空格和全角半角不计）`);
        }
      }
    }
    if (Array.isArray(data.outcomes)) {
      data.outcomes.forEach((outcome, i) => {
        if (typeof outcome === "string") report(["outcomes", i], "这条成效只有文字，没有选状态、没有附原话", "补上状态和原话", WARNING);
      });
    }
    if (Array.isArray(data.editor_added)) {
      data.editor_added.forEach((path, i) => {
        if (typeof path === "string" && !resolves(data, path)) report(["editor_added", i], `“${path}”不是本案例中的内容`, "");
      });
    }
  }

  // --- the verdict ---------------------------------------------------------------------------------

  // validate's field_path: ["metrics", 2, "value"] -> metrics[2].value
  const fieldPath = parts => parts.reduce((text, part) => typeof part === "number" ? `${text}[${part}]` : text ? `${text}.${part}` : part, "");
  const todayOf = text => {
    const now = text ? new Date(text + "T00:00:00Z") : new Date();
    return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  };

  const claims = claimsCheck({ simplified, isSpace, normalized, formOf, typesOf, isObject, fieldPath });

  // ``article``: the archived text of every source (a string), or by archive id (an object).
  // ``options.today``: "YYYY-MM-DD" (default: the browser's today, as the validator's).
  function check(data, article, options) {
    const problems = [];
    const seen = new Set();
    function report(parts, message, hint, level, advice) {
      const problem = { path: fieldPath(parts), message, hint: hint || "", level: level || ERROR };
      if (advice) problem.advice = advice;  // what the form says instead of the hint, in its words
      const key = JSON.stringify(problem);
      if (!seen.has(key)) { seen.add(key); problems.push(problem); }
    }
    const schema = RULES.schema;
    const today = options && options.today ? todayOf(options.today) : todayOf();
    schemaMessages(schemaErrors(data, schema, []), report);
    caseRules(data, schema, today, report);
    // The archive each source names: given by id ({text, date, reposted, archived} or its text),
    // or one article for every source, archived today with the source's dates, as intake archives it.
    const todayText = today.toISOString().slice(0, 10);
    const articles = typeof article === "string"
      ? (reference, source) => ({ text: article, date: source.date, archived: todayText })
      : reference => {
        if (!article || !Object.prototype.hasOwnProperty.call(article, reference)) return null;
        const record = article[reference];
        return typeof record === "string" ? { text: record } : record;
      };
    if (isObject(data)) {
      provenance(data, articles, report);
      // The claims lint reads the archive of each source that names one found (claims.case_hits).
      const sources = Array.isArray(data.sources) ? data.sources : [];
      const texts = sources.filter(source => isObject(source) && typeof source.archive === "string")
        .map(source => articles(source.archive, source)).filter(record => record && typeof record.text === "string")
        .map(record => record.text);
      claims(data, texts, report);
    }
    return problems;
  }

  return { check, fieldPath, afterSubmission: RULES.afterSubmission,
           // for the conformance tests of the numeral reading against cn2an
           numbersIn: text => numbersAt(fold(text).text).map(([value]) => value) };
});
