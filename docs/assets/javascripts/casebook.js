// On every page: where the site's root is, the two baskets kept in localStorage (the cases to
// compare, the cases of a trainer's course pack) with their buttons, the one loader of case
// files that the compare and course pack pages share, print buttons and, for printing, the
// page's own address at the foot of a case handout; wide tables that scroll take focus; in a
// preview, the problems of the case files.
(function () {
  // Material writes the relative path to the site's root into #__config. Pages are addressed
  // as cases/x/ on a web server and as cases/x.html in the offline build (make offline).
  var config = JSON.parse(document.getElementById("__config").textContent);
  var base = config.base.replace(/\/?$/, "/");
  var root = new URL(base, location.href);
  var directoryUrls = document.querySelector('meta[name="casebook-directory-urls"]').content === "true";
  // Material writes a canonical link only when the build knows the site's published address
  // (site_url): printed addresses are then the published ones, else those the reader opened.
  var canonical = document.querySelector('link[rel="canonical"]');
  var publishedRoot = canonical ? new URL(base, canonical.href) : root;

  function pagePath(path) { return directoryUrls ? path + "/" : path + ".html"; }

  // Each basket: its localStorage key, how many cases it holds, the page that shows them and
  // the words of its buttons. A basket is stored as {ids: [...]} plus what its page keeps.
  var BASKETS = {
    compare: {key: "casebook-compare", max: 4, page: "compare", add: "加入对比",
              added: "已加入对比（{n}）· 去对比", full: "对比清单已满（{n} 个）· 去调整"},
    pack: {key: "casebook-pack", max: Infinity, page: "packs/custom", add: "加入讲义",
           added: "已加入讲义（{n}）· 去编排"},
  };

  function read(name) {
    var stored;
    try { stored = JSON.parse(localStorage.getItem(BASKETS[name].key) || "null"); } catch (e) { stored = null; }
    if (Array.isArray(stored)) stored = {ids: stored}; // the compare basket's first format
    stored = stored && typeof stored === "object" ? stored : {};
    stored.ids = Array.isArray(stored.ids) ? stored.ids.filter(isCaseId) : [];
    return stored;
  }

  function save(name, stored) {
    localStorage.setItem(BASKETS[name].key, JSON.stringify(stored));
  }

  function isCaseId(id) { return typeof id === "string" && /^[a-z0-9-]+$/.test(id); }

  function basketUrl(name) { return new URL(pagePath(BASKETS[name].page), root).href; }

  // A case page address for a printed page: the published one when the build knows it.
  function printedAddress(path) { return new URL(pagePath(path), publishedRoot).href; }

  // Fetch one file per case from the build (api/cases/<id>.json, or a case page), all or
  // none. A failure names the case that could not be read; file:// pages cannot fetch at all.
  function loadCases(ids, pathOf, readResponse) {
    return Promise.all(ids.map(function (id) {
      return fetch(new URL(pathOf(id), root)).then(function (response) {
        if (!response.ok) throw new Error(id);
        return readResponse(response);
      }, function () { throw new Error(id); });
    }));
  }

  function loadFailure(error, what) {
    return location.protocol === "file:"
      ? what + "需要通过网页服务器访问（直接打开文件时浏览器不允许读取数据）。"
      : "找不到案例 " + error.message + "，请检查网址或稍后再试。";
  }

  window.casebook = {
    root: root,
    pageUrl: function (path) { return new URL(pagePath(path), root).href; },
    printedAddress: printedAddress,
    baskets: BASKETS,
    readBasket: read,
    saveBasket: save,
    isCaseId: isCaseId,
    loadCases: loadCases,
    loadFailure: loadFailure,
  };

  function words(template, n) { return template.replace("{n}", n); }

  function wireBasketButton(button) {
    var name = button.getAttribute("data-basket") || "compare";
    var basket = BASKETS[name];
    var id = button.getAttribute("data-case-id");
    var ids = read(name).ids;
    button.hidden = false;
    if (ids.indexOf(id) >= 0) button.textContent = words(basket.added, ids.length);
    else if (ids.length >= basket.max) button.textContent = words(basket.full, ids.length);
    else button.textContent = basket.add;
    if (button.dataset.wired) return;
    button.dataset.wired = "1";
    button.addEventListener("click", function () {
      var stored = read(name);
      if (stored.ids.indexOf(id) >= 0 || stored.ids.length >= basket.max) {
        location.href = basketUrl(name);
        return;
      }
      stored.ids.push(id);
      save(name, stored);
      wire();
    });
  }

  function wire() {
    document.querySelectorAll("button[data-case-id]").forEach(wireBasketButton);
    document.querySelectorAll("[data-page-address]").forEach(function (node) {
      node.textContent = location.href.split("#")[0];
    });
    // Without a published address the build can only print a path; the reader's own is better.
    if (!canonical) {
      document.querySelectorAll("a[data-printed-address]").forEach(function (link) { link.textContent = link.href; });
    }
    document.querySelectorAll("button[data-print]").forEach(function (button) {
      button.hidden = false;
      if (button.dataset.wired) return;
      button.dataset.wired = "1";
      button.addEventListener("click", function () { window.print(); });
    });
  }

  // Material wraps wide tables (the field table of 投稿) in a box that scrolls sideways; a
  // keyboard reaches it only if it can take focus, and a screen reader needs its name.
  function labelScrollingTables() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (box) {
      if (box.scrollWidth <= box.clientWidth || box.hasAttribute("tabindex")) return;
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", "表格（可左右滑动）");
    });
  }

  if (window.document$) window.document$.subscribe(function () { setTimeout(labelScrollingTables); });
  document.addEventListener("casebook:compare-buttons", wire);

  // A preview (`make serve`) shows the problems of the case files above every page. The banner
  // is HTML the build renders and escapes (preview-problems.html.j2); empty when all is well.
  function showPreviewProblems() {
    var slot = document.querySelector("[data-cb-preview-problems]");
    if (!slot) return;
    fetch(slot.getAttribute("data-cb-preview-problems"), { cache: "no-store" })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        slot.innerHTML = html;
        slot.hidden = !html.trim();
      });
  }

  function start() {
    wire();
    showPreviewProblems();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
