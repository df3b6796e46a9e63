// 案例对比: two to four cases side by side, read from the per-case JSON files of the build.
// The chosen ids come from the URL (?ids=a,b), or else from the compare basket; a case taken
// out here leaves the basket too. On a phone the same table reads as one field at a time, each
// case's value a full-width card under it (casebook.css).
// Case text is only ever inserted with textContent, never as HTML.
casebook.define("compare", ["fields", "ui", "routes", "basket", "site"], (FIELDS, ui, routes, basket, site) => {
  "use strict";
  const root = document.querySelector("[data-compare]");
  if (!root) return;
  const status = root.querySelector("[data-compare-status]");
  const chosenList = root.querySelector("[data-compare-cases]");
  const table = root.querySelector("[data-compare-table]");
  const clear = root.querySelector("[data-compare-clear]");
  const MAX = basket.compare.max;
  // Fields and labels come from the generated fields.js (casebook.fields: the schema and the
  // model), and a figure's line and a period's words from each case's JSON (the model's
  // DISPLAY_TEXTS: figure_text, label, shipped by casebook.export): none is written out here.

  // Each case's mark in the table: ① ② ③ …
  const mark = (index) => String.fromCodePoint(0x2460 + index);

  function at(record, path) {
    return path.split(".").reduce((value, name) => (value == null ? value : value[name]), record);
  }

  // One record of a list (an actor, a measure, a source): its first shown value, then the others;
  // an outcome's status before it and any item's quote after it.
  function entry(item, parts) {
    const { status, quote, ...fields } = item;
    const values = parts ? parts.map((name) => fields[name]) : Object.values(fields);
    const [head, ...rest] = values.filter((v) => (typeof v === "string" || typeof v === "number") && v !== "");
    const text = rest.length ? `${head}：${rest.join("，")}` : String(head);
    return `${status ? "〔" + status + "〕" : ""}${text}${quote ? `（${FIELDS.quoteWord}：“${quote}”）` : ""}`;
  }

  function shown(field, value) {
    if (value == null) return "";
    if (field.path === "period") return value.label;
    // An outcome written as plain text has no status and no quote: it says so.
    const plain = FIELDS.statusFields.includes(field.path) ? (item) => `〔${FIELDS.unquoted}〕${item}` : (item) => item;
    if (Array.isArray(value)) return value.map((item) => (typeof item === "object" ? entry(item, field.parts) : plain(item)));
    if (typeof value === "object") return Object.values(value).filter((v) => typeof v === "string" && v).join(" › ");
    return String(value);
  }

  // Rows of the table: one per field; the figures one per kind (成效, 做法 …), so that figures
  // of the same kind stand side by side. ``result``: what the practice achieved (the outcomes
  // and the figures of the first kind, 成效), the rows "只看成效" keeps. ``origin``: a list whose
  // origin the case says (the lessons: the editors' or the report's), badged in each cell.
  function rows(cases) {
    const result = [];
    for (const field of FIELDS.fields) {
      if (field.path !== "metrics") {
        result.push({label: field.label, values: cases.map((c) => shown(field, at(c, field.path))),
                     result: FIELDS.statusFields.includes(field.path), origin: FIELDS.origins[field.path]});
        continue;
      }
      for (const kind of FIELDS.metricKinds) {
        const values = cases.map((c) => (c.metrics || []).filter((m) => m.kind === kind).map((m) => m.figure_text));
        if (values.some((list) => list.length)) {
          result.push({label: `${field.label}（${kind}）`, values, result: kind === FIELDS.metricKinds[0]});
        }
      }
    }
    return result;
  }

  // What a case is called where there is little room: its number and its most local place.
  function shortName(c, index) {
    const r = c.region || {};
    return `${mark(index)} ${r.community || r.town || r.county || r.city || r.province || c.title}`;
  }

  function chosenIds() {
    const fromUrl = new URLSearchParams(location.search).get("ids");
    const ids = fromUrl ? fromUrl.split(",") : basket.read("compare").ids;
    return [...new Set(ids.filter(basket.isCaseId))].slice(0, MAX);
  }

  const element = ui.element;

  function cell(value, who, badge) {
    const node = element("td");
    node.append(element("span", "cb-compare__who", who));
    if (badge) node.append(badge);
    if (Array.isArray(value) && value.length) {
      const list = element("ul");
      for (const item of value) list.append(element("li", "", item));
      node.append(list);
    } else {
      node.append(element("span", "", (Array.isArray(value) ? "" : value) || "—"));
    }
    return node;
  }

  function caseLink(c, index) {
    const link = element("a");
    link.href = routes.url("case", { id: c.id });
    link.append(element("span", "cb-compare__short", shortName(c, index)), element("span", "cb-compare__title", c.title));
    return link;
  }

  // The badge of a case's lessons (编者观点 or 原文总结), as the case page shows it.
  function originBadge(origin, c) {
    const badge = origin && origin.badges[c[origin.field]];
    if (!badge) return null;
    const [words, kind] = badge;
    return element("span", `cb-status cb-status--${kind}`, words);
  }

  // Above the table: a chip per row that jumps to it (sticky on a phone, where four cases run to
  // thousands of pixels), and "只看成效", which folds every row but the results.
  const tools = element("div", "cb-compare__tools cb-screen-only");
  const chips = element("nav", "cb-compare__chips");
  chips.setAttribute("aria-label", "跳到对比项");
  const onlyResults = element("button", "md-button cb-compare__only-results", "只看成效");
  onlyResults.type = "button";
  onlyResults.setAttribute("aria-pressed", "false");
  onlyResults.addEventListener("click", () => {
    const on = onlyResults.getAttribute("aria-pressed") !== "true";
    onlyResults.setAttribute("aria-pressed", String(on));
    onlyResults.textContent = on ? "显示全部对比项" : "只看成效";
    table.querySelectorAll("tbody tr:not([data-result])").forEach((row) => { row.hidden = on; });
    chips.querySelectorAll("a:not([data-result])").forEach((chip) => { chip.hidden = on; });
  });
  tools.append(onlyResults, chips);
  tools.hidden = true;
  table.parentNode.before(tools);

  function show(cases) {
    root.classList.remove("cb-compare--failed");
    const ids = cases.map((c) => c.id);
    history.replaceState(null, "", ids.length ? `?ids=${ids.join(",")}` : location.pathname);
    chosenList.replaceChildren(...cases.map((c, index) => {
      const item = element("li");
      const link = element("a", "", c.title);
      link.href = routes.url("case", { id: c.id });
      const remove = element("button", "md-button cb-compare__remove", "移除");
      remove.type = "button";
      remove.setAttribute("aria-label", `从对比中移除：${c.title}`);
      remove.addEventListener("click", () => {
        const rest = cases.filter((other) => other !== c);
        basket.save("compare", {ids: rest.map((other) => other.id)});
        show(rest);
      });
      item.append(element("span", "cb-compare__mark", mark(index)), link, remove);
      return item;
    }));
    chosenList.hidden = !cases.length;
    clear.hidden = !cases.length;
    if (cases.length < 2) {
      table.hidden = true;
      tools.hidden = true;
      status.textContent = "请再选择至少一个案例：在案例页或案例检索中点“加入对比”。";
      return;
    }
    const head = element("tr");
    head.append(element("td"));
    cases.forEach((c, index) => {
      const th = element("th");
      th.scope = "col";
      th.append(caseLink(c, index));
      head.append(th);
    });
    const thead = element("thead");
    thead.append(head);
    const tbody = element("tbody");
    const links = [];
    rows(cases).forEach((row, number) => {
      const tr = element("tr");
      tr.id = `cb-compare-row-${number}`;
      const label = element("th", "", row.label);
      label.scope = "row";
      tr.append(label, ...row.values.map((value, index) => cell(value, shortName(cases[index], index),
                                                                originBadge(row.origin, cases[index]))));
      const chip = element("a", "cb-compare__chip", row.label);
      chip.href = `#${tr.id}`;
      if (row.result) tr.dataset.result = chip.dataset.result = "1";
      links.push(chip);
      tbody.append(tr);
    });
    chips.replaceChildren(...links);
    onlyResults.setAttribute("aria-pressed", "false");
    onlyResults.textContent = "只看成效";
    tools.hidden = false;
    table.replaceChildren(thead, tbody);
    table.style.setProperty("--cb-cases", cases.length);
    table.hidden = false;
    status.textContent = cases.length < MAX
      ? `正在对比 ${cases.length} 个案例，最多可加到 ${MAX} 个。`
      : `正在对比 ${cases.length} 个案例，已满 ${MAX} 个：要换一个，先移除一个。`;
  }

  // Each case's record (api/cases/<id>.json), all or none; a failure names the case, with 重试.
  async function load(ids) {
    let cases;
    try {
      cases = await Promise.all(ids.map((id) => site.fetchWithin(routes.url("case_json", { id }), `案例 ${id}`,
                                                                 (response) => response.json())));
    } catch (error) {
      ui.showFailure(status, error, "案例对比", () => load(ids), "md-button cb-retry");
      clear.hidden = false; // a case no longer in the library must not block the basket for good
      root.classList.add("cb-compare--failed");
      return;
    }
    show(cases);
  }

  const ids = chosenIds();
  clear.addEventListener("click", () => {
    basket.save("compare", {ids: []});
    location.href = location.pathname;
  });
  if (ids.length < 2) status.textContent = "请先选择至少两个案例：在案例页或案例检索中点“加入对比”。";
  else load(ids);
});
