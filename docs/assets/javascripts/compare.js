// 案例对比: two to four cases side by side, read from the per-case JSON files of the build.
// The chosen ids come from the URL (?ids=a,b), or else from the compare basket.
// Case text is only ever inserted with textContent, never as HTML.
(() => {

  const MAX_CASES = 4;
  const root = document.querySelector("[data-compare]");
  if (!root) return;
  const status = root.querySelector("[data-compare-status]");
  const table = root.querySelector("[data-compare-table]");
  const clear = root.querySelector("[data-compare-clear]");

  // Fields, labels and the words for figures and periods come from the generated fields.js
  // (casebook.fields: the schema and the model), never written out here.
  const FIELDS = window.casebookFields;

  function at(record, path) {
    return path.split(".").reduce((value, name) => (value == null ? value : value[name]), record);
  }

  function amount(m) {
    const before = FIELDS.qualifiersBefore.includes(m.qualifier) ? m.qualifier : "";
    const after = FIELDS.qualifiersAfter.includes(m.qualifier) ? m.qualifier : "";
    const range = m.value_max !== undefined ? "–" + m.value_max : "";
    return `${m.label}：${before}${m.value}${range}${after}${m.unit}${m.period ? "（" + m.period + "）" : ""}`;
  }

  function period(p) {
    const words = FIELDS.period;
    return p.end ? p.start + words.to + p.end : p.start + (p.ongoing ? words.ongoing : words.since);
  }

  // One record of a list (an actor, a measure, a source): its first value, then the others;
  // an outcome's status before it and any item's quote after it.
  function entry(item) {
    const { status, quote, ...fields } = item;
    const [head, ...rest] = Object.values(fields).filter((v) => typeof v === "string" && v);
    const text = rest.length ? `${head}：${rest.join("，")}` : head;
    return `${status ? "〔" + status + "〕" : ""}${text}${quote ? `（${FIELDS.quoteWord}：“${quote}”）` : ""}`;
  }

  function shown(path, value) {
    if (value == null) return "";
    if (path === "metrics") return value.map(amount);
    if (path === "period") return period(value);
    // An outcome written as plain text has no status and no quote: it says so.
    const plain = FIELDS.statusFields.includes(path) ? (item) => `〔${FIELDS.unquoted}〕${item}` : (item) => item;
    if (Array.isArray(value)) return value.map((item) => (typeof item === "object" ? entry(item) : plain(item)));
    if (typeof value === "object") return Object.values(value).filter((v) => typeof v === "string" && v).join(" › ");
    return String(value);
  }

  function chosenIds() {
    const fromUrl = new URLSearchParams(location.search).get("ids");
    const ids = fromUrl ? fromUrl.split(",") : JSON.parse(localStorage.getItem(window.casebook.compareKey) || "[]");
    return [...new Set(ids.filter((id) => /^[a-z0-9-]+$/.test(id)))].slice(0, MAX_CASES);
  }

  function cell(tag, value) {
    const node = document.createElement(tag);
    if (Array.isArray(value)) {
      const list = document.createElement("ul");
      for (const item of value) {
        const li = document.createElement("li");
        li.textContent = item;
        list.append(li);
      }
      node.append(list);
    } else {
      node.textContent = value || "—";
    }
    return node;
  }

  async function start() {
    const ids = chosenIds();
    if (ids.length < 2) {
      status.textContent = "请先选择至少两个案例：在案例页或案例检索中点“加入对比”。";
      return;
    }
    let cases;
    try {
      cases = await Promise.all(ids.map(async (id) => {
        const response = await fetch(new URL(`api/cases/${id}.json`, window.casebook.root));
        if (!response.ok) throw new Error(id);
        return response.json();
      }));
    } catch (error) {
      status.textContent = location.protocol === "file:"
      ? "案例对比需要通过网页服务器访问（直接打开文件时浏览器不允许读取数据）。"
      : `找不到案例 ${error.message}。`;
      return;
    }
    history.replaceState(null, "", `?ids=${ids.join(",")}`);
    const head = document.createElement("tr");
    head.append(document.createElement("td"));
    for (const c of cases) {
      const th = document.createElement("th");
      th.scope = "col";
      const link = document.createElement("a");
      link.href = window.casebook.pageUrl(`cases/${c.id}`);
      link.textContent = c.title;
      th.append(link);
      head.append(th);
    }
    const thead = document.createElement("thead");
    thead.append(head);
    const tbody = document.createElement("tbody");
    for (const field of FIELDS.fields) {
      const row = document.createElement("tr");
      const label = cell("th", field.label);
      label.scope = "row";
      row.append(label);
      for (const c of cases) row.append(cell("td", shown(field.path, at(c, field.path))));
      tbody.append(row);
    }
    table.replaceChildren(thead, tbody);
    table.style.setProperty("--cb-cases", cases.length);
    table.hidden = false;
    status.textContent = `正在对比 ${cases.length} 个案例。`;
    clear.hidden = false;
    clear.addEventListener("click", () => {
      localStorage.removeItem(window.casebook.compareKey);
      location.href = location.pathname;
    });
  }

  start();
})();
