// The citation of a case ("引用本案例"): the access date is the reader's day, and without a
// configured site_url only the browser knows the page's address. A build writes neither.
(function () {
  function fill() {
    var today = new Date();
    var date = today.getFullYear() + "-" + String(today.getMonth() + 1).padStart(2, "0") + "-" +
      String(today.getDate()).padStart(2, "0");
    document.querySelectorAll("[data-cite-accessed]").forEach(function (node) { node.textContent = date; });
    document.querySelectorAll("[data-cite-url]").forEach(function (node) {
      node.textContent = location.href.split("#")[0];
    });
  }
  if (window.document$) window.document$.subscribe(fill); else document.addEventListener("DOMContentLoaded", fill);
})();
