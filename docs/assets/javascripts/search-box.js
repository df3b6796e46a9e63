// The search box of every page (the header's, and any other form[data-cb-search], such as the
// home page's): results drop down as the person types, from the same engine and in the same
// order as the 案例检索 finder, whose full list the last line opens; above them, the problem
// pages (按问题找做法) whose words the query shares.
// A combobox (WAI-ARIA): focus stays in the box, ↑ ↓ move through the options, Enter opens one
// (or the finder), Esc closes the list.
casebook.define("search-box", ["engine", "ui", "routes", "search-contract"], (engine, ui, routes, contract) => {
  "use strict";
  const CASES_SHOWN = 6;
  const PAGES_SHOWN = 3;
  const PROBLEMS_SHOWN = 2;
  const element = ui.element;
  const QUERY = contract.params.query; // the finder's query parameter, the boxes' input name

  function finderUrl(query) {
    return `${routes.url("finder")}?${QUERY}=${encodeURIComponent(query)}`;
  }

  let boxes = 0;

  function attach(form) {
    const input = form.querySelector(`input[name=${QUERY}]`);
    if (!input || form.dataset.cbSearchWired) return;
    form.dataset.cbSearchWired = "1";
    const id = `cb-search-${++boxes}`;
    const panel = element("div", "cb-search__panel");
    panel.hidden = true;
    // On a phone the results scroll inside the panel: a keyboard must be able to reach it too.
    panel.tabIndex = 0;
    panel.setAttribute("role", "region");
    panel.setAttribute("aria-label", "检索结果（可滚动）");
    const status = element("p", "cb-search__status");
    status.setAttribute("role", "status");
    const list = element("div", "cb-search__list");
    list.id = `${id}-list`;
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "检索结果");
    panel.append(status, list);
    form.append(panel);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);

    let generation = 0;
    let active = -1;

    const options = () => [...list.querySelectorAll("[role=option]")];

    function open(on) {
      panel.hidden = !on;
      input.setAttribute("aria-expanded", String(on));
      form.classList.toggle("cb-search--open", on);
      if (!on) choose(-1);
    }

    function choose(index) {
      const all = options();
      active = index;
      all.forEach((option, i) => option.setAttribute("aria-selected", String(i === index)));
      if (all[index]) {
        input.setAttribute("aria-activedescendant", all[index].id);
        all[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function option(href, ...children) {
      const link = element("a", "cb-search__option");
      link.id = `${id}-option-${list.querySelectorAll("[role=option]").length}`;
      link.href = href;
      link.tabIndex = -1;
      link.setAttribute("role", "option");
      link.setAttribute("aria-selected", "false");
      link.append(...children);
      return link;
    }

    function group(label, links) {
      const node = element("div", "cb-search__group");
      node.setAttribute("role", "group");
      node.setAttribute("aria-label", label);
      node.append(element("div", "cb-search__heading", label), ...links);
      list.append(node);
    }

    // A query no case answers is told so first, with where to look (the matching problem's
    // page, 按问题找做法) and 投稿; the cases that share some of its words follow, named as such.
    function render(query, found, cases, pages, problems) {
      list.replaceChildren();
      const total = found.ranked.length;
      if (ui.noCase(found)) {
        status.replaceChildren(ui.noCaseNotice(query, "cb-search__no-case"));
        if (total) status.append(`${ui.weakMatch(found) || "没有案例提到这些词"}，以下案例部分相关。`);
      } else if (ui.weakMatch(found)) status.textContent = `${ui.weakMatch(found)}，以下案例部分相关`;
      else status.textContent = `${total} 个案例`;
      if (problems.length) {
        group("按问题找做法", problems.map((problem) => option(routes.url("problem", { slug: problem.slug }),
          element("span", "cb-search__title", `问题：${problem.name}`),
          element("span", "cb-search__meta", `${problem.cases} 个做法`),
          element("span", "cb-search__snippet", problem.description))));
      }
      if (cases.length) {
        group("案例", cases.map((item) => {
          const snippet = element("span", "cb-search__snippet");
          snippet.append(ui.highlight(item.summary, found.tokens));
          return option(routes.url("case", { id: item.id }), element("span", "cb-search__title", item.title),
            element("span", "cb-search__meta", `${item.region} · ${item.level}`), snippet);
        }));
      }
      if (pages.length) {
        group("网站页面", pages.map((page) => {
          const snippet = element("span", "cb-search__snippet");
          snippet.append(ui.highlight(ui.excerpt(page.text, found.tokens, 60), found.tokens));
          return option(routes.url("page", { name: page.path }), element("span", "cb-search__title", page.title), snippet);
        }));
      }
      if (total) {
        const all = option(finderUrl(query), `在案例检索中查看全部 ${total} 个结果`);
        all.classList.add("cb-search__all");
        list.append(all);
      }
      open(true);
    }

    function renderError(error) {
      list.replaceChildren();
      ui.showFailure(status, error, "检索", () => { show(); input.focus(); }, "cb-search__retry");
      open(true);
    }

    async function show() {
      const query = input.value.trim();
      const mine = ++generation;
      if (!query) {
        open(false);
        return;
      }
      try {
        const [found, pages, problems] = await Promise.all([engine.search(query), engine.pages(query, PAGES_SHOWN),
                                                            engine.problems(query, PROBLEMS_SHOWN)]);
        const cases = await engine.cases(found.ranked.slice(0, CASES_SHOWN));
        if (mine === generation) render(query, found, cases, pages, problems);
      } catch (error) {
        if (mine === generation) renderError(error);
      }
    }

    const update = ui.afterTyping(show);

    // Chinese arrives through an input method: the text is final at compositionend, and no key
    // event need come with it.
    input.addEventListener("input", (event) => { if (!event.isComposing) update(); });
    input.addEventListener("compositionend", update);
    input.addEventListener("focus", () => {
      // What every query needs, fetched while the person starts typing.
      Promise.all([engine.load("meta"), engine.load("pages")]).catch(() => {});
      if (input.value.trim() && panel.hidden) show();
    });
    input.addEventListener("keydown", (event) => {
      const all = options();
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (panel.hidden) { show(); return; }
        event.preventDefault();
        // From the box (-1) down through the options and back to the box.
        const next = active + (event.key === "ArrowDown" ? 1 : -1);
        choose(next >= all.length ? -1 : next < -1 ? all.length - 1 : next);
      } else if (event.key === "Escape") {
        if (!panel.hidden) { event.preventDefault(); open(false); }
      }
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const query = input.value.trim();
      const chosen = options()[active];
      if (chosen) location.href = chosen.href;
      else if (query) location.href = finderUrl(query);
    });
    // Leaving the box closes the list; a click inside it (on an option) does not.
    form.addEventListener("focusout", (event) => { if (!form.contains(event.relatedTarget)) open(false); });
    list.addEventListener("mousedown", (event) => event.preventDefault()); // keep focus in the box
  }

  document.querySelectorAll("form[data-cb-search]").forEach(attach);
});
