// The module "claims-check": the claims lint of `casebook validate --strict` (casebook.claims) in the
// browser, for the 在线投稿 form. Statements of a case that say more than its article: an outcome
// marked 结果 whose quote is someone's words (转述) or a plan or aim (计划); a generalisation whose
// source sentence speaks of one person, household or place (以偏概全); prose sharing 25 characters
// with the article (照抄); an effect in the title or summary that no 结果 outcome supports (无据效果).
// Each is a warning at its field unless the case's `reviewed` list marks it; a mark that matches no
// hit is reported too. A warning carries the validator's hint and, as ``advice``, the rule's
// form_hint: what the form says, in its own words. The words and marks are claim_rules.yaml's, handed over by
// casebook.submission_rules (submission-rules.js, RULES.claims); this file only applies them, each
// function a port of the Python function named beside it. submission-check.js calls it with its own
// text tools (white space, traditional characters, the validator's folding, the schema's forms), so
// both read a text alike. Loaded by the 在线投稿 page only.
casebook.define("claims-check", ["submission-rules"], (RULES) => {
  "use strict";
  const CLAIMS = RULES.claims;
  const RULE = CLAIMS.rules;
  const QUOTE = CLAIMS.quoteSentence;
  const WARNING = RULES.levels.warning;
  const CLAUSE_END = new RegExp(CLAIMS.clauseEnd, "u");
  const PROSE_SENTENCE_END = new RegExp(CLAIMS.proseSentenceEnd, "u");
  const BREAK_BY_CJK = new RegExp(QUOTE.breakByCjk, "gu");
  const LINE_BREAK = new RegExp(QUOTE.lineBreak, "gu");
  const PUNCTUATION_OR_SEPARATOR = /[\p{P}\p{Z}]/u;
  const size = text => Array.from(text).length;  // Python's len: code points

  // tools: {simplified, isSpace, normalized, formOf, typesOf, isObject, fieldPath} of submission-check.
  return function claimsCheck(tools) {
    const { simplified, isSpace, normalized, formOf, typesOf, isObject, fieldPath } = tools;
    const list = value => Array.isArray(value) ? value : [];
    const pythonText = value => value === undefined || value === null ? "" : String(value);

    // --- folding (claims.fold, folded, _simple, _pieces, _found, _matched) -------------------

    function fold(text) {
      const chars = [];
      const offsets = [];
      let offset = 0;
      for (const ch of text) {
        for (const kept of ch.normalize("NFKC")) {
          if (!isSpace(kept) && !PUNCTUATION_OR_SEPARATOR.test(kept)) { chars.push(kept); offsets.push(offset); }
        }
        offset += ch.length;
      }
      return { text: simplified(chars.join("")), offsets };
    }
    const folded = text => fold(text).text;
    const simple = text => simplified(text.normalize("NFKC"));
    function pieces(text) {
      const plain = folded(text);
      const found = new Set();
      for (let i = 0; i < plain.length - 1; i++) found.add(plain.slice(i, i + 2));
      return found;
    }
    const shared = (a, b) => [...a].filter(piece => b.has(piece)).length;
    const found = (words, text) => words.filter(word => text.includes(word));
    const patterns = {};
    const patternOf = source => patterns[source] || (patterns[source] = new RegExp(source, "gu"));
    function matched(sources, text, unless = []) {
      const words = [];
      for (const source of sources) {
        for (const match of text.matchAll(patternOf(source))) {
          if (!unless.some(word => match[0].endsWith(word))) words.push(match[0]);
        }
      }
      return words;
    }
    const escape = word => word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const clauses = text => text.split(CLAUSE_END).map(clause => clause.trim()).filter(Boolean);
    const opening = (words, length = 16) => size(words) <= length ? words : Array.from(words).slice(0, length).join("") + "……";

    // --- the article, read once (claims._sentences, _split_sentences, _shingles) ------------

    function splitSentences(text) {
      const sentences = [];
      let start = 0;
      let depth = 0;
      for (let index = 0; index < text.length; index++) {
        const ch = text[index];
        depth = Math.max(depth + (ch === "“" ? 1 : ch === "”" ? -1 : 0), 0);
        if (ch === "\n" || (CLAIMS.sentenceEnd.includes(ch) && depth === 0)) {
          sentences.push(text.slice(start, index + 1).trim());
          start = index + 1;
          depth = 0;
        }
      }
      sentences.push(text.slice(start).trim());
      return sentences.filter(Boolean);
    }

    function article(text) {
      const sentences = splitSentences(simple(text));
      const index = new Map();
      sentences.forEach((sentence, number) => {
        for (const piece of pieces(sentence)) {
          if (!index.has(piece)) index.set(piece, new Set());
          index.get(piece).add(number);
        }
      });
      const whole = folded(text);
      const shingles = {};
      return {
        text, sentences, index, folded: whole, searchable: normalized(text),
        shingles(length) {
          if (!shingles[length]) {
            shingles[length] = new Set();
            for (let i = 0; i + length <= whole.length; i++) shingles[length].add(whole.slice(i, i + length));
          }
          return shingles[length];
        },
      };
    }

    // claims._resting_sentence: the sentence holding most of a clause's pieces (a quarter, three).
    function restingSentence(clause, sources) {
      const wanted = pieces(clause);
      let best = "";
      let bestCount = Math.max(3, Math.floor((wanted.size + 3) / 4)) - 1;
      for (const source of sources) {
        const counts = new Map();
        for (const piece of wanted) {
          for (const number of source.index.get(piece) || []) counts.set(number, (counts.get(number) || 0) + 1);
        }
        for (const [number, count] of [...counts].sort(([a], [b]) => a - b)) {  // ties: the first sentence
          if (count > bestCount) { best = source.sentences[number]; bestCount = count; }
        }
      }
      return best;
    }

    // --- a quote's sentence (provenance.quote_span, display_text; claims._quoted_sentence) ---

    const displayText = text => text.replace(BREAK_BY_CJK, "").replace(/\s+/g, " ").trim();
    const lastBefore = (text, mark, end) => end > 0 ? text.lastIndexOf(mark, end - 1) : -1;  // str.rfind(mark, 0, end), one character
    function breaks(text, from, to) {
      return [...text.slice(from, to).matchAll(LINE_BREAK)].map(m => ({ start: from + m.index, end: from + m.index + m[0].length }));
    }

    function quoteSpan(source, quote) {
      const haystack = source.searchable;
      const needle = normalized(quote).text;
      if (!needle) return null;
      const start = haystack.text.indexOf(needle);
      if (start < 0) return null;
      const text = source.text;
      const first = haystack.offsets[start];
      const lastOffset = haystack.offsets[start + needle.length - 1];
      const last = lastOffset + (text.codePointAt(lastOffset) > 0xffff ? 2 : 1);
      let sentenceStart = Math.max(...[...QUOTE.sentenceEnd].map(mark => lastBefore(text, mark, first))) + 1;
      const ends = [...QUOTE.sentenceEnd].map(mark => text.indexOf(mark, last)).filter(i => i >= 0);
      let sentenceEnd = ends.length ? Math.min(...ends) + 1 : text.length;
      // A line break ends a sentence only next to a heading (a short line).
      for (const match of breaks(text, sentenceStart, first)) {
        if (size(text.slice(0, match.start).split("\n").pop().trim()) <= QUOTE.headingCharacters) sentenceStart = match.end;
      }
      for (const match of breaks(text, last, sentenceEnd)) {
        if (size(text.slice(match.end).split("\n")[0].trim()) <= QUOTE.headingCharacters) { sentenceEnd = match.start; break; }
      }
      return [sentenceStart, first, last, sentenceEnd];
    }

    function quotedSentence(source, quote) {
      const span = quoteSpan(source, quote);
      if (!span) return null;
      const [sentenceStart, first, last] = span;
      let sentenceEnd = span[3];
      const text = source.text;
      const paragraphStart = (first >= 2 ? text.lastIndexOf("\n\n", first - 2) : -1) + 1;
      const opened = text.slice(paragraphStart, first);
      const count = mark => opened.split(mark).length - 1;
      let words = "";
      if (count("“") > count("”")) {  // inside quotation marks: on to the speaker
        const closing = text.indexOf("”", last);
        if (closing >= 0) {
          words = text.slice(text.lastIndexOf("“", first - 1) + 1, closing);
          const ends = [..."。！？\n"].map(mark => text.indexOf(mark, closing)).filter(i => i >= 0);
          sentenceEnd = Math.max(sentenceEnd, (ends.length ? Math.min(...ends) : text.length - 1) + 1);
        }
      }
      const [before, quoted, after, said] = [text.slice(sentenceStart, first), text.slice(first, last),
        text.slice(last, sentenceEnd), words].map(part => simple(displayText(part)));
      return { before, quote: quoted, after, words: said, whole: before + quoted + after };
    }

    // claims._one_instance: how a sentence shows that a claim rests on one person or example.
    function oneInstance(sentence, claim) {
      const rule = RULE["以偏概全"];
      const speaker = matched(rule.speaker_patterns, sentence);
      if (speaker.length) return `“${opening(speaker[0].replace(/^[“”]+|[“”]+$/g, ""))}”`;
      for (const source of rule.example_patterns) {
        const match = new RegExp(source, "u").exec(sentence);
        if (match) {
          const wanted = pieces(claim);
          const end = match.index + match[0].length;
          if (shared(wanted, pieces(sentence.slice(end))) > shared(wanted, pieces(sentence.slice(0, match.index)))) {
            return `“${match[0]}”后面的例子`;
          }
        }
      }
      return "";
    }

    // claims._prose_values: every text the editor wrote (not a quote, a choice, a date or an id).
    function proseValues(value, node, parts, out) {
      node = formOf(node, value);
      if (isObject(value)) {
        const properties = node.properties || {};
        for (const [name, item] of Object.entries(value)) {
          if (name in properties && name !== "sources" && name !== CLAIMS.reviewed) proseValues(item, properties[name], parts.concat([name]), out);
        }
      } else if (Array.isArray(value)) {
        value.forEach((item, i) => proseValues(item, node.items || {}, parts.concat([i]), out));
      } else if (typeof value === "string" && typesOf(node).includes("string") &&
                 !["enum", "x-enum-from", "pattern", "x-format"].some(key => key in node)) {
        out.push([parts, value]);
      }
    }

    // --- the rules (claims._Case) ----------------------------------------------------------

    function caseHits(data, sources) {
      const hits = [];
      const hit = (parts, rule, message) => hits.push({ parts, rule, message });
      const quoteSentence = quote => {
        if (typeof quote !== "string" || !quote.trim()) return null;
        for (const source of sources) {
          const sentence = quotedSentence(source, quote);
          if (sentence) return sentence;
        }
        return null;
      };
      const allProse = [];
      proseValues(data, RULES.schema, [], allProse);
      const ownProse = allProse.filter(([, text]) => !text.startsWith(RULES.placeholder));
      const prose = fields => ownProse.filter(([parts]) => !fields || fields.some(field => fieldPath(parts).startsWith(field)));
      const outcomes = list(data.outcomes).map((outcome, i) => [["outcomes", i], outcome]).filter(([, outcome]) => isObject(outcome));

      function attributed(parts, outcome, sentence) {  // 转述
        const rule = RULE["转述"];
        let said = matched([`[^，,。；：:“”]{0,12}(?:${rule.speech.join("|")})(?=[，,：:“。！？]|$)`,
                            `[^，,。；：:“”]{0,12}(?:${rule.addressed.join("|")})[^，,。；：:]{0,15}[，,：:]`,
                            ...rule.hearsay_patterns], sentence.whole.replace(patternOf(rule.names_in_quotation_marks), "“”"),
                           rule.not_speech);
        if (!said.length && matched(rule.speech_in_quotation_marks, sentence.words).length) {
          said = [`引号里的话“${opening(sentence.words)}”`];
        } else {
          said = said.map(words => `“${words}”`);
        }
        if (said.length && !found(rule.text_marks, simple(pythonText(outcome.text))).length) {
          hit(parts, "转述", `${rule.title}：原文是${said[0]}，这条成效没有写明是谁说的`);
        }
      }

      function plan(parts, sentence) {  // 计划
        const rule = RULE["计划"];
        if (found(rule.done, sentence.quote).length) return;
        const clause = sentence.before.split(CLAUSE_END).pop() + sentence.quote;
        const aims = found(rule.plans, sentence.before + sentence.quote).concat(found(rule.purposes, clause));
        if (aims.length) hit(parts, "计划", `${rule.title}：原文这句有“${aims.join("”“")}”`);
      }

      function generalised() {  // 以偏概全
        const rule = RULE["以偏概全"];
        const byParts = new Map(outcomes.map(([parts, outcome]) => [fieldPath(parts), outcome]));
        const asked = Object.entries(rule.questions.when).every(([key, value]) => data[key] === value);
        for (const [parts, text] of prose(rule.fields)) {
          if (asked && parts[0] === rule.questions.field) continue;  // the editors' questions
          const outcome = parts[0] === "outcomes" ? byParts.get(fieldPath(parts.slice(0, -1))) : undefined;
          if (outcome !== undefined && outcome.status === "个例") continue;  // said to be one instance
          const quoted = outcome && Object.keys(outcome).length ? quoteSentence(outcome.quote) : null;
          for (const sentence of simple(text).split(PROSE_SENTENCE_END).filter(Boolean)) {
            const strong = found(rule.strong, sentence);
            let weak = found(rule.weak, sentence);
            if (weak.length && matched(rule.speaker_patterns.concat(rule.example_patterns), sentence).length) weak = [];
            for (const clause of clauses(sentence)) {
              const words = strong.concat(weak).filter(word => clause.includes(word));
              if (!words.length) continue;
              const instance = quoted ? oneInstance(quoted.whole, quoted.quote) : oneInstance(restingSentence(clause, sources), clause);
              if (instance) {
                hit(parts, "以偏概全", `${rule.title}：“${clause}”中的“${words[0]}”，原文这句只讲了${instance}`);
                break;
              }
            }
          }
        }
      }

      function copiedProse() {  // 照抄
        const rule = RULE["照抄"];
        const length = rule.length;
        const shingles = sources.map(source => source.shingles(length));
        for (const [parts, text] of prose()) {
          const mine = fold(text);
          let start = -1;
          for (let i = 0; i + length <= mine.text.length; i++) {
            if (shingles.some(set => set.has(mine.text.slice(i, i + length)))) { start = i; break; }
          }
          if (start < 0) continue;
          let end = start + length;
          while (end < mine.text.length && sources.some(source => source.folded.includes(mine.text.slice(start, end + 1)))) end += 1;
          const copied = text.slice(mine.offsets[start], mine.offsets[end - 1] + 1);
          hit(parts, "照抄", `${rule.title}：“${copied}”（${end - start} 个字）`);
        }
      }

      // claims._Case._own_clauses: the clauses in the editors' voice, not after words attributing them.
      function ownClauses(text) {
        const marks = RULE["转述"].text_marks;
        const own = [];
        for (const sentence of text.split(PROSE_SENTENCE_END)) {
          for (const clause of clauses(sentence)) {
            if (found(marks, clause).length) break;
            own.push(clause);
          }
        }
        return own;
      }

      function unsupportedEffects() {  // 无据效果
        const rule = RULE["无据效果"];
        const results = outcomes.map(([, outcome]) => outcome).filter(outcome => outcome.status === "结果");
        for (const name of ["title", "summary"]) {
          const text = data[name];
          if (typeof text !== "string") continue;
          for (const clause of ownClauses(simple(text))) {
            const clauseWords = rule.not_effects.reduce((words, word) => words.split(word).join(""), clause);
            let effects = found(rule.effects, clauseWords);
            if (found(rule.changes, clause).length) effects = effects.concat(found(rule.causatives, clause));
            const verdicts = found(rule.verdicts, clause);
            const claimedWords = effects.concat(verdicts);
            if (!claimedWords.length || found(rule.aims, clause).length) continue;
            const claimed = pieces(clause.replace(new RegExp(claimedWords.map(escape).join("|"), "gu"), ""));
            const supported = results.some(outcome =>
              shared(claimed, pieces(`${pythonText(outcome.text)}${pythonText(outcome.quote)}`)) >= rule.support &&
              verdicts.every(word => simple(pythonText(outcome.quote)).includes(word)));
            if (!supported) hit([name], "无据效果", `${rule.title}：“${clause}”（“${claimedWords.join("”“")}”）`);
          }
        }
      }

      for (const [parts, outcome] of outcomes) {
        const sentence = quoteSentence(outcome.quote);
        if (outcome.status === "结果" && sentence) {
          attributed(parts, outcome, sentence);
          plan(parts, sentence);
        }
      }
      generalised();
      copiedProse();
      unsupportedEffects();
      return hits;
    }

    // claims._file_problems: the hits less those reviewed; review marks matching no hit.
    // ``texts``: the archived text of each source that names an archive found.
    return function check(data, texts, report) {
      if (!isObject(data)) return;
      const hits = texts.length ? caseHits(data, texts.map(article)) : [];
      const key = (path, rule) => JSON.stringify([path === undefined ? null : path, rule === undefined ? null : rule]);
      const marks = list(data[CLAIMS.reviewed]).map((mark, i) => [i, mark]).filter(([, mark]) => isObject(mark));
      const marked = new Set(marks.map(([, mark]) => key(mark.path, mark.rule)));
      for (const hit of hits) {
        if (!marked.has(key(fieldPath(hit.parts), hit.rule))) {
          report(hit.parts, hit.message, RULE[hit.rule].hint, WARNING, RULE[hit.rule].form_hint);
        }
      }
      const hitKeys = new Set(hits.map(hit => key(fieldPath(hit.parts), hit.rule)));
      for (const [i, mark] of marks) {
        if (!hitKeys.has(key(mark.path, mark.rule))) {
          report([CLAIMS.reviewed, i], `这条核对记录（${mark.path}，${mark.rule}）已没有对应的提醒`, "字段改写后提醒已消失：删掉这条记录", WARNING);
        }
      }
    };
  };
});
