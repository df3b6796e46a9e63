// 自选讲义 (packs/custom/): a lesson plan from the cases a trainer chose with "加入讲义": a cover
// with the course's name, unit and date; a comparison page of the cases; then each case on a
// page of its own, as a one-page digest (default) or in full, with questions for discussion
// (by default the editors' prompts, "可以讨论", marked as theirs; the trainer's words replace
// them). All of it is kept in the pack basket and in the page's address
// (?ids=a,b&title=…&unit=…&date=…&view=full&q-a=…), so the link can be shared.
// Each case's page of the build (the full case) and its digest (api/digests/<id>.htm, rendered
// by the build: templates/_digest.j2) are fetched once; this page arranges them and writes no
// case text of its own. The page's markup was escaped when it
// was built, and the trainer's words are only ever inserted with textContent.
casebook.define("pack", ["ui", "routes", "basket", "site"], (ui, routes, basket, site) => {
  "use strict";
  const root = document.querySelector("[data-custom-pack]");
  if (!root) return;
  const heading = document.querySelector("[data-pack-title]");
  const meta = document.querySelector("[data-pack-meta]");
  const inputs = {
    title: root.querySelector("[data-pack-title-input]"),
    unit: root.querySelector("[data-pack-unit-input]"),
    date: root.querySelector("[data-pack-date-input]"),
  };
  const views = [...root.querySelectorAll("input[name=cb-pack-view]")];
  const status = root.querySelector("[data-pack-status]");
  const contents = root.querySelector("[data-pack-contents]");
  const comparison = root.querySelector("[data-pack-compare]");
  const casesBox = root.querySelector("[data-pack-cases]");
  const clear = root.querySelector("[data-pack-clear]");
  const DEFAULT_TITLE = heading.textContent;
  const SITE_NAME = document.title.split(" - ").pop();
  const COVER = ["title", "unit", "date"]; // the cover's fields, each an input and a URL parameter
  // What a case page carries that a printed course pack does not: the page's buttons and
  // edit link, the comparable cases, the page's own address and citation (the pack prints
  // the case's address instead) and each figure's 复制证据.
  const LEFT_OUT = ".md-content__button, .cb-actions, .cb-page-address, .cb-cite, .cb-compare-start, " +
    ".cb-copy-evidence, script";

  const element = ui.element;
  const mark = (index) => String.fromCodePoint(0x2460 + index); // ① ② ③, as on the compare page

  function stateFromUrl() {
    const params = new URLSearchParams(location.search);
    if (!params.get("ids")) return null;
    const ids = [...new Set(params.get("ids").split(",").filter(basket.isCaseId))];
    const questions = {};
    // A trainer's questions, even none (an empty q-a= keeps the editors' prompts off that case).
    for (const id of ids) if (params.has(`q-${id}`)) questions[id] = params.get(`q-${id}`);
    const state = {ids, questions, view: params.get("view") === "full" ? "full" : "digest"};
    for (const name of COVER) state[name] = params.get(name) || "";
    return state;
  }

  const state = stateFromUrl() || basket.read("pack");
  for (const name of COVER) state[name] = typeof state[name] === "string" ? state[name] : "";
  state.questions = state.questions && typeof state.questions === "object" ? state.questions : {};
  state.view = state.view === "full" ? "full" : "digest";

  function save() {
    basket.save("pack", state);
    const params = new URLSearchParams();
    if (state.ids.length) params.set("ids", state.ids.join(","));
    for (const name of COVER) if (state[name]) params.set(name, state[name]);
    if (state.view === "full") params.set("view", "full");
    for (const id of state.ids) if (typeof state.questions[id] === "string") params.set(`q-${id}`, state.questions[id]);
    const query = params.toString().replace(/%2C/g, ",");
    history.replaceState(null, "", query ? `?${query}` : location.pathname);
  }

  function showCover() {
    const title = state.title || DEFAULT_TITLE;
    heading.textContent = title;
    document.title = `${title} - ${SITE_NAME}`;
    const lines = [state.unit && `举办单位：${state.unit}`, state.date && `日期：${state.date}`].filter(Boolean);
    meta.replaceChildren(...lines.map((line) => element("span", "", line)));
    meta.hidden = !lines.length;
  }

  // Ids prefixed with the case's id so that two cases never share one, links made absolute
  // (they were relative to the case page), headings one level down (the pack's title is the h1).
  function adopt(id, body, pageUrl) {
    for (const level of [3, 2, 1]) {
      body.querySelectorAll(`h${level}`).forEach((old) => {
        const lower = document.createElement(`h${level + 1}`);
        for (const attribute of old.attributes) lower.setAttribute(attribute.name, attribute.value);
        lower.append(...old.childNodes);
        old.replaceWith(lower);
      });
    }
    body.querySelectorAll("[id]").forEach((node) => { node.id = `${id}--${node.id}`; });
    body.querySelectorAll("[aria-labelledby]").forEach((node) => {
      node.setAttribute("aria-labelledby", `${id}--${node.getAttribute("aria-labelledby")}`);
    });
    body.querySelectorAll("[href]").forEach((node) => {
      const href = node.getAttribute("href");
      node.setAttribute("href", href.startsWith("#") ? `#${id}--${decodeURIComponent(href.slice(1))}` : new URL(href, pageUrl).href);
    });
    return body;
  }

  // A case, read once: its title, its digest, its full article and the editors' prompts.
  function read(id, html, digestHtml, pageUrl) {
    const page = new DOMParser().parseFromString(html, "text/html");
    const body = page.querySelector("[data-case-page]");
    const digest = new DOMParser().parseFromString(digestHtml, "text/html").querySelector(".cb-digest");
    if (!body || !digest) throw new Error(id);
    const title = body.querySelector("h1").textContent;
    const prompts = [...digest.querySelectorAll("[data-digest-prompts] li")].map((item) => item.textContent.trim());
    digest.querySelector("[data-digest-prompts]")?.remove();
    body.querySelectorAll(LEFT_OUT).forEach((node) => node.remove());
    const comparables = body.querySelector("h2[id='可比案例']");
    while (comparables && comparables.nextElementSibling && comparables.nextElementSibling.tagName !== "H2") {
      comparables.nextElementSibling.remove();
    }
    if (comparables) comparables.remove();
    const full = element("div", "cb-custom-pack__full");
    full.append(...adopt(id, body, pageUrl).childNodes);
    return {id, title, prompts, pageUrl, digest: adopt(id, digest, pageUrl), full};
  }

  // The questions of a case: the trainer's, or the editors' prompts while the trainer has written none.
  function questionsOf(id) {
    const own = state.questions[id];
    return typeof own === "string" ? own : cases[id].prompts.join("\n");
  }

  function section(item) {
    const node = element("section", "cb-pack-case cb-custom-pack__case");
    node.id = `pack-${item.id}`;
    const title = element("h2", "", item.title);
    const questions = element("div", "cb-custom-pack__questions");
    questions.append(element("h3", "", "讨论题"), element("p", "cb-custom-pack__questions-origin"), element("ol"));
    const address = element("p", "cb-page-address", "案例页：");
    const link = element("a", "", routes.printed("case", { id: item.id }));
    link.href = item.pageUrl;
    address.append(link);
    node.append(title, state.view === "full" ? item.full : item.digest, questions, address);
    return node;
  }

  function button(text, label, onClick) {
    const node = element("button", "md-button", text);
    node.type = "button";
    node.setAttribute("aria-label", label);
    node.addEventListener("click", onClick);
    return node;
  }

  function move(id, step) {
    const from = state.ids.indexOf(id);
    const to = from + step;
    if (to < 0 || to >= state.ids.length) return;
    state.ids.splice(from, 1);
    state.ids.splice(to, 0, id);
    save();
    show();
  }

  function remove(id) {
    state.ids = state.ids.filter((other) => other !== id);
    delete state.questions[id];
    save();
    show();
  }

  let cases = {};
  let sections = {};

  // The comparison page: the digests' facts side by side, a column per case.
  function showComparison() {
    comparison.hidden = state.ids.length < 2;
    if (comparison.hidden) return;
    const fields = [...cases[state.ids[0]].digest.querySelectorAll("[data-digest-field]")]
      .map((node) => [node.getAttribute("data-digest-field"), node.querySelector("dt").textContent]);
    const head = element("tr");
    head.append(element("td"));
    state.ids.forEach((id, index) => {
      const th = element("th", "", `${mark(index)} ${cases[id].title}`);
      th.scope = "col";
      head.append(th);
    });
    const thead = element("thead");
    thead.append(head);
    const tbody = element("tbody");
    for (const [name, label] of fields) {
      const row = element("tr");
      const th = element("th", "", label);
      th.scope = "row";
      row.append(th, ...state.ids.map((id) => {
        const cell = element("td");
        const value = cases[id].digest.querySelector(`[data-digest-field="${name}"] dd`);
        if (value) cell.append(...[...value.childNodes].map((child) => child.cloneNode(true)));
        return cell;
      }));
      tbody.append(row);
    }
    comparison.querySelector("table").replaceChildren(thead, tbody);
  }

  // The contents (on screen also where the order and the questions are edited), the
  // comparison, then the cases.
  function show() {
    showCover();
    clear.hidden = !state.ids.length;
    if (!state.ids.length) {
      status.textContent = "讲义里还没有案例：在案例页、问题页、标签页或案例检索中点“加入讲义”。";
      contents.replaceChildren();
      casesBox.replaceChildren();
      comparison.hidden = true;
      return;
    }
    status.textContent = `共 ${state.ids.length} 个案例，每个案例从新的一页开始${state.view === "full" ? "（全文）" : "（摘要，约一页）"}。`;
    contents.replaceChildren(...state.ids.map((id, index) => {
      const title = cases[id].title;
      const item = element("li", "cb-custom-pack__entry");
      const link = element("a", "", title);
      link.href = `#pack-${id}`;
      const tools = element("span", "cb-custom-pack__tools cb-screen-only");
      const up = button("上移", `上移：${title}`, () => move(id, -1));
      const down = button("下移", `下移：${title}`, () => move(id, 1));
      up.disabled = index === 0;
      down.disabled = index === state.ids.length - 1;
      tools.append(up, down, button("移除", `从讲义中移除：${title}`, () => remove(id)));
      const label = element("label", "cb-custom-pack__question-field cb-screen-only", "讨论题（每行一题，可修改）");
      const field = element("textarea");
      field.rows = 3;
      field.value = questionsOf(id);
      field.addEventListener("input", () => {
        state.questions[id] = field.value;
        showQuestions(id);
        save();
      });
      label.append(field);
      item.append(link, tools, label);
      return item;
    }));
    sections = Object.fromEntries(state.ids.map((id) => [id, section(cases[id])]));
    showComparison();
    casesBox.replaceChildren(...state.ids.map((id) => sections[id]));
    state.ids.forEach(showQuestions);
  }

  function showQuestions(id) {
    const box = sections[id].querySelector(".cb-custom-pack__questions");
    const lines = questionsOf(id).split("\n").map((line) => line.trim()).filter(Boolean);
    box.hidden = !lines.length;
    // The editors' prompts are their view, not the report's: said so, on paper too.
    box.querySelector(".cb-custom-pack__questions-origin").textContent =
      typeof state.questions[id] === "string" ? "" : "编者根据报道拟的讨论题，供参考。";
    const list = element("ol");
    for (const line of lines) list.append(element("li", "", line));
    box.querySelector("ol").replaceWith(list);
  }

  async function start() {
    for (const name of COVER) {
      inputs[name].value = state[name];
      inputs[name].addEventListener("input", () => {
        state[name] = inputs[name].value.trim();
        showCover();
        save();
      });
    }
    for (const radio of views) {
      radio.checked = radio.value === state.view;
      radio.addEventListener("change", () => {
        if (!radio.checked) return;
        state.view = radio.value;
        save();
        show();
      });
    }
    clear.addEventListener("click", () => {
      state.ids = [];
      state.questions = {};
      save();
      show();
    });
    showCover();
    await load();
  }

  // Each case's page, all or none; a failure names the case, with 重试.
  async function load() {
    if (state.ids.length) {
      const urls = state.ids.map((id) => routes.url("case", { id }));
      const text = (response) => response.text();
      try {
        const [pages, digests] = await Promise.all([
          Promise.all(state.ids.map((id, index) => site.fetchWithin(urls[index], `案例 ${id}`, text))),
          Promise.all(state.ids.map((id) => site.fetchWithin(routes.url("case_digest", { id }), `案例 ${id}`, text))),
        ]);
        cases = Object.fromEntries(state.ids.map((id, index) => [id, read(id, pages[index], digests[index], urls[index])]));
      } catch (error) {
        ui.showFailure(status, error, "自选讲义", load, "md-button cb-retry");
        clear.hidden = false; // a case no longer in the library must not block the pack for good
        return;
      }
    }
    save();
    show();
  }

  start();
});
