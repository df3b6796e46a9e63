// The citation of a case ("引用本案例"): the access date is the reader's day, and without a
// configured site_url only the browser knows the page's address. A build writes neither.
// The copy buttons: "复制引用" (this case, at the top and at the citation block), "复制原报道引文"
// (the original reports) and each figure's "复制证据": the figure, its sentence, its report and
// the case's citation. Each copies the text the build wrote into the elements it names, a line
// each (data-copy="id id …"; 复制引用: [data-citation]), whether or not they are open on screen.
// The clipboard API where the page is a secure context (https, localhost), else the older copy
// command, which intranet sites served over plain http need; if both fail, the text is selected
// for the reader to copy by hand.
(function () {
  function fill() {
    var today = new Date();
    var date = today.getFullYear() + "-" + String(today.getMonth() + 1).padStart(2, "0") + "-" +
      String(today.getDate()).padStart(2, "0");
    document.querySelectorAll("[data-cite-accessed]").forEach(function (node) { node.textContent = date; });
    document.querySelectorAll("[data-cite-url]").forEach(function (node) {
      node.textContent = location.href.split("#")[0];
    });
    document.querySelectorAll("button[data-copy-citation], button[data-copy]").forEach(wire);
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

  // The elements a button copies (all there, or none).
  function targets(button) {
    var ids = (button.getAttribute("data-copy") || "").split(" ").filter(Boolean);
    var nodes = ids.length ? ids.map(function (id) { return document.getElementById(id); })
      : [document.querySelector("[data-citation]")];
    return nodes.every(Boolean) ? nodes : [];
  }

  // An element's text as it reads, a line per list item; one inside a closed fold or hidden
  // has no layout, and gives its text as written.
  function textOf(node) {
    return (node.innerText || node.textContent).trim();
  }

  // In the words a reader is told once it is copied.
  function said(button) {
    if (button.hasAttribute("data-copy-citation")) return "引文已复制，可以粘贴到文稿中。";
    if (button.classList.contains("cb-copy-evidence")) return "证据已复制：数字、原文句子、原报道出处和案例地址。";
    return "原报道的引文已复制，可以粘贴到文稿中。";
  }

  function wire(button) {
    var sources = targets(button);
    if (!sources.length || button.dataset.wired) return;
    button.dataset.wired = "1";
    button.hidden = false;
    // The nearest status line (the buttons at the top, the citation block), else the page's first.
    var scope = button.closest("[data-copy-scope]");
    var status = (scope && scope.querySelector("[data-copy-status]")) || document.querySelector("[data-copy-status]");
    var label = button.textContent;
    button.addEventListener("click", function () {
      // innerText: the lines as they read (an element not shown gives its text as written).
      copy(sources.map(textOf).join("\n")).then(function () {
        button.textContent = "已复制";
        if (status) status.textContent = said(button);
        setTimeout(function () { button.textContent = label; if (status) status.textContent = ""; }, 3000);
      }, function () {
        var source = sources[sources.length - 1]; // the case's citation, or the reports: shown
        var range = document.createRange();
        range.selectNodeContents(source);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        source.scrollIntoView({block: "center"});
        if (status) status.textContent = "浏览器不允许自动复制：文字已选中，请长按或按 Ctrl+C 复制。";
      });
    });
  }

  if (window.document$) window.document$.subscribe(fill); else document.addEventListener("DOMContentLoaded", fill);
})();
