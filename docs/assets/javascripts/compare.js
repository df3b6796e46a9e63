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

  const ROWS = [
    ["地区", (c) => [c.region.province, c.region.city, c.region.county, c.region.town, c.region.community].filter(Boolean).join(" › ")],
    ["城乡", (c) => c.region.setting],
    ["层级", (c) => c.level],
    ["时间", (c) => (c.period ? `${c.period.start}${c.period.end ? " 至 " + c.period.end : " 起"}` : "")],
    ["做法", (c) => c.practice.name],
    ["摘要", (c) => c.summary],
    ["参与主体", (c) => c.practice.actors.map((a) => `${a.name}：${a.role}`)],
    ["举措", (c) => c.practice.measures.map((m) => `${m.title}：${m.detail}`)],
    ["数据", (c) => (c.metrics || []).map((m) => `${m.label}：${m.qualifier && "约近超逾不足累计".includes(m.qualifier) ? m.qualifier : ""}${m.value}${m.value_max !== undefined ? "–" + m.value_max : ""}${m.qualifier && "余多以上".includes(m.qualifier) ? m.qualifier : ""}${m.unit}${m.period ? "（" + m.period + "）" : ""}`)],
    ["成效", (c) => c.outcomes],
    ["经验启示", (c) => c.lessons],
    ["标签", (c) => c.tags.join("、")],
    ["出处", (c) => c.sources.map((s) => [s.title, s.publisher, s.date].filter(Boolean).join("，"))],
  ];

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
    head.append(cell("th", ""));
    for (const c of cases) {
      const th = document.createElement("th");
      const link = document.createElement("a");
      link.href = window.casebook.pageUrl(`cases/${c.id}`);
      link.textContent = c.title;
      th.append(link);
      head.append(th);
    }
    const thead = document.createElement("thead");
    thead.append(head);
    const tbody = document.createElement("tbody");
    for (const [label, value] of ROWS) {
      const row = document.createElement("tr");
      row.append(cell("th", label));
      for (const c of cases) row.append(cell("td", value(c)));
      tbody.append(row);
    }
    table.replaceChildren(thead, tbody);
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
