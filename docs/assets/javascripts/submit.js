// 在线投稿: checks the submission form in the browser before it is sent, keeps a draft in
// localStorage, and hands the answers on as a prefilled GitHub issue or as a file for
// `casebook intake`. The fields and their rules come from the page (casebook.submission, from
// case_schema.yaml); `casebook intake` checks everything again, this only catches mistakes early.
// Acts only on the 在线投稿 page. Text typed into the form is only ever set with textContent.
(() => {

  const form = document.querySelector("[data-cb-submit]");
  if (!form) return;
  const DATA = JSON.parse(document.getElementById("cb-submit-data").textContent);
  const FIELDS = DATA.fields;
  const DRAFT = "casebook-submit-draft";
  const URL_LIMIT = 8000;  // GitHub answers 414 above about this
  const ready = document.querySelector("[data-cb-submit-ready]");
  const summary = form.querySelector("[data-cb-submit-summary]");

  const control = field => form.elements[field.id];
  const answers = () => Object.fromEntries(FIELDS.map(f => [f.id, control(f).value]));

  // --- draft: every keystroke is kept, a reload puts it back ---

  function restore() {
    let saved = {};
    try { saved = JSON.parse(localStorage.getItem(DRAFT) || "{}"); } catch (error) { saved = {}; }
    for (const field of FIELDS) {
      if (typeof saved[field.id] === "string") control(field).value = saved[field.id];
    }
  }
  function save() {
    try { localStorage.setItem(DRAFT, JSON.stringify(answers())); } catch (error) { /* storage full or off */ }
  }
  form.addEventListener("input", () => { save(); ready.hidden = true; });
  form.addEventListener("change", save);
  form.querySelector("[data-cb-submit-clear]").addEventListener("click", () => {
    if (!window.confirm("清空表单中填写的全部内容？")) return;
    form.reset();
    localStorage.removeItem(DRAFT);
    showProblems([]);
    ready.hidden = true;
  });
  for (const button of form.querySelectorAll("[data-option]")) {
    button.addEventListener("click", () => {
      const input = button.closest(".cb-field").querySelector("input");
      const items = splitList(input.value);
      if (!items.includes(button.dataset.option)) input.value = items.concat(button.dataset.option).join("、");
      save();
    });
  }

  // --- checks: the same folding of the text as the validator (NFKC, white space ignored) ---

  const fold = text => text.normalize("NFKC").replace(/\s+/g, "");
  const splitList = text => text.split(/[,，、\s]+/).map(s => s.trim()).filter(Boolean);

  function partialDate(text) {
    const match = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/.exec(text.trim());
    if (!match) return "不是有效的日期：写成 2024、2024-10 或 2024-10-15";
    const [year, month, day] = [Number(match[1]), Number(match[2] || 1), Number(match[3] || 1)];
    const date = new Date(Date.UTC(year, month - 1, day));
    if (month > 12 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return "这个日期不存在";
    if (date > new Date()) return "日期在未来：只记录已经发生的事";
    return "";
  }

  // The quotes of a YAML answer (`quote: …` in block or flow style), with the item they are in.
  function quotes(text) {
    const found = [];
    let item = 0;
    for (const line of text.split("\n")) {
      if (/^\s*-\s/.test(line) && !/^\s{2,}-/.test(line)) item += 1;
      const match = /(?:^|[\s{,-])quote:\s*("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^,}\n]+)/.exec(line);
      if (!match) continue;
      let quote = match[1].trim();
      if (/^["']/.test(quote)) quote = quote.slice(1, -1);
      found.push({ item: Math.max(item, 1), quote });
    }
    return found;
  }

  function problemsOf(field, value, article) {
    const text = value.trim();
    if (!text) return field.required ? ["必填，还没有填写"] : [];
    const problems = [];
    if (field.multiple) {
      for (const item of splitList(text)) {
        if (field.options.includes(item)) continue;
        const synonym = DATA.synonyms[item];
        const near = field.options.filter(o => o.includes(item) || item.includes(o)).slice(0, 3);
        problems.push(`“${item}”不在可选的${field.label}中` +
          (synonym ? `，你是不是想写“${synonym}”？` : near.length ? `，你是不是想写 ${near.map(o => `“${o}”`).join("、")}？` : "，请从下面的列表中选择"));
      }
    } else if (field.widget === "dropdown" && !field.options.includes(text)) {
      problems.push("请从列表中选择");
    }
    if (field.date) {
      const problem = partialDate(text);
      if (problem) problems.push(problem);
    } else if (field.pattern && !new RegExp(field.pattern).test(text)) {
      problems.push(`格式不对：${field.description}`);
    }
    if (field.widget === "yaml") {
      for (const line of text.split("\n")) {
        const date = /^\s*(?:start|end):\s*['"]?([^'"\s#]+)/.exec(line);
        if (date && partialDate(date[1])) problems.push(`${line.trim()}：${partialDate(date[1])}`);
      }
      if (/\t/.test(text)) problems.push("YAML 不能用 Tab 缩进，请改用空格");
      if (/^[^#\n]*\S：\s/m.test(text) && !/:\s/.test(text)) problems.push("“字段: 值”要用英文冒号加空格，不能用中文冒号");
      if (article.trim()) {
        for (const { item, quote } of quotes(text)) {
          if (!article.includes(fold(quote))) {
            problems.push(`第 ${item} 条的原话“${quote}”在报道原文中找不到：要一字不改地摘录原文（空格和全角半角不计）`);
          }
        }
      }
    }
    return problems;
  }

  function showProblems(byField) {
    let count = 0;
    for (const field of FIELDS) {
      const problems = byField[field.id] || [];
      const box = form.querySelector(`[data-field="${field.id}"]`);
      const error = box.querySelector("[data-cb-error]");
      error.textContent = problems.join("；");
      box.classList.toggle("cb-field--invalid", problems.length > 0);
      control(field).setAttribute("aria-invalid", problems.length ? "true" : "false");
      count += problems.length;
    }
    summary.hidden = count === 0;
    summary.textContent = count ? `有 ${count} 处需要修改，已在对应的栏目下用红字标出。` : "";
    return count;
  }

  form.addEventListener("submit", event => {
    event.preventDefault();
    const values = answers();
    const article = fold(values[DATA.sourceText] || "");
    const byField = Object.fromEntries(FIELDS.map(f => [f.id, problemsOf(f, values[f.id], article)]));
    if (showProblems(byField)) {
      ready.hidden = true;
      const first = FIELDS.find(f => byField[f.id].length);
      control(first).focus();
      form.querySelector(`[data-field="${first.id}"]`).scrollIntoView({ block: "center" });
      return;
    }
    offer(values);
  });

  // --- sending: a prefilled GitHub issue form, or a file for `casebook intake` ---

  // YAML that `casebook intake` reads: one key per field, text as literal blocks.
  function submissionFile(values) {
    const lines = ["# 基层治理案例库投稿文件：发给编者，或运行 casebook intake 本文件"];
    for (const field of FIELDS) {
      const text = values[field.id].replace(/\r\n?/g, "\n").trim();
      // eslint-disable-next-line no-control-regex
      if (!text.includes("\n") || /[\x00-\x08\x0b-\x1f\x7f]/.test(text)) {
        lines.push(`${field.id}: ${JSON.stringify(text)}`);
      } else {
        lines.push(`${field.id}: |2-`, ...text.split("\n").map(line => line ? "  " + line : ""));
      }
    }
    return lines.join("\n") + "\n";
  }

  function offer(values) {
    const source = document.querySelector(".md-source");
    const repository = source ? source.href.replace(/\/$/, "") : "";
    const answered = FIELDS.filter(f => values[f.id].trim());
    const issueUrl = fields => {
      const url = new URL(`${repository}/issues/new`);
      url.searchParams.set("template", DATA.issueForm);
      url.searchParams.set("title", "[案例] " + values.title.trim());
      for (const f of fields) {
        const text = values[f.id].trim();
        url.searchParams.set(f.id, f.multiple ? splitList(text).join(",") : text);
      }
      return url.href;
    };
    // A link holds about 8,000 characters (GitHub answers 414 beyond): the longest answers (the
    // article first) are left out of it and copied to the clipboard, to be pasted into their fields.
    const byLength = [...answered].sort((a, b) => values[b.id].length - values[a.id].length);
    const left = [];
    while (issueUrl(answered.filter(f => !left.includes(f))).length > URL_LIMIT && left.length < byLength.length) {
      left.push(byLength[left.length]);
    }
    const github = ready.querySelector("[data-cb-submit-github]");
    const copied = ready.querySelector("[data-cb-submit-copied]");
    github.href = issueUrl(answered.filter(f => !left.includes(f)));
    copied.hidden = true;
    github.onclick = left.length ? () => {
      const text = left.map(f => values[f.id].trim()).join("\n\n");
      if (navigator.clipboard) navigator.clipboard.writeText(text).catch(() => {});
      copied.textContent = `内容太长，放不进链接：“${left.map(f => f.label).join("”“")}”已复制到剪贴板，请在打开的页面里粘贴到这${left.length > 1 ? "几" : "一"}栏${left.length > 1 ? "（按顺序，每栏之间空一行）" : ""}，再提交。`;
      copied.hidden = false;
    } : null;
    ready.querySelector("[data-cb-submit-download]").onclick = () => {
      const blob = new Blob([submissionFile(values)], { type: "text/yaml;charset=utf-8" });
      const link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = `投稿-${(values.id.trim() || values.title.trim().slice(0, 20) || "案例").replace(/[\\/:*?"<>|\s]+/g, "-")}.yaml`;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 1000);
    };
    ready.hidden = false;
    ready.querySelector("h2").focus();
  }

  restore();
})();
