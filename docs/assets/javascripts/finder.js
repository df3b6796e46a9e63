// The finder page (案例检索): the search engine's results with filters and counts.
// State lives in the URL (?q=…&province=…&tag=…&sort=…; old ?kw= links still work) so that a link
// reproduces a result and a reload keeps it. Case text is only inserted as text, never as HTML.
// With no query and no filter it lists every case, a page at a time, from files written in each
// order (finder.py): the per-case facts it filters by are loaded only once a filter is chosen.
// The filters, orders and parameter names are the generated module "search-contract"
// (casebook/search_contract.py).
casebook.define("finder", ["engine", "ui", "routes", "basket", "search-contract"], (engine, ui, routes, basket, contract) => {
  "use strict";
  const FILTERS = contract.facets; // [{ key, param, label }], in the order shown
  const SORTS = contract.sorts; // [{ key, label }]: the first, relevance, needs a query
  const RELEVANCE = SORTS[0].key;
  const PARAMS = contract.params;
  const VALUES_SHOWN = 8; // per filter, before 显示全部: a long column of cities buries the rest
  const PAGE_SIZE = 10; // a phone screen or two

  const root = document.querySelector("[data-finder]");
  if (!root) return;
  const element = ui.element;
  const input = root.querySelector("input[type=search]");
  const status = root.querySelector("[data-finder-status]");
  const toggle = root.querySelector("[data-finder-toggle]");
  const chipList = root.querySelector("[data-finder-chips]");
  const filterBox = root.querySelector("[data-finder-filters]");
  const resultList = root.querySelector("[data-finder-results]");
  const moreButton = root.querySelector("[data-finder-more]");
  const doneButton = root.querySelector("[data-finder-done]");
  const sortSelect = root.querySelector("[data-finder-sort]");
  const noCaseBox = root.querySelector("[data-finder-no-case]");
  const expanded = new Set(); // filters whose every value is shown

  // --- state in the URL ----------------------------------------------------------------------------
  // Every parameter but the query's and the order's is a filter: docs/finder.md's inline script
  // relies on it to keep the chips' row before this script arrives.
  function readState() {
    const params = new URLSearchParams(location.search);
    const state = { q: params.get(PARAMS.query) ?? params.get(PARAMS.former_query) ?? "", filters: {},
                    sort: params.get(PARAMS.sort) || "" };
    for (const { key, param } of FILTERS) {
      const values = params.getAll(param);
      if (values.length) state.filters[key] = values;
    }
    return state;
  }

  function writeState(state) {
    const params = new URLSearchParams();
    if (state.q) params.set(PARAMS.query, state.q);
    for (const { key, param } of FILTERS) for (const value of state.filters[key] || []) params.append(param, value);
    if (state.sort) params.set(PARAMS.sort, state.sort);
    const query = params.toString();
    history.replaceState(null, "", query ? `?${query}` : location.pathname);
  }

  // The order asked for, or the default: by relevance with a query, the newest first without.
  function sortOf(state) {
    const known = SORTS.some(({ key }) => key === state.sort) && (state.q || state.sort !== RELEVANCE);
    return known ? state.sort : state.q ? RELEVANCE : SORTS[1].key;
  }

  function renderSort(state) {
    const chosen = sortOf(state);
    sortSelect.replaceChildren(...SORTS.filter(({ key }) => state.q || key !== RELEVANCE).map(({ key, label }) => {
      const option = element("option", "", label);
      option.value = key;
      option.selected = key === chosen;
      return option;
    }));
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
    for (const { key } of FILTERS) {
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
    const applied = FILTERS.flatMap(({ key, label }) => (state.filters[key] || []).map((value) => [key, label, value]));
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
    for (const { key, label, by_value: byValue, page } of FILTERS) {
      const values = Object.entries(counts[key] || {});
      const chosen = state.filters[key] || [];
      // One value shared by every case listed tells nothing apart.
      if (!values.length || (values.length === 1 && !chosen.length)) continue;
      const group = element("fieldset", "cb-finder__filter");
      group.append(element("legend", "", label));
      if (byValue) values.sort((a, b) => b[0].localeCompare(a[0]));
      else values.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], "zh"));
      const shortened = !expanded.has(key) && values.length > VALUES_SHOWN + 1
        && !values.slice(VALUES_SHOWN).some(([value]) => chosen.includes(value));
      for (const [value, count] of shortened ? values.slice(0, VALUES_SHOWN) : values) {
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
      if (shortened) {
        const all = element("button", "cb-finder__all-values", `显示全部 ${values.length} 项`);
        all.type = "button";
        all.addEventListener("click", () => {
          expanded.add(key);
          renderFilters(readState(), counts);
          filterBox.querySelectorAll(`input[name=${key}]`)[VALUES_SHOWN]?.focus();
        });
        group.append(all);
      }
      if (page) { // a page lists every value of the filter (the years'): 按年份浏览
        const browse = element("a", "cb-finder__browse", `按${label}浏览`);
        browse.href = routes.url(page);
        group.append(browse);
      }
      filterBox.append(group);
    }
    // The filters were drawn anew: the box just ticked keeps the keyboard focus.
    if (focused) {
      const again = [...filterBox.querySelectorAll("input")].find((box) => box.name === focused[0] && box.value === focused[1]);
      if (again) again.focus();
    }
  }

  // What is listed: the ranked case numbers of a search or a filter, or, with neither, every
  // case in a listing order ({ overview, order }).
  let ranked = [];
  let listing = null;
  let shownCount = 0;
  let generation = 0;
  let current = null;

  const total = () => (listing ? listing.overview.count : ranked.length);

  function rows(start, end) {
    return listing ? engine.listed(listing.order, start, end) : engine.cases(ranked.slice(start, end));
  }

  function resultRow(found) {
    const row = element("li", "cb-card cb-finder__result");
    const link = element("a", "", found.title);
    link.href = routes.url("case", { id: found.id });
    row.append(link, element("span", "cb-card__meta", [found.region, found.level, found.year].filter(Boolean).join(" · ")));
    if (found.tags.length) row.append(element("span", "cb-card__meta cb-finder__tags", `标签：${found.tags.join("、")}`));
    if (current.tokens.length) {
      const summary = element("span", "cb-card__summary");
      summary.append(ui.highlight(found.summary, current.tokens));
      row.append(summary);
    }
    row.append(...basket.buttonsFor(found.id)); // 加入对比, 加入讲义 (a trainer's course pack)
    return row;
  }

  async function showMore() {
    const mine = generation;
    const end = Math.min(total(), shownCount + PAGE_SIZE);
    const found = await rows(shownCount, end);
    if (mine !== generation) return;
    shownCount = end;
    resultList.append(...found.map(resultRow));
    basket.wireButtons();
    moreButton.hidden = shownCount >= total();
    moreButton.textContent = `显示更多（已显示 ${shownCount} / ${total()}）`;
  }

  function statusText(state, found) {
    if (listing) return `共 ${listing.overview.count} 个案例`;
    if (!ranked.length) return "没有找到案例。可以换个说法，或减少筛选条件。";
    if (state.q && ui.weakMatch(found)) return `${ui.weakMatch(found)}，以下 ${ranked.length} 个案例部分相关`;
    return `找到 ${ranked.length} 个案例`;
  }

  // A query no case answers is told so above the results (which share only some of its words),
  // with the problem pages whose words it shares, 按问题找做法 and 投稿.
  function showNoCase(state, found, problems) {
    noCaseBox.hidden = !(state.q && ui.noCase(found));
    if (noCaseBox.hidden) return;
    const parts = [ui.noCaseNotice(state.q, "cb-finder__no-case-text")];
    if (problems.length) {
      const line = element("p", "", "相关的问题：");
      problems.forEach((problem, index) => {
        const link = element("a", "", problem.name);
        link.href = routes.url("problem", { slug: problem.slug });
        line.append(...(index ? ["、"] : []), link, `（${problem.cases} 个做法）`);
      });
      parts.push(line);
    }
    noCaseBox.replaceChildren(...parts);
  }

  // The case numbers in a listing order's sequence (a search's or a filter's cases, re-sorted).
  async function inOrder(docs, order) {
    const sequence = await engine.load("order", { order });
    const position = new Map(sequence.map((doc, i) => [doc, i]));
    return docs.slice().sort((a, b) => position.get(a) - position.get(b));
  }

  async function search() {
    const mine = ++generation;
    resultList.setAttribute("aria-busy", "true"); // until this search's first rows are in
    const state = readState();
    const order = sortOf(state);
    renderChips(state);
    renderSort(state);
    let found;
    let counts;
    let chosen = [];
    let listed = null;
    let problems = [];
    if (!state.q && !Object.keys(state.filters).length) {
      const overview = await engine.load("overview");
      found = { tokens: [], missing: [] };
      counts = overview.counts;
      listed = { overview, order };
    } else {
      const [searched, facets, named] = await Promise.all([engine.search(state.q), engine.load("facets"),
                                                           state.q ? engine.problems(state.q) : []]);
      found = searched;
      problems = named;
      const candidates = found.tokens.length ? found.ranked : facets.docs.map((_, doc) => doc);
      counts = facetCounts(facets, candidates, state.filters);
      chosen = candidates.filter((doc) => matches(facets, doc, state.filters, null));
      if (order !== RELEVANCE) chosen = await inOrder(chosen, order);
    }
    if (mine !== generation) return;
    current = found;
    ranked = chosen;
    listing = listed;
    renderFilters(state, counts);
    resultList.replaceChildren();
    shownCount = 0;
    status.textContent = statusText(state, found);
    showNoCase(state, found, problems);
    doneButton.textContent = total() ? `查看 ${total()} 个结果` : "查看结果";
    root.classList.remove("cb-finder--loading");
    if (total()) await showMore(); else moreButton.hidden = true;
    if (mine === generation) resultList.setAttribute("aria-busy", "false");
  }

  // Every search goes through here: a file that cannot be loaded says so, with a way to retry.
  async function run() {
    try {
      await search();
    } catch (error) {
      generation++;
      resultList.setAttribute("aria-busy", "false");
      ui.showFailure(status, error, "检索", run, "md-button cb-finder__retry");
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
  input.addEventListener("input", ui.afterTyping(() => {
    const next = readState();
    next.q = input.value.trim();
    writeState(next);
    run();
  }));
  moreButton.addEventListener("click", () => showMore().catch(run));
  sortSelect.addEventListener("change", () => {
    const next = readState();
    next.sort = sortSelect.value;
    writeState(next);
    run();
  });
  run();
});
