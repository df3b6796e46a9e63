// On every page: where the site's root is, the compare basket ("加入对比" buttons, kept in
// localStorage), for printing, the page's own address at the foot of a case handout, and in a
// preview the problems of the case files.
(function () {
  var KEY = "casebook-compare";
  var MAX = 4;

  // Material writes the relative path to the site's root into #__config. Pages are addressed
  // as cases/x/ on a web server and as cases/x.html in the offline build (make offline).
  var config = JSON.parse(document.getElementById("__config").textContent);
  var root = new URL(config.base.replace(/\/?$/, "/"), location.href);
  var directoryUrls = !/\.html$/.test(location.pathname);
  window.casebook = {
    root: root,
    compareKey: KEY, // the one localStorage key of the site (compare.js reads it too)
    pageUrl: function (path) { return new URL(directoryUrls ? path + "/" : path + ".html", root).href; },
  };

  function basket() {
    try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; }
  }

  function compareUrl(ids) {
    return window.casebook.pageUrl("compare") + "?ids=" + ids.join(",");
  }

  function wire() {
    var ids = basket();
    document.querySelectorAll("button[data-case-id]").forEach(function (button) {
      var id = button.getAttribute("data-case-id");
      button.hidden = false;
      button.textContent = ids.indexOf(id) >= 0 ? "已加入对比（" + ids.length + "）· 去对比" : "加入对比";
      if (button.dataset.wired) return;
      button.dataset.wired = "1";
      button.addEventListener("click", function () {
        var current = basket();
        if (current.indexOf(id) >= 0) {
          location.href = compareUrl(current);
          return;
        }
        current.push(id);
        current = current.slice(-MAX);
        localStorage.setItem(KEY, JSON.stringify(current));
        wire();
      });
    });
    document.querySelectorAll("[data-page-address]").forEach(function (node) {
      node.textContent = location.href.split("#")[0];
    });
  }

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
