// The module "ui": what every box that shows search results or loads cases shows alike (the
// header and home page boxes, the finder, the compare and course pack pages): elements made
// from text only (never HTML), the query's pairs highlighted, the notice of a weak match
// ("没有案例提到…"), a failed load with its 重试 button, and the delay before a search runs
// while a person types.
casebook.define("ui", ["site", "fold", "routes"], (site, fold, routes) => {
  "use strict";
  // Typing pauses this long before the search runs: fast typists do not search every character.
  const TYPING_PAUSE_MS = 80;

  // A new element with a class and text (never HTML).
  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // ``fn`` run once typing pauses.
  function afterTyping(fn) {
    let timer;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(fn, TYPING_PAUSE_MS);
    };
  }

  // Why the results of a search are only partly relevant, in the words every box shows, or "".
  function weakMatch(found) {
    const quoted = (terms) => terms.map((term) => "“" + term + "”");
    if (found.missing.length) return "没有案例提到" + quoted(found.missing).join("、");
    if (found.partial.length) return "没有案例完整提到" + quoted(found.partial).join("、");
    if (found.apart) return "没有案例同时提到" + quoted(found.words).join("和");
    return "";
  }

  // Whether no case answers the query: a word of it no case contains (加装电梯), or words each
  // some case holds whole but none holds together (老旧小区 … 物业). A word cases hold only in
  // part (税企共建, where a case says 税企 and 共建 apart) may be the same thing in other words,
  // and its cases are answers.
  function noCase(found) {
    return found.ranked.length === 0 || found.missing.length > 0 || (found.apart && !found.partial.length);
  }

  // What every box says when no case answers: plainly, with where to look or to send one.
  function noCaseNotice(query, className) {
    const notice = element("p", className);
    const problems = element("a", "", "按问题找做法");
    problems.href = routes.url("problems");
    const submit = element("a", "", "投稿");
    submit.href = routes.url("submit");
    notice.append(element("strong", "", "案例库里还没有“" + query + "”的案例。"), "可以", problems,
                  "，或把你知道的做法", submit, "给我们。");
    return notice;
  }

  // A short stretch of a long text around its first match.
  function excerpt(text, queryTokens, width) {
    const folded = fold(text);
    let at = -1;
    queryTokens.forEach((t) => {
      const i = folded.indexOf(t);
      if (i >= 0 && (at < 0 || i < at)) at = i;
    });
    const start = Math.max(0, at - Math.floor(width / 4));
    const piece = text.slice(start, start + width);
    return (start > 0 ? "…" : "") + piece + (start + width < text.length ? "…" : "");
  }

  // ``text`` as DOM nodes with the query's pairs in <mark>.
  function highlight(text, queryTokens) {
    const wanted = new Set(queryTokens);
    const marked = new Array(text.length).fill(false);
    const folded = fold(text);
    for (let i = 0; i < text.length; i++) {
      if (wanted.has(folded.slice(i, i + 2))) marked[i] = marked[i + 1] = true;
    }
    const fragment = document.createDocumentFragment();
    let k = 0;
    while (k < text.length) {
      let j = k;
      while (j < text.length && marked[j] === marked[k]) j++;
      fragment.append(marked[k] ? element("mark", "", text.slice(k, j)) : document.createTextNode(text.slice(k, j)));
      k = j;
    }
    return fragment;
  }

  // What went wrong, in a reader's words; ``feature`` names what could not work (检索, 案例对比).
  function failure(error, feature) {
    if (!(error instanceof site.LoadError)) return feature + "出错了。";
    if (error.missing) return "找不到" + error.file + "，请检查网址或稍后再试。";
    if (error.fetched && location.protocol === "file:") {
      return feature + "需要通过网页服务器访问（直接打开文件时浏览器不允许读取数据）。";
    }
    return error.file + "没有载入（网络不通、太慢或文件缺失）。";
  }

  // ``status`` says what failed, with a 重试 button that runs ``retry`` (none where trying
  // again cannot help: a page opened from disk may never fetch).
  function showFailure(status, error, feature, retry, buttonClass) {
    status.replaceChildren(element("span", "", failure(error, feature)));
    if (error instanceof site.LoadError && error.fetched && location.protocol === "file:") return;
    const button = element("button", buttonClass, "重试");
    button.type = "button";
    button.addEventListener("click", () => {
      status.textContent = "正在重新载入…";
      retry();
    });
    status.append(button);
  }

  return { element, afterTyping, weakMatch, noCase, noCaseNotice,
           excerpt, highlight, showFailure };
});
