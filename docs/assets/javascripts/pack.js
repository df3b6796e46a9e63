// 自选讲义 (packs/custom/): the cases a trainer chose with "加入讲义", in the trainer's order,
// under the trainer's title, each with optional questions for discussion; kept in the pack
// basket and in the page's address (?ids=a,b&title=…&q-a=…), so the link can be shared.
// Each case is its own page of the build, fetched and shown here as it prints on its own (a
// case per printed page); the page's markup was escaped when it was built, and the trainer's
// words are only ever inserted with textContent.
casebook.define("pack", ["ui", "routes", "basket", "site"], (ui, routes, basket, site) => {
  const root = document.querySelector("[data-custom-pack]");
  if (!root) return;
  const heading = document.querySelector("[data-pack-title]");
  const titleInput = root.querySelector("[data-pack-title-input]");
  const status = root.querySelector("[data-pack-status]");
  const contents = root.querySelector("[data-pack-contents]");
  const casesBox = root.querySelector("[data-pack-cases]");
  const clear = root.querySelector("[data-pack-clear]");
  const DEFAULT_TITLE = heading.textContent;
  const SITE_NAME = document.title.split(" - ").pop();
  // What a case page carries that a printed course pack does not: the page's buttons and
  // edit link, the comparable cases, and the page's own address and citation (the pack prints
  // the case's address instead).
  const LEFT_OUT = ".md-content__button, .cb-actions, .cb-page-address, .cb-cite, .cb-compare-start, script";

  const element = ui.element;

  function stateFromUrl() {
    const params = new URLSearchParams(location.search);
    if (!params.get("ids")) return null;
    const ids = [...new Set(params.get("ids").split(",").filter(basket.isCaseId))];
    const questions = {};
    for (const id of ids) if (params.get(`q-${id}`)) questions[id] = params.get(`q-${id}`);
    return {ids, title: params.get("title") || "", questions};
  }

  const state = stateFromUrl() || basket.read("pack");
  state.title = typeof state.title === "string" ? state.title : "";
  state.questions = state.questions && typeof state.questions === "object" ? state.questions : {};

  function save() {
    basket.save("pack", state);
    const params = new URLSearchParams();
    if (state.ids.length) params.set("ids", state.ids.join(","));
    if (state.title) params.set("title", state.title);
    for (const id of state.ids) if (state.questions[id]) params.set(`q-${id}`, state.questions[id]);
    const query = params.toString().replace(/%2C/g, ",");
    history.replaceState(null, "", query ? `?${query}` : location.pathname);
  }

  function showTitle() {
    const title = state.title || DEFAULT_TITLE;
    heading.textContent = title;
    document.title = `${title} - ${SITE_NAME}`;
  }

  // A case page's article, made ready to stand inside this page: headings one level down
  // (the pack's title is the page's h1), ids prefixed with the case's id so that two cases
  // never share one, and links made absolute (they were relative to the case page).
  function article(id, html, pageUrl) {
    const page = new DOMParser().parseFromString(html, "text/html");
    const body = page.querySelector("[data-case-page]");
    if (!body) throw new Error(id);
    body.querySelectorAll(LEFT_OUT).forEach((node) => node.remove());
    const comparables = body.querySelector("h2[id='可比案例']");
    while (comparables && comparables.nextElementSibling && comparables.nextElementSibling.tagName !== "H2") {
      comparables.nextElementSibling.remove();
    }
    if (comparables) comparables.remove();
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
    const section = element("section", "cb-pack-case cb-custom-pack__case");
    section.id = `pack-${id}`;
    section.append(...body.childNodes);
    const questions = element("div", "cb-custom-pack__questions");
    questions.append(element("h3", "", "讨论题"), element("p"));
    const address = element("p", "cb-page-address", "案例页：");
    const link = element("a", "", routes.printed("case", { id }));
    link.href = pageUrl;
    address.append(link);
    section.append(questions, address);
    return section;
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

  let sections = {};

  // The contents (on screen also where the order and the questions are edited), then the cases.
  function show() {
    showTitle();
    clear.hidden = !state.ids.length;
    if (!state.ids.length) {
      status.textContent = "讲义里还没有案例：在案例页或案例检索中点“加入讲义”。";
      contents.replaceChildren();
      casesBox.replaceChildren();
      return;
    }
    status.textContent = `共 ${state.ids.length} 个案例，每个案例从新的一页开始。`;
    contents.replaceChildren(...state.ids.map((id, index) => {
      const section = sections[id];
      const title = section.querySelector("h2").textContent;
      const item = element("li", "cb-custom-pack__entry");
      const link = element("a", "", title);
      link.href = `#pack-${id}`;
      const tools = element("span", "cb-custom-pack__tools cb-screen-only");
      const up = button("上移", `上移：${title}`, () => move(id, -1));
      const down = button("下移", `下移：${title}`, () => move(id, 1));
      up.disabled = index === 0;
      down.disabled = index === state.ids.length - 1;
      tools.append(up, down, button("移除", `从讲义中移除：${title}`, () => remove(id)));
      const label = element("label", "cb-custom-pack__question-field cb-screen-only", "讨论题（可选，每行一题）");
      const field = element("textarea");
      field.rows = 3;
      field.value = state.questions[id] || "";
      field.addEventListener("input", () => {
        state.questions[id] = field.value;
        showQuestions(id);
        save();
      });
      label.append(field);
      item.append(link, tools, label);
      return item;
    }));
    casesBox.replaceChildren(...state.ids.map((id) => sections[id]));
    state.ids.forEach(showQuestions);
  }

  function showQuestions(id) {
    const box = sections[id].querySelector(".cb-custom-pack__questions");
    const lines = (state.questions[id] || "").split("\n").map((line) => line.trim()).filter(Boolean);
    box.hidden = !lines.length;
    const list = element("ol");
    for (const line of lines) list.append(element("li", "", line));
    box.lastElementChild.replaceWith(list);
  }

  async function start() {
    titleInput.value = state.title;
    titleInput.addEventListener("input", () => {
      state.title = titleInput.value.trim();
      showTitle();
      save();
    });
    clear.addEventListener("click", () => {
      state.ids = [];
      state.questions = {};
      save();
      show();
    });
    await load();
  }

  // Each case's page, all or none; a failure names the case, with 重试.
  async function load() {
    if (state.ids.length) {
      const urls = state.ids.map((id) => routes.url("case", { id }));
      try {
        const pages = await Promise.all(state.ids.map((id, index) => site.fetchWithin(urls[index], `案例 ${id}`,
                                                                                      (response) => response.text())));
        sections = Object.fromEntries(state.ids.map((id, index) => [id, article(id, pages[index], urls[index])]));
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
