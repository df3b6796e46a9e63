// 在线投稿: the submission form with no YAML. Every input is named by the path of its value
// (region.province, metrics[0].unit; casebook.submission.form_tree), so the case is built from the
// names as `casebook intake` would write it, and checked by the module "submission-check" (the
// rules of `casebook validate --strict`). Repeatable rows (measures, actors, metrics, outcomes,
// lessons) are added, moved and removed here; a draft is kept in localStorage; the case's id is
// made from the place and the practice in pinyin. Sending: a prefilled GitHub issue with what fits
// in its link and, before any tab opens, one step with its own copy button for each field left
// out; or the file `casebook intake` reads as it is. What was typed is never changed.
// The ids already taken and the library's place names come in submission-library.js (generated).
// Acts only on the 在线投稿 page. Text typed into the form is only ever set with textContent.
casebook.define("submit-form", ["submission-check", "pinyin", "submission-library"], (checker, pinyinTable, LIBRARY) => {
  "use strict";
  const form = document.querySelector("[data-cb-submit]");
  if (!form || !checker) return null;
  const DATA = JSON.parse(document.getElementById("cb-submit-data").textContent);
  const FIELDS = DATA.fields;
  const SOURCE_TEXT = DATA.sourceText;
  const MARKS = "editor_added";
  const DRAFT = "casebook-submit-draft-2";
  const URL_LIMIT = 8000;  // GitHub answers 414 above about this
  const ready = document.querySelector("[data-cb-submit-ready]");
  const summary = form.querySelector("[data-cb-submit-summary]");
  const idInput = form.querySelector("[data-cb-id]");
  // A correction of a case already in the library: its id is taken on purpose (intake --update).
  const correction = form.querySelector("[data-cb-correction]");
  const correcting = () => correction.checked && LIBRARY.takenIds.includes(idInput.value.trim());
  function offerCorrection() {
    form.querySelector("[data-cb-correction-box]").hidden = !LIBRARY.takenIds.includes(idInput.value.trim());
  }
  const article = () => form.elements[SOURCE_TEXT].value.replace(/\r\n?/g, "\n").trim();
  // Top-level fields of paragraphs: intake folds their lines (casebook.load.fold_lines).
  const PARAGRAPHS = new Set(FIELDS.filter(f => f.widget === "textarea" && f.path.length === 1).map(f => f.id));

  // --- paths: "practice.measures[0].title" <-> ["practice", "measures", 0, "title"] --------------

  const partsOf = path => [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map(([, name, index]) => name !== undefined ? name : Number(index));
  function place(data, parts, value) {
    let node = data;
    parts.forEach((part, i) => {
      if (i === parts.length - 1) { node[part] = value; return; }
      if (node[part] === undefined) node[part] = typeof parts[i + 1] === "number" ? [] : {};
      node = node[part];
    });
  }
  const at = (data, parts) => parts.reduce((node, part) => (node === undefined || node === null ? undefined : node[part]), data);

  // load.fold_lines: a line break inside a paragraph joins Chinese text, a blank line parts paragraphs.
  function foldLines(text) {
    const paragraphs = [];
    let current = "";
    const ascii = ch => ch.charCodeAt(0) < 128;
    for (const line of text.split("\n").map(l => l.trim())) {
      if (!line) { if (current) paragraphs.push(current); current = ""; }
      else if (current && !(ascii(current.slice(-1)) || ascii(line[0]))) current += line;
      else current = current ? `${current} ${line}` : line;
    }
    if (current) paragraphs.push(current);
    return paragraphs.join("\n\n");
  }

  // --- the case, as `casebook intake` writes it ------------------------------------------------

  function collect() {
    const data = {};
    const marks = [];
    for (const node of form.querySelectorAll("[name], [data-cb-rows] > li")) {
      if (node.matches("li")) {
        if (at(data, partsOf(node.dataset.path)) === undefined) place(data, partsOf(node.dataset.path), {});
        continue;
      }
      const name = node.name;
      if (name === SOURCE_TEXT || !("value" in node) || node.closest("[data-cb-when][hidden]")) continue;
      if (node.type === "radio") {
        if (node.checked && node.value) place(data, partsOf(name), node.value);
      } else if (node.type === "checkbox") {
        if (!node.checked) continue;
        if (name === MARKS) marks.push(node.value);
        else if (node.closest(".cb-choices")) place(data, partsOf(name), (at(data, partsOf(name)) || []).concat(node));
        else place(data, partsOf(name), true);
      } else {
        let value = node.value.replace(/\r\n?/g, "\n").trim();
        if (PARAGRAPHS.has(name)) value = foldLines(value);
        if (!value) continue;
        if (node.hasAttribute("data-cb-number") && /^\d+(\.\d+)?$/.test(value)) value = Number(value);
        place(data, partsOf(name), value);
      }
    }
    // Tags and problems in the order they were chosen (the first tag says most about the case).
    for (const box of form.querySelectorAll(".cb-choices")) {
      const chosen = at(data, partsOf(box.dataset.path));
      if (Array.isArray(chosen)) place(data, partsOf(box.dataset.path), chosen.sort((a, b) => chosenAt(a) - chosenAt(b)).map(node => node.value));
    }
    // A list item whose first form is text (a lesson) is that text when only its text is given.
    for (const list of form.querySelectorAll("[data-cb-collapse]")) {
      const items = at(data, partsOf(list.dataset.cbList));
      if (!Array.isArray(items)) continue;
      items.forEach((item, i) => {
        if (item && typeof item === "object" && Object.keys(item).length === 1 && "text" in item) items[i] = item.text;
      });
    }
    if (marks.length) data[MARKS] = marks;
    const sources = DATA.sources;
    if (!Array.isArray(data[sources])) data[sources] = [{}];
    if (article()) {
      const id = typeof data.id === "string" && new RegExp(DATA.idPattern).test(data.id) && data.id.length <= DATA.idMaxLength;
      data[sources][0].archive = id ? data.id : "unnamed-submission";
    }
    return data;
  }

  let chosen = 0;
  const chosenAt = node => Number(node.dataset.cbChosen || 0);
  form.addEventListener("change", event => {
    const box = event.target;
    if (box.type === "checkbox" && box.closest(".cb-choices")) box.dataset.cbChosen = box.checked ? String(++chosen + Date.now()) : "";
  });

  // What the page checks besides the validator's rules: what intake itself refuses.
  function problemsOf(data) {
    const problems = checker.check(data, article());
    if (!article()) problems.push({ path: SOURCE_TEXT, message: "还没有粘贴报道原文", hint: "把报道全文粘贴在表单末尾，原话要能在其中逐字找到", level: "error" });
    if (typeof data.id === "string" && LIBRARY.takenIds.includes(data.id) && !correcting()) {
      problems.push({ path: "id", message: `“${data.id}”已经被另一个案例使用`,
                      hint: "新案例请在编号后面加上年份或村镇名，如 -2024；要改正这个已有的案例，勾选编号下面的“这是对已有案例的更正”", level: "error" });
    }
    return problems;
  }

  // --- rows: add, remove, move; names renumbered ----------------------------------------------

  const ROW_ATTRIBUTES = ["name", "id", "for", "aria-describedby", "data-path", "value", "list"];
  const rowsOf = list => [...list.querySelector("[data-cb-rows]").children];

  function renumber(list) {
    const path = list.dataset.cbList;
    const pattern = new RegExp(path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "\\[(#|\\d+)\\]", "g");
    const states = [...list.querySelectorAll("input[type=radio], input[type=checkbox]")].map(input => [input, input.checked]);
    rowsOf(list).forEach((row, index) => {
      for (const node of [row, ...row.querySelectorAll("*")]) {
        for (const attribute of ROW_ATTRIBUTES) {
          const value = node.getAttribute(attribute);
          if (value && value.includes(path + "[")) node.setAttribute(attribute, value.replace(pattern, `${path}[${index}]`));
        }
      }
      row.querySelector("[data-cb-row-number]").textContent = `第 ${index + 1} 条`;
      row.querySelector("[data-cb-row-up]").disabled = index === 0;
      row.querySelector("[data-cb-row-down]").disabled = index === rowsOf(list).length - 1;
    });
    for (const [input, checked] of states) input.checked = checked;
  }

  function addRow(list) {
    const row = list.querySelector("template[data-cb-row]").content.firstElementChild.cloneNode(true);
    list.querySelector("[data-cb-rows]").append(row);
    renumber(list);
    applyConditions();
    return row;
  }

  form.addEventListener("click", event => {
    const button = event.target.closest("button");
    if (!button || !form.contains(button)) return;
    const list = button.closest("[data-cb-list]");
    const row = button.closest(".cb-row");
    if (button.hasAttribute("data-cb-row-add")) {
      const added = addRow(list);
      added.querySelector("input, textarea, select").focus();
    } else if (button.hasAttribute("data-cb-row-remove")) {
      const filled = [...row.querySelectorAll("input[type=text], textarea")].some(input => input.value.trim());
      if (filled && !window.confirm("删除这一条和其中填写的内容？")) return;
      const next = row.nextElementSibling || row.previousElementSibling;
      row.remove();
      renumber(list);
      (next ? next.querySelector("input, textarea") : list.querySelector("[data-cb-row-add]")).focus();
    } else if (button.hasAttribute("data-cb-row-up") || button.hasAttribute("data-cb-row-down")) {
      const up = button.hasAttribute("data-cb-row-up");
      const other = up ? row.previousElementSibling : row.nextElementSibling;
      if (!other) return;
      if (up) other.before(row); else other.after(row);
      renumber(list);
      const again = row.querySelector(up ? "[data-cb-row-up]" : "[data-cb-row-down]");
      (again.disabled ? row.querySelector("button:not([disabled])") : again).focus();
    } else {
      return;
    }
    save();
    hideVerdict();
  });

  // --- inputs asked only after a choice (a lesson's quote: only when the lessons are the article's) ---

  function applyConditions() {
    for (const box of form.querySelectorAll("[data-cb-when]")) {
      const [name, wanted] = box.dataset.cbWhen.split("=");
      const chosen = form.querySelector(`[name="${CSS.escape(name)}"]:checked`);
      box.hidden = Boolean(chosen && chosen.value && chosen.value !== wanted);
    }
    // A list of choices says in one line what the chosen one means (成效: 做法带来的结果…).
    for (const select of form.querySelectorAll("select[data-cb-explained]")) {
      const chosen = select.selectedOptions[0];
      select.parentElement.querySelector("[data-cb-explanation]").textContent = chosen && chosen.dataset.cbHelp ? chosen.dataset.cbHelp : "";
    }
  }

  // In a row, the help of the input being filled in shows in the row's help box (so that a row
  // fits on a phone's screen; each input stays described by its own help).
  form.addEventListener("focusin", event => {
    const field = event.target.closest(".cb-row .cb-field");
    const help = field && field.querySelector(":scope > .cb-field-help");
    if (help) field.closest(".cb-row").querySelector("[data-cb-row-help]").textContent = help.textContent;
  });

  // --- the draft: what was typed, as typed, and how many rows each list has ---------------------

  function draft() {
    const rows = {};
    for (const list of form.querySelectorAll("[data-cb-list]")) rows[list.dataset.cbList] = rowsOf(list).length;
    const values = [...form.querySelectorAll("[name]")].filter(node => "value" in node)
      .map(node => (node.type === "radio" || node.type === "checkbox") ? [node.name, node.value, node.checked, chosenAt(node)] : [node.name, node.value]);
    return { rows, values, idTouched: idInput.dataset.touched === "1", correction: correction.checked };
  }
  function save() {
    try { localStorage.setItem(DRAFT, JSON.stringify(draft())); } catch { /* storage full or off */ }
  }
  function restore() {
    let saved = null;
    try { saved = JSON.parse(localStorage.getItem(DRAFT) || "null"); } catch { saved = null; }
    for (const list of form.querySelectorAll("[data-cb-list]")) {
      const wanted = saved && saved.rows ? saved.rows[list.dataset.cbList] : undefined;
      const count = typeof wanted === "number" ? Math.min(wanted, 200) : list.hasAttribute("data-cb-required") ? 1 : 0;
      for (let i = 0; i < count; i++) addRow(list);
    }
    if (!saved || !Array.isArray(saved.values)) return;
    const byName = {};
    for (const node of form.querySelectorAll("[name]")) (byName[node.name] = byName[node.name] || []).push(node);
    for (const [name, value, checked, order] of saved.values) {
      for (const node of byName[name] || []) {
        if (node.type === "radio" || node.type === "checkbox") {
          if (node.value !== value) continue;
          node.checked = Boolean(checked);
          if (order) node.dataset.cbChosen = String(order);
        }
        else if (typeof value === "string") node.value = value;
      }
    }
    if (saved.idTouched) idInput.dataset.touched = "1";
    correction.checked = Boolean(saved.correction);
    fillPlaces();
    applyConditions();
  }

  form.querySelector("[data-cb-submit-clear]").addEventListener("click", () => {
    if (!window.confirm("清空表单中填写的全部内容？")) return;
    form.reset();
    for (const list of form.querySelectorAll("[data-cb-list]")) rowsOf(list).forEach(row => row.remove());
    try { localStorage.removeItem(DRAFT); } catch { /* storage off */ }
    delete idInput.dataset.touched;
    restore();
    offerCorrection();
    showProblems([]);
    hideVerdict();
  });

  // --- the id: the place and the practice in pinyin (jiande-sandu-meihao-zhangben) -------------
  // The rule of casebook.submission.case_id_stem, with its data (DATA.idRule); the tests run both
  // on the same names.

  const PINYIN = {};
  for (const [syllable, characters] of Object.entries(pinyinTable)) for (const ch of characters) PINYIN[ch] = syllable;
  const RULE = DATA.idRule;
  function barePlace(name) {
    let bare = name.trim();
    for (;;) {
      const suffix = RULE.suffixes.find(end => bare.endsWith(end) && bare.length - end.length >= 2);
      if (!suffix) return bare;
      bare = bare.slice(0, -suffix.length);
    }
  }
  // Each run of Chinese one word (建德: jiande), or with ``pairs`` two syllables a word (美好账本:
  // meihao-zhangben); letters and digits kept as words.
  function pinyinWords(text, pairs) {
    const words = [];
    for (const [run] of text.matchAll(/[\u4e00-\u9fff]+|[A-Za-z0-9]+/g)) {
      if (/^[A-Za-z0-9]+$/.test(run)) { words.push(run.toLowerCase()); continue; }
      const syllables = [...run].filter(ch => PINYIN[ch]).map(ch => PINYIN[ch]);
      const size = pairs ? 2 : Math.max(1, syllables.length);
      for (let i = 0; i < syllables.length; i += size) words.push(syllables.slice(i, i + size).join(""));
    }
    return words.filter(Boolean);
  }
  function caseIdStem(region, practiceName, provinceSlug) {
    const placeOf = level => pinyinWords(barePlace(region[level] || ""), false);
    const countyOrCity = placeOf("county").length ? placeOf("county") : placeOf("city");
    const where = countyOrCity.length ? countyOrCity : provinceSlug ? [provinceSlug] : [];
    let town = placeOf("town");
    const practice = pinyinWords(practiceName, true).slice(0, RULE.practiceWords);
    const fits = words => words.join("-").length <= RULE.maxLength;
    if (town.length && practice.length && !fits([...where, ...town, practice[0]])) town = [];
    const words = [...where, ...town];
    for (const word of practice) {
      if (words.length && !fits([...words, word])) break;
      words.push(word);
    }
    return words.join("-");
  }
  const value = name => (form.elements[name] ? form.elements[name].value.trim() : "");
  function madeId() {
    const region = {};
    for (const level of ["city", "county", "town"]) region[level] = value(`region.${level}`);
    const stem = caseIdStem(region, value("practice.name"), DATA.provinceSlugs[value("region.province")] || "");
    let candidate = stem;
    for (let n = 2; candidate && LIBRARY.takenIds.includes(candidate); n++) candidate = `${stem}-${n}`;
    return candidate;
  }
  const ID_SOURCES = new Set(["region.province", "region.city", "region.county", "region.town", "practice.name"]);
  idInput.addEventListener("input", () => { idInput.dataset.touched = idInput.value.trim() ? "1" : ""; });

  // The library's own place names of the province, suggested as one types (any name may be typed).
  function fillPlaces() {
    const places = LIBRARY.places[value("region.province")] || {};
    for (const level of ["city", "county", "town"]) {
      const list = document.getElementById(`cb-region.${level}-places`);
      if (!list) continue;
      list.replaceChildren(...(places[level] || []).map(name => Object.assign(document.createElement("option"), { value: name })));
    }
  }

  form.addEventListener("input", event => {
    const name = event.target.name;
    if (ID_SOURCES.has(name) && idInput.dataset.touched !== "1") idInput.value = madeId();
    if (name === "region.province") fillPlaces();
    offerCorrection();
    save();
    hideVerdict();
  });
  form.addEventListener("change", event => {
    applyConditions();
    if (event.target.name === "region.province") {
      fillPlaces();
      if (idInput.dataset.touched !== "1") idInput.value = madeId();
    }
    save();
  });

  // --- dates as people write them: 2022年12月, 2022.12, 2022/12/5 -> 2022-12, 2022-12-05 ----------
  // Only the order year, month, day is read; the input then shows the date as it is sent, and says so.

  const WRITTEN_DATE = /^(\d{4})\s*(?:年|[./\-－—]|$)\s*(?:(\d{1,2})\s*(?:月|[./\-－—]|$)\s*(?:(\d{1,2})\s*[日号]?)?)?$/;
  function readDate(text) {
    const found = text.trim().match(WRITTEN_DATE);
    if (!found) return null;
    return [found[1], found[2], found[3]].filter(Boolean).map((part, i) => i ? part.padStart(2, "0") : part).join("-");
  }
  form.addEventListener("change", event => {
    const input = event.target;
    if (!input.matches("[data-cb-date]")) return;
    const note = input.parentElement.querySelector("[data-cb-date-note]");
    const typed = input.value.trim();
    const read = readDate(typed);
    note.textContent = "";
    if (read && read !== typed) {
      input.value = read;
      note.textContent = `已把“${typed}”改写成 ${read}（年-月-日），请核对`;
      save();
    }
  });

  // --- tags: searched by name, description and synonyms (养老 finds 民生服务) ----------------

  for (const filter of form.querySelectorAll("[data-cb-filter]")) {
    const box = filter.closest(".cb-choices");
    filter.addEventListener("input", () => {
      const words = filter.value.trim().toLowerCase().split(/[\s,，、]+/).filter(Boolean);
      let shown = 0;
      for (const option of box.querySelectorAll("[data-cb-option]")) {
        const haystack = option.dataset.cbOption.toLowerCase();
        const match = !words.length || words.some(word => haystack.includes(word)) || option.querySelector("input").checked;
        option.hidden = !match;
        shown += match ? 1 : 0;
      }
      box.querySelector("[data-cb-filter-none]").hidden = shown > 0;
    });
  }

  // --- the verdict: errors beside their fields and in a summary of links (GOV.UK) ----------

  // The element a path names, or the nearest group, row or list that holds it.
  function target(path) {
    for (let parts = partsOf(path); parts.length; parts = parts.slice(0, -1)) {
      const name = checker.fieldPath(parts);
      const input = form.querySelector(`[name="${CSS.escape(name)}"]:not([type=radio]):not([type=checkbox])`);
      const box = form.querySelector(`[data-path="${CSS.escape(name)}"]`);
      if (box || input) return { box: box || input.closest("[data-path]"), focus: input || box };
    }
    return { box: form, focus: form.querySelector("input, textarea, select") };
  }
  // How a person names the place: 数据 第 2 条 · 单位
  function placeName(box) {
    const names = [];
    for (let node = box; node && node !== form; node = node.parentElement) {
      if (node.matches(".cb-row")) names.unshift(node.querySelector("[data-cb-row-number]").textContent);
      const title = node.matches("fieldset") ? node.querySelector(":scope > legend") : node.matches(".cb-field") ? node.querySelector(":scope > label") : null;
      if (title) names.unshift(title.textContent.replace(/\*/g, "").trim());
    }
    return names.filter((name, i) => names.indexOf(name) === i).join(" · ");
  }

  function showProblems(problems) {
    for (const box of form.querySelectorAll("[data-cb-error]")) box.textContent = "";
    for (const node of form.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
    for (const node of form.querySelectorAll(".cb-invalid")) node.classList.remove("cb-invalid");
    summary.replaceChildren();
    summary.hidden = !problems.length;
    if (!problems.length) return;
    const heading = document.createElement("h2");
    heading.textContent = `有 ${problems.length} 处需要修改`;
    const list = document.createElement("ul");
    // In the page's order, as one reads and fixes them (the checks find them rule by rule).
    const placed = problems.map(problem => ({ problem, ...target(problem.path) }));
    placed.sort((a, b) => a.box === b.box ? 0 : a.box.compareDocumentPosition(b.box) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1);
    for (const { problem, box, focus } of placed) {
      const advice = problem.advice || problem.hint;  // the form's own words where a rule has them
      const text = problem.message + (advice ? `。${advice}` : "");
      const error = box.querySelector("[data-cb-error]");
      if (error) error.textContent = error.textContent ? `${error.textContent}；${text}` : text;
      box.classList.add("cb-invalid");
      if (focus.matches("input, textarea, select")) focus.setAttribute("aria-invalid", "true");
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = `#${focus.id}`;
      link.textContent = `${placeName(box)}：${problem.message}`;
      link.addEventListener("click", event => {
        event.preventDefault();
        focus.focus({ preventScroll: true });
        box.scrollIntoView({ block: "center" });
      });
      item.append(link);
      list.append(item);
    }
    summary.append(heading, list);
  }

  form.addEventListener("submit", event => {
    event.preventDefault();
    const data = collect();
    const problems = problemsOf(data);
    showProblems(problems);
    if (problems.length) {
      hideVerdict();
      summary.focus();
      summary.scrollIntoView({ block: "start" });
      return;
    }
    offer(data);
  });

  // --- sending: the issue link with what fits, a step and a copy button for the rest; the file ---

  function hideVerdict() { ready.hidden = true; }

  // Block YAML of a value: keys as written, every text as a double-quoted (JSON) string.
  function toYaml(value, indent = 0) {
    const pad = " ".repeat(indent);
    const scalar = item => typeof item === "string" ? JSON.stringify(item) : String(item);
    const nested = item => item !== null && typeof item === "object" && Object.keys(item).length > 0;
    const lines = [];
    if (Array.isArray(value)) {
      for (const item of value) {
        if (nested(item)) {
          const inner = toYaml(item, indent + 2).split("\n");
          lines.push(`${pad}- ${inner[0].slice(indent + 2)}`, ...inner.slice(1));
        } else {
          lines.push(`${pad}- ${scalar(item)}`);
        }
      }
    } else {
      for (const [key, item] of Object.entries(value)) {
        if (nested(item)) lines.push(`${pad}${key}:`, toYaml(item, indent + 2));
        else lines.push(`${pad}${key}: ${Array.isArray(item) ? "[]" : scalar(item)}`);
      }
    }
    return lines.join("\n");
  }

  // The answer to each field of the form intake reads (casebook.submission.form_fields).
  function answersOf(data) {
    const answers = {};
    const source = (data[DATA.sources] || [])[0] || {};
    for (const field of FIELDS) {
      const value = field.id === SOURCE_TEXT ? article() : field.path[0] === DATA.sources ? source[field.path[2]] : data[field.path[0]];
      if (value === undefined) answers[field.id] = "";
      else if (field.widget === "yaml") answers[field.id] = toYaml(value);
      else if (field.multiple) answers[field.id] = value.join("、");
      else answers[field.id] = String(value);
    }
    return answers;
  }

  // YAML that `casebook intake` reads: one key per field, text of several lines as literal blocks.
  function submissionFile(answers) {
    const lines = ["# 基层治理案例库投稿文件：请发给编者"];
    if (correcting()) lines.push(`# 这是对已有案例 ${answers.id} 的更正：维护者用 casebook intake --update 导入`);
    for (const field of FIELDS) {
      const text = answers[field.id];
      // eslint-disable-next-line no-control-regex
      if (!text.includes("\n") || /[\x00-\x08\x0b-\x1f\x7f]/.test(text)) lines.push(`${field.id}: ${JSON.stringify(text)}`);
      else lines.push(`${field.id}: |2-`, ...text.split("\n").map(line => line ? "  " + line : ""));
    }
    return lines.join("\n") + "\n";
  }

  async function copy(text) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      const area = Object.assign(document.createElement("textarea"), { value: text });
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.append(area);
      area.select();
      const done = document.execCommand("copy");
      area.remove();
      return done;
    }
  }

  function step(...children) {
    const item = document.createElement("li");
    item.append(...children);
    return item;
  }

  // The repository's address (the theme's source link), for the issue form and its issues page.
  function repository() {
    const source = document.querySelector(".md-source");
    return source ? source.href.replace(/\/$/, "") : "";
  }

  function offer(data) {
    const answers = answersOf(data);
    const answered = FIELDS.filter(f => answers[f.id].trim());
    const issueUrl = fields => {
      const url = new URL(`${repository()}/issues/new`);
      url.searchParams.set("template", DATA.issueForm);
      url.searchParams.set("title", `${correcting() ? "[案例更正]" : "[案例]"} ${data.title || ""}`.trim());
      for (const f of fields) url.searchParams.set(f.id, f.multiple ? answers[f.id].split("、").join(",") : answers[f.id]);
      return url.href;
    };
    // A link holds about 8,000 characters: the longest answers are left out of it, each to be
    // pasted into its own field, one step and one copy button each. (No field is named like a
    // parameter of the address itself: submission.URL_PARAMETERS.)
    const byLength = [...answered].sort((a, b) => issueUrl([b]).length - issueUrl([a]).length);
    const left = [];
    for (const field of byLength) {
      if (issueUrl(answered.filter(f => !left.includes(f))).length <= URL_LIMIT) break;
      left.push(field);
    }
    const inLink = answered.filter(f => !left.includes(f));
    const steps = ready.querySelector("[data-cb-steps]");
    const open = Object.assign(document.createElement("a"), { href: issueUrl(inLink), target: "_blank", rel: "noopener",
                                                             className: "md-button md-button--primary", textContent: "打开 GitHub 投稿表单" });
    open.dataset.cbSubmitGithub = "";
    const items = [step(`点下面的按钮，在新的标签页打开 GitHub 投稿表单（本页保持不动）。表单里已经替你填好了 ${inLink.length} 栏` +
                        (left.length ? `；另有 ${left.length} 栏放不进链接，按第 2${left.length > 1 ? `–${left.length + 1}` : ""} 步逐栏复制粘贴。` : "。"),
                        document.createElement("br"), open)];
    const order = FIELDS.filter(f => left.includes(f));
    for (const field of order) {
      const button = Object.assign(document.createElement("button"), { type: "button", className: "md-button", textContent: `复制“${field.label}”` });
      button.dataset.cbCopy = field.id;
      const status = document.createElement("span");
      status.className = "cb-copied";
      status.setAttribute("role", "status");
      button.addEventListener("click", async () => {
        status.textContent = await copy(answers[field.id]) ? "已复制，到 GitHub 表单粘贴" : "复制失败：请长按下面的文字全选复制";
      });
      items.push(step(`回到本页，点“复制“${field.label}””，再到 GitHub 表单里找到“${field.label}”一栏，长按粘贴（${answers[field.id].length} 字）。`,
                      document.createElement("br"), button, status));
    }
    items.push(step("在 GitHub 表单里核对每一栏都有内容，点页面最下面的“Create”（创建）按钮提交。检查程序几分钟后会在那里回复。"));
    steps.replaceChildren(...items);
    ready.querySelector("[data-cb-correction-note]").hidden = !correcting();
    ready.querySelector("[data-cb-correction-id]").textContent = answers.id;
    const downloaded = ready.querySelector("[data-cb-downloaded]");
    downloaded.hidden = true;
    ready.querySelector("[data-cb-submit-download]").onclick = () => {
      const blob = new Blob([submissionFile(answers)], { type: "text/yaml;charset=utf-8" });
      const link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = `投稿-${(answers.id.trim() || "案例").replace(/[\\/:*?"<>|\s]+/g, "-")}.yaml`;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 1000);
      // What happens next, on this page: the file's name, to whom to send it, what the editor does.
      downloaded.querySelector("[data-cb-file-name]").textContent = link.download;
      const issues = downloaded.querySelector("[data-cb-issues]");
      if (issues) issues.href = `${repository()}/issues`;
      downloaded.hidden = false;
      downloaded.focus();
    };
    ready.hidden = false;
    ready.querySelector("h2").focus();
  }

  restore();
  offerCorrection();
  return { readDate, collect, answersOf, submissionFile, problemsOf, toYaml, caseIdStem };
});
