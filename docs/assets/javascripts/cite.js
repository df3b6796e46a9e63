// The citation of a case ("引用本案例"): the access date is the reader's day, and without a
// configured site_url only the browser knows the page's address. A build writes neither.
// "复制引用" copies it: the clipboard API where the page is a secure context (https,
// localhost), else the older copy command, which intranet sites served over plain http need;
// if both fail, the citation is selected for the reader to copy by hand.
(function () {
  function fill() {
    var today = new Date();
    var date = today.getFullYear() + "-" + String(today.getMonth() + 1).padStart(2, "0") + "-" +
      String(today.getDate()).padStart(2, "0");
    document.querySelectorAll("[data-cite-accessed]").forEach(function (node) { node.textContent = date; });
    document.querySelectorAll("[data-cite-url]").forEach(function (node) {
      node.textContent = location.href.split("#")[0];
    });
    document.querySelectorAll("button[data-copy-citation]").forEach(wire);
  }

  function copyWithCommand(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    area.setSelectionRange(0, text.length);
    var copied = false;
    try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
    area.remove();
    return copied ? Promise.resolve() : Promise.reject(new Error("copy"));
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return copyWithCommand(text); });
    }
    return copyWithCommand(text);
  }

  function wire(button) {
    var citation = document.querySelector("[data-citation]");
    var status = document.querySelector("[data-copy-status]");
    if (!citation || button.dataset.wired) return;
    button.dataset.wired = "1";
    button.hidden = false;
    var label = button.textContent;
    button.addEventListener("click", function () {
      copy(citation.textContent.trim()).then(function () {
        button.textContent = "已复制";
        status.textContent = "引文已复制，可以粘贴到文稿中。";
        setTimeout(function () { button.textContent = label; status.textContent = ""; }, 3000);
      }, function () {
        var range = document.createRange();
        range.selectNodeContents(citation);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        citation.scrollIntoView({block: "center"});
        status.textContent = "浏览器不允许自动复制：引文已选中，请长按或按 Ctrl+C 复制。";
      });
    });
  }

  if (window.document$) window.document$.subscribe(fill); else document.addEventListener("DOMContentLoaded", fill);
})();
