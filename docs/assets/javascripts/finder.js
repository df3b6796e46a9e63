// The finder page (案例检索): the search engine's results with filters and counts.
// State lives in the URL (?q=…&province=…&tag=…; old ?kw= links still work) so that a link
// reproduces a result and a reload keeps it. Case text is only inserted as text, never as HTML.
(() => {
  const FILTERS = [
    ["province", "省份"], ["city", "城市"], ["tag", "标签"], ["level", "层级"],
    ["setting", "城乡"], ["year", "年份"], ["metrics", "数据"],
  ];
  const PAGE_SIZE = 10; // a phone screen or two

  const root = document.querySelector("[data-finder]");
  const engine = window.casebookSearch;
  if (!root || !engine) return;
  const element = engine.element;
  const input = root.querySelector("input[name=q]");
  const status = root.querySelector("[data-finder-status]");
  const toggle = root.querySelector("[data-finder-toggle]");
  const chipList = root.querySelector("[data-finder-chips]");
  const filterBox = root.querySelector("[data-finder-filters]");
  const resultList = root.querySelector("[data-finder-results]");
  const moreButton = root.querySelector("[data-finder-more]");
  const doneButton = root.querySelector("[data-finder-done]");

  // --- state in the URL ----------------------------------------------------------------------------
  function readState() {
    const params = new URLSearchParams(location.search);
    const state = { q: params.get("q") ?? params.get("kw") ?? "", filters: {} };
    for (const [key] of FILTERS) {
      const values = params.getAll(key);
      if (values.length) state.filters[key] = values;
    }
    return state;
  }

  function writeState(state) {
    const params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    for (const [key] of FILTERS) for (const value of state.filters[key] || []) params.append(key, value);
    const query = params.toString();
    history.replaceState(null, "", query ? `?${query}` : location.pathname);
  }

  function setFilter(key, value, on) {
    const next = readState();
    const chosen = new Set(next.filters[key] || []);
    if (on) chosen.add(value); else chosen.delete(value);
    if (chosen.size) next.filters[key] = [...chosen]; else delete next.filters[key];
    writeState(next);
  }

  // --- filters and their counts --------------------------------------------------------------------
  // A case's value positions for a facet: one value is stored as a number, several as a list.
  function positions(facets, doc, column) {
    const cell = facets.docs[doc][column];
    return Array.isArray(cell) ? cell : [cell];
  }

  function matches(facets, doc, filters, except) {
    return Object.entries(filters).every(([key, values]) => {
      if (key === except) return true;
      const names = positions(facets, doc, facets.facets.indexOf(key)).map((i) => facets.values[key][i]);
      return values.some((value) => names.includes(value));
    });
  }

  function facetCounts(facets, candidates, filters) {
    const counts = {};
    for (const [key] of FILTERS) {
      const column = facets.facets.indexOf(key);
      const count = {};
      for (const doc of candidates) {
        if (!matches(facets, doc, filters, key)) continue;
        for (const i of positions(facets, doc, column)) {
          const value = facets.values[key][i];
          count[value] = (count[value] || 0) + 1;
        }
      }
      for (const value of filters[key] || []) count[value] = count[value] || 0;
      counts[key] = count;
    }
    return counts;
  }

  // --- showing --------------------------------------------------------------------------------------

  // The applied filters, as chips that remove themselves; and the count on the phone's button.
  // Drawn from the URL before the index arrives, so nothing moves when it does.
  function renderChips(state) {
    const applied = FILTERS.flatMap(([key, label]) => (state.filters[key] || []).map((value) => [key, label, value]));
    toggle.textContent = `筛选（${applied.length}）`;
    chipList.replaceChildren();
    chipList.hidden = !applied.length;
    applied.forEach(([key, label, value], i) => {
      const chip = element("button", "cb-finder__chip", `${value} ×`);
      chip.type = "button";
      chip.setAttribute("aria-label", `取消筛选：${label} ${value}`);
      chip.addEventListener("click", () => {
        setFilter(key, value, false);
        run().then(() => {
          const chips = chipList.querySelectorAll("button");
          (chips[Math.min(i, chips.length - 1)] || input).focus();
        });
      });
      const item = element("li");
      item.append(chip);
      chipList.append(item);
    });
  }

  function renderFilters(state, counts) {
    const focused = document.activeElement && filterBox.contains(document.activeElement)
      ? [document.activeElement.name, document.activeElement.value] : null;
    filterBox.replaceChildren();
    for (const [key, label] of FILTERS) {
      const values = Object.entries(counts[key] || {});
      if (!values.length) continue;
      const group = element("fieldset", "cb-finder__filter");
      group.append(element("legend", "", label));
      values.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], "zh"));
      for (const [value, count] of values) {
        const option = element("label", "cb-finder__option");
        const box = element("input");
        box.type = "checkbox";
        box.name = key;
        box.value = value;
        box.checked = (state.filters[key] || []).includes(value);
        box.addEventListener("change", () => {
          setFilter(key, value, box.checked);
          run();
        });
        option.append(box, element("span", "", value), element("span", "cb-count", `（${count}）`));
        group.append(option);
      }
      filterBox.append(group);
    }
    // The filters were drawn anew: the box just ticked keeps the keyboard focus.
    if (focused) {
      const again = [...filterBox.querySelectorAll("input")].find((box) => box.name === focused[0] && box.value === focused[1]);
      if (again) again.focus();
    }
  }

  let ranked = [];
  let shownCount = 0;
  let generation = 0;
  let current = null;

  async function showMore() {
    const mine = generation;
    const page = ranked.slice(shownCount, shownCount + PAGE_SIZE);
    const rows = await engine.cases(current.meta, page);
    if (mine !== generation) return;
    shownCount += page.length;
    for (const found of rows) {
      const row = element("li", "cb-card cb-finder__result");
      const link = element("a", "", found.title);
      link.href = window.casebook.pageUrl(`cases/${found.id}`);
      const summary = element("span", "cb-card__summary");
      summary.append(engine.highlight(found.summary, current.tokens));
      const add = element("button", "md-button cb-compare-add", "加入对比");
      add.type = "button";
      add.dataset.caseId = found.id;
      const pack = element("button", "md-button cb-pack-add", "加入讲义"); // a trainer's course pack (casebook.js)
      pack.type = "button";
      pack.dataset.caseId = found.id;
      pack.dataset.basket = "pack";
      row.append(link, element("span", "cb-card__meta", `${found.region} · ${found.level}`), summary, add, pack);
      resultList.append(row);
    }
    document.dispatchEvent(new CustomEvent("casebook:compare-buttons"));
    moreButton.hidden = shownCount >= ranked.length;
  }

  function statusText(state, meta, found) {
    if (!state.q && !Object.keys(state.filters).length) return `共 ${meta.count} 个案例。输入关键词，或选择筛选条件。`;
    if (!ranked.length) return "没有找到案例。可以换个说法，或减少筛选条件。";
    if (state.q && found.missing.length) {
      return `没有案例提到${found.missing.map((term) => `“${term}”`).join("、")}，以下 ${ranked.length} 个案例部分相关`;
    }
    return `找到 ${ranked.length} 个案例`;
  }

  async function search() {
    const mine = ++generation;
    const state = readState();
    renderChips(state);
    const [found, facets] = await Promise.all([engine.search(state.q), engine.load("facets")]);
    if (mine !== generation) return;
    current = found;
    const candidates = found.tokens.length ? found.ranked : facets.docs.map((_, doc) => doc);
    renderFilters(state, facetCounts(facets, candidates, state.filters));
    resultList.replaceChildren();
    shownCount = 0;
    ranked = state.q || Object.keys(state.filters).length
      ? candidates.filter((doc) => matches(facets, doc, state.filters, null)) : [];
    status.textContent = statusText(state, found.meta, found);
    doneButton.textContent = ranked.length ? `查看 ${ranked.length} 个结果` : "查看结果";
    root.classList.remove("cb-finder--loading");
    if (ranked.length) await showMore(); else moreButton.hidden = true;
  }

  // Every search goes through here: a file that cannot be loaded says so, with a way to retry.
  async function run() {
    try {
      await search();
    } catch (error) {
      generation++;
      status.replaceChildren(element("span", "", error instanceof engine.LoadError
        ? "检索索引没有载入（网络不通或文件缺失）。" : "检索出错了。"));
      const retry = element("button", "md-button cb-finder__retry", "重试");
      retry.type = "button";
      retry.addEventListener("click", () => { status.textContent = "正在重新载入…"; run(); });
      status.append(retry);
      moreButton.hidden = true;
    }
  }

  // Phones: the filters open in a panel above the results, closed again by 查看结果.
  function openFilters(open) {
    toggle.setAttribute("aria-expanded", String(open));
    root.classList.toggle("cb-finder--filters-open", open);
  }
  toggle.addEventListener("click", () => openFilters(toggle.getAttribute("aria-expanded") !== "true"));
  doneButton.addEventListener("click", () => {
    openFilters(false);
    toggle.focus();
  });
  root.querySelector("form").addEventListener("submit", (event) => event.preventDefault());
  input.value = readState().q;
  let timer;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const next = readState();
      next.q = input.value.trim();
      writeState(next);
      run();
    }, 80);
  });
  moreButton.addEventListener("click", () => showMore().catch(run));
  run();
})();
