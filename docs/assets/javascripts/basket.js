// The two baskets kept in the browser's storage: the cases to compare and the cases of a trainer's
// course pack, with their buttons ("加入对比", "加入讲义") on case pages and in the finder. A
// basket is stored as {ids: [...]} plus what its page keeps; storage that is full, switched off
// or holding something unreadable never stops a page: the basket is then empty.
casebook.define("basket", ["routes"], (routes) => {
  "use strict";
  // Each basket: its storage key, how many cases it holds, the page that shows them and the
  // words of its buttons.
  const BASKETS = {
    compare: { key: "casebook-compare", max: 4, page: "compare", add: "加入对比",
               added: "已加入对比（{n}）· 去对比", full: "对比清单已满（{n} 个）· 去调整" },
    pack: { key: "casebook-pack", max: Infinity, page: "custom_pack", add: "加入讲义",
            added: "已加入讲义（{n}）· 去编排" },
  };

  function isCaseId(id) { return typeof id === "string" && /^[a-z0-9-]+$/.test(id); }

  function read(name) {
    let stored;
    try { stored = JSON.parse(localStorage.getItem(BASKETS[name].key) || "null"); } catch { stored = null; }
    if (Array.isArray(stored)) stored = { ids: stored }; // the compare basket's first format
    stored = stored && typeof stored === "object" ? stored : {};
    stored.ids = Array.isArray(stored.ids) ? stored.ids.filter(isCaseId) : [];
    return stored;
  }

  // Whether it was kept: storage may be full or switched off (a private window, some intranets).
  function save(name, stored) {
    try {
      localStorage.setItem(BASKETS[name].key, JSON.stringify(stored));
      return true;
    } catch {
      return false;
    }
  }

  function words(template, n) { return template.replace("{n}", n); }

  function wireButton(button) {
    const name = button.getAttribute("data-basket") || "compare";
    const basket = BASKETS[name];
    const id = button.getAttribute("data-case-id");
    const ids = read(name).ids;
    button.hidden = false;
    if (ids.indexOf(id) >= 0) button.textContent = words(basket.added, ids.length);
    else if (ids.length >= basket.max) button.textContent = words(basket.full, ids.length);
    else button.textContent = basket.add;
    // Where several cases' buttons stand on one page (a problem's, a tag's, the finder's), each
    // names its case: the title its card links.
    const card = button.closest(".cb-card");
    const title = card && card.querySelector("a") ? card.querySelector("a").textContent : "";
    if (title) button.setAttribute("aria-label", button.textContent + "：" + title);
    if (button.dataset.wired) return;
    button.dataset.wired = "1";
    button.addEventListener("click", () => {
      const stored = read(name);
      if (stored.ids.indexOf(id) >= 0 || stored.ids.length >= basket.max) {
        location.href = routes.url(basket.page);
        return;
      }
      stored.ids.push(id);
      if (!save(name, stored)) {
        button.textContent = "浏览器不允许保存（存储已满或已关闭）";
        return;
      }
      wireButtons();
    });
  }

  // The header's "讲义 (n)" (partials/header.html): the way back to the course pack from every
  // page, shown while the pack holds a case.
  function showPackLink() {
    const link = document.querySelector("[data-pack-link]");
    if (!link) return;
    const count = read("pack").ids.length;
    link.hidden = !count;
    link.href = routes.url(BASKETS.pack.page);
    link.querySelector("[data-pack-count]").textContent = count;
    link.setAttribute("aria-label", "讲义：已选 " + count + " 个案例");
  }

  // The two buttons of one case. A list of cases (a problem's, a tag's page) carries only a
  // placeholder per case, <span class="cb-basket-buttons" data-case-id="…">, filled here: two
  // buttons per case in the page itself would keep a long list from staying under 100 KB.
  function buttonsFor(id) {
    return Object.keys(BASKETS).map((name) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "md-button cb-" + name + "-add";
      button.setAttribute("data-case-id", id);
      button.setAttribute("data-basket", name);
      button.textContent = BASKETS[name].add;
      return button;
    });
  }

  // Every basket button on the page; pages that add buttons later (the finder) call it again.
  function wireButtons() {
    document.querySelectorAll(".cb-basket-buttons[data-case-id]:empty").forEach((slot) => {
      slot.append.apply(slot, buttonsFor(slot.getAttribute("data-case-id")));
    });
    document.querySelectorAll("button[data-case-id]").forEach(wireButton);
    showPackLink();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", wireButtons); else wireButtons();

  return {
    compare: BASKETS.compare, pack: BASKETS.pack, isCaseId, read,
    // Saving the pack (here or on its own page) updates the header's count.
    save(name, stored) { const kept = save(name, stored); showPackLink(); return kept; },
    wireButtons, buttonsFor,
  };
});
