// The first script of every page. The site's scripts are modules that name what they need:
// casebook.define(name, [needs…], factory) runs the factory once every module it needs is there,
// and the generated scripts (routes.js, folding.js, fields.js) hand over their data with
// casebook.provide(name, value); so the order of the scripts (mkdocs.yml's extra_javascript, then
// a page's own, see the casebook plugin's PAGE_SCRIPTS) matters only for this file, which comes
// first. All are deferred: they run in that order once the page is parsed. Classic scripts, not ES modules: the
// offline build is opened from disk (file://), where Chromium refuses module scripts.
// Here too: where the site's root is, the addresses of its pages (routes), loading a file with a
// time limit, and what every page does (print buttons, the page's own address when printed,
// wide tables that scroll, a preview's problems).
(function () {
  "use strict";
  const provided = {};
  let waiting = [];

  function settle() {
    for (let progress = true; progress;) {
      progress = false;
      waiting = waiting.filter((module) => {
        if (!module.needs.every((name) => name in provided)) return true;
        progress = true;
        try {
          provided[module.name] = module.factory.apply(null, module.needs.map((name) => provided[name]));
        } catch (error) {
          // One broken module must not stop the others; what needed it says so below.
          setTimeout(() => { throw error; });
        }
        return false;
      });
    }
  }

  function define(name, needs, factory) {
    waiting.push({ name, needs, factory });
    settle();
  }

  function provide(name, value) {
    define(name, [], () => value);
  }

  window.casebook = { define, provide };

  // Every script has run by now: a module still waiting lacks a script (or one failed).
  document.addEventListener("DOMContentLoaded", () => {
    waiting.forEach((module) => {
      const missing = module.needs.filter((name) => !(name in provided));
      console.error("casebook: " + module.name + " 缺少 " + missing.join("、"));
    });
  });

  // --- where the site is, and loading its files -------------------------------------------------
  define("site", [], () => {
    // A file that has not arrived in this time counts as failed, and the page offers to retry.
    const LOAD_TIMEOUT_MS = 15000;
    // Material writes the relative path to the site's root into #__config.
    const config = JSON.parse(document.getElementById("__config").textContent);
    const base = config.base.replace(/\/?$/, "/");
    const root = new URL(base, location.href);
    // Material writes a canonical link only when the build knows the site's published address
    // (site_url): printed addresses are then the published ones, else those the reader opened.
    const canonical = document.querySelector('link[rel="canonical"]');

    // ``what`` names the file for a reader (检索索引, 案例 x); ``missing``: the site has no such
    // file; ``fetched``: read with fetch(), which a page opened from disk may not do.
    function LoadError(what, missing, fetched) {
      this.name = "LoadError";
      this.file = what;
      this.missing = Boolean(missing);
      this.fetched = Boolean(fetched);
      this.message = what + " 载入失败";
    }
    LoadError.prototype = Object.create(Error.prototype);

    // A script file (the search index: scripts load from file:// too, where fetch() may not).
    function loadScript(url, what) {
      return new Promise((resolve, reject) => {
        const script = document.createElement("script");
        const timer = setTimeout(() => { done(false); }, LOAD_TIMEOUT_MS);
        function done(ok) {
          clearTimeout(timer);
          script.onload = script.onerror = null;
          if (ok) resolve(); else { script.remove(); reject(new LoadError(what)); }
        }
        script.onload = () => { done(true); };
        script.onerror = () => { done(false); };
        script.src = url;
        document.head.append(script);
      });
    }

    // A file fetched, given up after the time limit; ``read`` turns the response into its value.
    function fetchWithin(url, what, read, options) {
      const controller = new AbortController();
      const timer = setTimeout(() => { controller.abort(); }, LOAD_TIMEOUT_MS);
      return fetch(url, Object.assign({ signal: controller.signal }, options)).then((response) => {
        if (!response.ok) throw new LoadError(what, response.status === 404, true);
        return read(response);
      }).catch((error) => {
        throw error instanceof LoadError ? error : new LoadError(what, false, true);
      }).finally(() => { clearTimeout(timer); });
    }

    return { root, publishedRoot: canonical ? new URL(base, canonical.href) : root, canonical,
             LoadError, loadScript, fetchWithin };
  });

  // The addresses of the site's pages and files, from the route table of the build (routes.js,
  // generated from casebook/routes.py in this build's form: cases/x/, or cases/x.html offline).
  define("routes", ["site", "routes-table"], (site, table) => {
    function path(kind, keys) {
      if (!(kind in table)) throw new Error("casebook: 没有这种页面：" + kind);
      return table[kind].replace(/\{(\w+)\}/g, (_, name) => {
        if (!keys || keys[name] === undefined) throw new Error("casebook: " + kind + " 缺少 " + name);
        return encodeURI(keys[name]);
      });
    }
    return {
      // The full address of a page or file: url("case", {id: "x"}).
      url(kind, keys) { return new URL(path(kind, keys), site.root).href; },
      // The address printed on paper: the published one when the build knows it.
      printed(kind, keys) { return new URL(path(kind, keys), site.publishedRoot).href; },
    };
  });

  // --- what every page does ------------------------------------------------------------------------
  define("page", ["site"], (site) => {
    function wire() {
      document.querySelectorAll("[data-page-address]").forEach((node) => {
        node.textContent = location.href.split("#")[0];
      });
      // Without a published address the build can only print a path; the reader's own is better.
      if (!site.canonical) {
        document.querySelectorAll("a[data-printed-address]").forEach((link) => { link.textContent = link.href; });
      }
      document.querySelectorAll("button[data-print]").forEach((button) => {
        button.hidden = false;
        if (button.dataset.wired) return;
        button.dataset.wired = "1";
        button.addEventListener("click", () => { window.print(); });
      });
    }

    // Material wraps wide tables (the field table of 投稿) in a box that scrolls sideways; a
    // keyboard reaches it only if it can take focus, and a screen reader needs its name.
    function labelScrollingTables() {
      document.querySelectorAll(".md-typeset__scrollwrap").forEach((box) => {
        if (box.scrollWidth <= box.clientWidth || box.hasAttribute("tabindex")) return;
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", "表格（可左右滑动）");
      });
    }

    // A preview (`make serve`) shows the problems of the case files above every page. The banner
    // is HTML the build renders and escapes (preview-problems.html.j2); empty when all is well.
    function showPreviewProblems() {
      const slot = document.querySelector("[data-cb-preview-problems]");
      if (!slot) return;
      site.fetchWithin(slot.getAttribute("data-cb-preview-problems"), "问题列表",
                       (response) => response.text(), { cache: "no-store" })
        .catch(() => "")
        .then((html) => {
          slot.innerHTML = html;
          slot.hidden = !html.trim();
        });
    }

    if (window.document$) window.document$.subscribe(() => { setTimeout(labelScrollingTables); });
    function start() {
      wire();
      showPreviewProblems();
    }
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
  });
})();
