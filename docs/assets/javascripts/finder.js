// The finder (案例检索): full-text search with filters, over the static index that
// casebook/finder.py writes into finder-index/ (character pairs in hash shards).
// State lives in the URL (?kw=…&province=…&tag=…) so that a link reproduces a result.
// Case text is only ever inserted with textContent, never as HTML.
(() => {

  const FILTERS = [
    ["province", "省份"], ["city", "城市"], ["tag", "标签"], ["level", "层级"],
    ["setting", "城乡"], ["year", "年份"], ["metrics", "数据"],
  ];
  const PAGE_SIZE = 20;
  const K1 = 1.2;
  const B = 0.75;
  const KEEP_SHARE = 0.15; // a long question matches almost every case weakly: keep the strong ones

  const root = document.querySelector("[data-finder]");
  if (!root) return;
  const input = root.querySelector("input[name=kw]");
  const status = root.querySelector("[data-finder-status]");
  const filterBox = root.querySelector("[data-finder-filters]");
  const resultList = root.querySelector("[data-finder-results]");
  const moreButton = root.querySelector("[data-finder-more]");
  const indexBase = new URL("finder-index/", window.casebook.root);

  // --- loading the index: each file is a script calling casebookFinder.receive(name, data) -------
  const waiting = new Map();
  const loaded = new Map();
  window.casebookFinder = {
    receive(name, data) {
      loaded.set(name, data);
      (waiting.get(name) || []).forEach((resolve) => resolve(data));
      waiting.delete(name);
    },
  };

  function load(name) {
    if (loaded.has(name)) return Promise.resolve(loaded.get(name));
    return new Promise((resolve, reject) => {
      const first = !waiting.has(name);
      waiting.set(name, [...(waiting.get(name) || []), resolve]);
      if (!first) return;
      const script = document.createElement("script");
      script.src = new URL(`${name}.js`, indexBase).href;
      script.onerror = () => reject(new Error(name));
      document.head.append(script);
    });
  }

  // --- the same text analysis as casebook/finder.py -------------------------------------------------
  function fold(text) {
    const folded = text.normalize("NFKC").toLowerCase();
    return window.casebookFold ? window.casebookFold(folded) : folded;
  }

  function tokens(text) {
    const result = [];
    for (const run of fold(text).match(/[\u3400-\u9fff\uf900-\ufaff]+|[a-z0-9]+/g) || []) {
      if (/[\u3400-\u9fff\uf900-\ufaff]/.test(run) && run.length > 1) {
        for (let i = 0; i < run.length - 1; i++) result.push(run.slice(i, i + 2));
      } else {
        result.push(run);
      }
    }
    return [...new Set(result)];
  }

  function shardOf(token, shards) {
    let value = 0x811c9dc5;
    for (let i = 0; i < token.length; i++) {
      value ^= token.charCodeAt(i);
      value = Math.imul(value, 0x01000193) >>> 0;
    }
    return value % shards;
  }

  // --- state in the URL ----------------------------------------------------------------------------
  function readState() {
    const params = new URLSearchParams(location.search);
    const state = { kw: params.get("kw") || "", filters: {} };
    for (const [key] of FILTERS) {
      const values = params.getAll(key);
      if (values.length) state.filters[key] = values;
    }
    return state;
  }

  function writeState(state) {
    const params = new URLSearchParams();
    if (state.kw) params.set("kw", state.kw);
    for (const [key] of FILTERS) for (const value of state.filters[key] || []) params.append(key, value);
    const query = params.toString();
    history.replaceState(null, "", query ? `?${query}` : location.pathname);
  }

  // --- searching ------------------------------------------------------------------------------------
  async function score(meta, queryTokens) {
    const scores = new Map();
    const shards = await Promise.all(queryTokens.map((t) => load(`terms/${shardOf(t, meta.shards)}`)));
    queryTokens.forEach((token, i) => {
      const flat = shards[i][token];
      if (!flat) return;
      const df = flat.length / 2;
      const idf = Math.log(1 + (meta.count - df + 0.5) / (df + 0.5));
      let doc = 0;
      for (let j = 0; j < flat.length; j += 2) {
        doc += flat[j];
        const tf = flat[j + 1];
        const norm = 1 - B + (B * meta.docs[doc][0]) / meta.average_length;
        scores.set(doc, (scores.get(doc) || 0) + (idf * tf * (K1 + 1)) / (tf + K1 * norm));
      }
    });
    if (queryTokens.length > 2 && scores.size) {
      const best = Math.max(...scores.values());
      for (const [doc, value] of scores) if (value < KEEP_SHARE * best) scores.delete(doc);
    }
    return scores;
  }

  function matches(meta, doc, filters, except) {
    return Object.entries(filters).every(([key, values]) => {
      if (key === except) return true;
      const column = meta.facets.indexOf(key) + 1;
      const names = meta.docs[doc][column].map((i) => meta.values[key][i]);
      return values.some((value) => names.includes(value));
    });
  }

  function facetCounts(meta, candidates, filters) {
    const counts = {};
    for (const [key] of FILTERS) {
      const column = meta.facets.indexOf(key) + 1;
      const count = {};
      for (const doc of candidates) {
        if (!matches(meta, doc, filters, key)) continue;
        for (const i of meta.docs[doc][column]) {
          const value = meta.values[key][i];
          count[value] = (count[value] || 0) + 1;
        }
      }
      for (const value of filters[key] || []) count[value] = count[value] || 0;
      counts[key] = count;
    }
    return counts;
  }

  // --- showing --------------------------------------------------------------------------------------
  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function highlighted(text, queryTokens) {
    const wanted = new Set(queryTokens);
    const marked = new Array(text.length).fill(false);
    const folded = fold(text);
    for (let i = 0; i < text.length; i++) {
      if (wanted.has(folded.slice(i, i + 2))) marked[i] = marked[i + 1] = true;
    }
    const node = element("span", "cb-card__summary");
    let i = 0;
    while (i < text.length) {
      let j = i;
      while (j < text.length && marked[j] === marked[i]) j++;
      node.append(marked[i] ? element("mark", "", text.slice(i, j)) : document.createTextNode(text.slice(i, j)));
      i = j;
    }
    return node;
  }

  function renderFilters(state, counts) {
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
          const next = readState();
          const chosen = new Set(next.filters[key] || []);
          if (box.checked) chosen.add(value); else chosen.delete(value);
          if (chosen.size) next.filters[key] = [...chosen]; else delete next.filters[key];
          writeState(next);
          run();
        });
        option.append(box, element("span", "", value), element("span", "cb-count", `（${count}）`));
        group.append(option);
      }
      filterBox.append(group);
    }
  }

  let ranked = [];
  let shownCount = 0;
  let generation = 0;
  let currentTokens = [];

  async function showMore(meta) {
    const mine = generation;
    const page = ranked.slice(shownCount, shownCount + PAGE_SIZE);
    shownCount += page.length;
    const chunks = await Promise.all(page.map((doc) => load(`docs/${Math.floor(doc / meta.docs_per_chunk)}`)));
    if (mine !== generation) return;
    page.forEach((doc, i) => {
      const [id, title, region, level, summary] = chunks[i][doc % meta.docs_per_chunk];
      const row = element("li", "cb-card cb-finder__result");
      const link = element("a", "", title);
      link.href = window.casebook.pageUrl(`cases/${id}`);
      const add = element("button", "md-button cb-compare-add", "加入对比");
      add.type = "button";
      add.dataset.caseId = id;
      row.append(link, element("span", "cb-card__meta", `${region} · ${level}`), highlighted(summary, currentTokens), add);
      resultList.append(row);
    });
    document.dispatchEvent(new CustomEvent("casebook:compare-buttons"));
    moreButton.hidden = shownCount >= ranked.length;
  }

  async function run() {
    const mine = ++generation;
    const meta = await load("meta");
    const state = readState();
    currentTokens = tokens(state.kw);
    const hasFilters = Object.keys(state.filters).length > 0;
    let candidates;
    let scores = new Map();
    if (currentTokens.length) {
      scores = await score(meta, currentTokens);
      candidates = [...scores.keys()];
    } else {
      candidates = meta.docs.map((_, doc) => doc);
    }
    if (mine !== generation) return;
    renderFilters(state, facetCounts(meta, candidates, state.filters));
    resultList.replaceChildren();
    shownCount = 0;
    if (!currentTokens.length && !hasFilters) {
      ranked = [];
      moreButton.hidden = true;
      status.textContent = `共 ${meta.count} 个案例。输入关键词，或选择左侧的筛选条件。`;
      return;
    }
    ranked = candidates.filter((doc) => matches(meta, doc, state.filters, null));
    ranked.sort((a, b) => (scores.get(b) || 0) - (scores.get(a) || 0) || a - b);
    status.textContent = ranked.length ? `找到 ${ranked.length} 个案例` : "没有找到案例。可以换个说法，或减少筛选条件。";
    await showMore(meta);
  }

  async function start() {
    try {
      await load("meta");
    } catch (error) {
      status.textContent = "检索索引无法载入，请刷新页面重试。";
      return;
    }
    input.value = readState().kw;
    let timer;
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        const next = readState();
        next.kw = input.value.trim();
        writeState(next);
        run();
      }, 80);
    });
    moreButton.addEventListener("click", async () => showMore(await load("meta")));
    await run();
  }

  start();
})();
