// The citation of a case ("引用本案例"): the access date is the reader's day, and without a
// configured site_url only the browser knows the page's address. A build writes neither.
// The copy buttons: "复制引用" (this case, at the top and at the citation block), "复制原报道引文"
// (the original reports) and each figure's "复制证据": the figure as its row shows it, its
// sentence, its report and the case's citation, a line each, taken from where the page shows
// them (closed folds too), never reworded. Copying: the clipboard API where the page is a secure
// context (https, localhost), else the older copy command, which intranet sites served over plain http need; if both fail, the text is selected
// for the reader to copy by hand.
casebook.define("cite", [], () => {
  "use strict";
  function fill() {
    const today = new Date();
    const date = today.getFullYear() + "-" + String(today.getMonth() + 1).padStart(2, "0") + "-" +
      String(today.getDate()).padStart(2, "0");
    document.querySelectorAll("[data-cite-accessed]").forEach((node) => { node.textContent = date; });
    document.querySelectorAll("[data-cite-url]").forEach((node) => {
      node.textContent = location.href.split("#")[0];
    });
    document.querySelectorAll(".cb-metric-row[data-evidence]").forEach((row) => {
      if (row.querySelector(".cb-copy-evidence")) return;
      const button = document.createElement("button");
      button.type = "button";
      button.className = "cb-copy-evidence";
      button.textContent = "复制证据";
      row.appendChild(button);
    });
    document.querySelectorAll("button[data-copy-citation], button[data-copy], button.cb-copy-evidence").forEach(wire);
  }

  function copyWithCommand(text) {
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    area.setSelectionRange(0, text.length);
    let copied = false;
    try { copied = document.execCommand("copy"); } catch { copied = false; }
    area.remove();
    return copied ? Promise.resolve() : Promise.reject(new Error("copy"));
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(() => copyWithCommand(text));
    }
    return copyWithCommand(text);
  }

  // An element's text as it reads, a line per list item; one inside a closed fold has no
  // layout, and gives its text as written.
  function textOf(node) {
    return (node.innerText || node.textContent).trim();
  }

  // A figure's evidence, as the build laid it out on the page (templates/_sections.j2,
  // evidence): the figure in one line as the build words it (data-evidence-figure, the words
  // compare shows too), the sentence of its quote, the report that holds it and the case's citation.
  function evidence(button) {
    const row = button.closest(".cb-metric-row");
    const quoteId = row.getAttribute("data-evidence-quote");
    const sentence = (quoteId ? document.getElementById(quoteId) : row) || row;
    const parts = {
      figure: row.getAttribute("data-evidence-figure"),
      sentence: sentence.querySelector(".cb-context__text"),
      reports: row.getAttribute("data-evidence").split(" ").filter(Boolean)
        .map((index) => document.getElementById("cb-report-" + index)),
      citation: document.querySelector("[data-citation]"),
    };
    if (!parts.figure || !parts.sentence || !parts.citation || !parts.reports.every(Boolean)) return null;
    return [parts.figure,
      "原文：“" + parts.sentence.textContent.trim() + "”"]
      .concat(parts.reports.map((report) => "出处：" + textOf(report)),
              ["案例：" + textOf(parts.citation)]).join("\n");
  }

  // What a button copies, and what is selected for the reader if copying fails.
  function copied(button) {
    if (button.classList.contains("cb-copy-evidence")) {
      return { text() { return evidence(button); }, shown: document.querySelector("[data-citation]") };
    }
    const id = button.getAttribute("data-copy");
    const node = id ? document.getElementById(id) : document.querySelector("[data-citation]");
    return node && { text() { return textOf(node); }, shown: node };
  }

  // In the words a reader is told once it is copied.
  function said(button) {
    if (button.hasAttribute("data-copy-citation")) return "引文已复制，可以粘贴到文稿中。";
    if (button.classList.contains("cb-copy-evidence")) return "证据已复制：数字、原文句子、原报道出处和案例地址。";
    return "原报道的引文已复制，可以粘贴到文稿中。";
  }

  function wire(button) {
    const what = copied(button);
    if (!what || !what.text() || button.dataset.wired) return;
    button.dataset.wired = "1";
    button.hidden = false;
    // The nearest status line (the buttons at the top, the citation block), else the page's first.
    const scope = button.closest("[data-copy-scope]");
    const status = (scope && scope.querySelector("[data-copy-status]")) || document.querySelector("[data-copy-status]");
    const label = button.textContent;
    button.addEventListener("click", () => {
      copy(what.text()).then(() => {
        button.textContent = "已复制";
        if (status) status.textContent = said(button);
        setTimeout(() => { button.textContent = label; if (status) status.textContent = ""; }, 3000);
      }, () => {
        const source = what.shown;
        const range = document.createRange();
        range.selectNodeContents(source);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        source.scrollIntoView({block: "center"});
        if (status) status.textContent = "浏览器不允许自动复制：文字已选中，请长按或按 Ctrl+C 复制。";
      });
    });
  }

  if (window.document$) window.document$.subscribe(fill); else document.addEventListener("DOMContentLoaded", fill);
});
