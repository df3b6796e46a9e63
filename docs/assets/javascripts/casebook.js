// On every page: the compare basket ("加入对比" buttons, kept in localStorage) and, for printing,
// the page's own address at the foot of a case handout.
(function () {
  var KEY = "casebook-compare";
  var MAX = 4;

  function basket() {
    try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; }
  }

  function compareUrl(ids) {
    var here = document.querySelector("[data-md-component=logo]");
    var root = here ? new URL(here.getAttribute("href"), location.href) : new URL("/", location.href);
    return new URL("compare/?ids=" + ids.join(","), root).href;
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
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", wire); else wire();
})();
