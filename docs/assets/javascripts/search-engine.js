// The one search engine of the site: the header box, every form[data-cb-search] and the 案例检索
// finder all rank with this code, over the static index that casebook/finder.py writes into
// finder-index/ (character pairs in hash shards, each posting a ready BM25 weight).
// The index's format (its files, rows and constants) is the generated module "search-contract"
// (casebook/search_contract.py): no name or constant of it is written here.
// The module "engine": { load, search, cases, listed, pages, problems }; what the boxes show of its
// results (highlights, notices) is the module "ui" (results.js).
casebook.define("engine", ["site", "routes", "fold", "search-contract"], (site, routes, fold, contract) => {
  "use strict";

  const HAN = new RegExp("[" + contract.han + "]");
  const RUNS = new RegExp("[" + contract.han + "]+|[a-z0-9]+", "g");
  const INDEX = "检索索引"; // what a reader is told did not load

  // The name of an index file: file("terms", { shard: 3 }) -> "terms/3".
  function file(kind, keys) {
    return contract.files[kind].replace(/\{(\w+)\}/g, (_, name) => keys[name]);
  }

  // --- loading: each index file is a script calling casebook.receiveIndex(name, data) ----------
  const loaded = new Map();
  const waiting = new Map(); // name -> [{resolve, reject}]

  function receive(name, data) {
    loaded.set(name, data);
    (waiting.get(name) || []).forEach((waiter) => { waiter.resolve(data); });
    waiting.delete(name);
  }

  function fail(name, error) {
    // Every waiter hears of it, and the name is forgotten, so the next load (a retry) tries again.
    const waiters = waiting.get(name) || [];
    waiting.delete(name);
    waiters.forEach((waiter) => { waiter.reject(error); });
  }

  function load(name) {
    if (loaded.has(name)) return Promise.resolve(loaded.get(name));
    return new Promise((resolve, reject) => {
      const first = !waiting.has(name);
      waiting.set(name, (waiting.get(name) || []).concat([{ resolve, reject }]));
      if (first) {
        // A script that ran without handing its data over (a stale or broken file) fails too.
        site.loadScript(routes.url("finder_index", { path: name }), INDEX).then(() => {
          if (!loaded.has(name)) fail(name, new site.LoadError(INDEX));
        }, (error) => { fail(name, error); });
      }
    });
  }

  // --- the same text analysis as casebook/finder.py (fold: folding.js) -------------------------

  // The query's runs of letters, question words ("怎样", "如何" …) taken out so that pairs
  // across them (样调) neither score nor count as missing.
  function runs(text, meta) {
    let folded = fold(text);
    meta.stop_words.forEach((word) => { folded = folded.split(word).join(" "); });
    return folded.match(RUNS) || [];
  }

  function pairsOf(run) {
    if (!HAN.test(run) || run.length < 2) return [run];
    const pairs = [];
    for (let i = 0; i < run.length - 1; i++) pairs.push(run.slice(i, i + 2));
    return pairs;
  }

  function tokens(text, meta) {
    let all = [];
    runs(text, meta).forEach((run) => { all = all.concat(pairsOf(run)); });
    return Array.from(new Set(all));
  }

  function shardOf(token, shards) {
    let value = 0x811c9dc5;
    for (let i = 0; i < token.length; i++) {
      value ^= token.charCodeAt(i);
      value = Math.imul(value, 0x01000193) >>> 0;
    }
    return value % shards;
  }

  function tagsNamed(text, meta) {
    const folded = fold(text);
    return Object.keys(meta.tags).filter((tag) => meta.tags[tag].some((name) => folded.indexOf(fold(name)) >= 0));
  }

  // The query's words that no case contains. Within each run, a stretch of pairs found nowhere
  // counts when some character of it is in no found pair (a pair across two found words, such
  // as 动居 in 调动居民, does not); it is named with the found pairs on either side, which no
  // case holds together with it (老旧小区加装电梯 -> 加装电梯 when no case mentions lifts).
  function missingTerms(text, meta, postings) {
    const missing = [];
    runs(text, meta).forEach((run) => {
      const pairs = pairsOf(run);
      if (!HAN.test(run)) {
        if (!postings[run]) missing.push(run);
        return;
      }
      if (run.length < 2) return;
      const covered = new Array(run.length).fill(false);
      pairs.forEach((pair, i) => { if (postings[pair]) covered[i] = covered[i + 1] = true; });
      let i = 0;
      while (i < pairs.length) {
        if (postings[pairs[i]]) { i++; continue; }
        let j = i;
        while (j + 1 < pairs.length && !postings[pairs[j + 1]]) j++;
        let start = i, end = j + 1; // characters start..end
        while (start <= end && covered[start]) start++;
        while (end >= start && covered[end]) end--;
        if (end - start >= 1) missing.push(run.slice(Math.max(0, i - 1), Math.min(run.length, j + 3)));
        i = j + 1;
      }
    });
    return Array.from(new Set(missing));
  }

  // --- searching ----------------------------------------------------------------------------------
  // The ranked cases for a query: { tokens, ranked: [case numbers], scores, missing, meta }.
  function search(text) {
    return load(file("meta")).then((meta) => {
      const queryTokens = tokens(text, meta);
      const tags = tagsNamed(text, meta);
      const wanted = queryTokens.concat(tags.map(tagTerm));
      const shardOfTerm = (t) => file("terms", { shard: shardOf(t, meta.shards) });
      const shardNames = Array.from(new Set(wanted.map(shardOfTerm)));
      return Promise.all(shardNames.map(load)).then(() => {
        const postings = {};
        wanted.forEach((token) => {
          const flat = loaded.get(shardOfTerm(token))[token];
          if (flat) postings[token] = flat;
        });
        const queryWords = words(text, meta);
        const held = wordsHeld(queryWords, postings);
        const scores = score(meta, queryTokens, tags, postings, queryWords, held);
        const ranked = Array.from(scores.keys()).sort((a, b) => scores.get(b) - scores.get(a) || a - b);
        const missing = missingTerms(text, meta, postings);
        return { tokens: queryTokens, ranked, scores, meta, missing,
                 // Words some case holds in part and none whole (网格积分 where cases speak of 网格
                 // and of 积分 apart); or, of several words, none holds them all.
                 partial: missing.length ? [] : queryWords.filter((word) => pairsOf(word).length > 1 && !holders(word, postings).size),
                 apart: !missing.length && queryWords.length > 1 &&
                   !Array.from(held.values()).some((count) => count === queryWords.length),
                 words: queryWords };
      });
    });
  }

  function docsOf(flat) {
    const docs = [];
    for (let j = 0, doc = 0; j < flat.length; j += 2) docs.push(doc += flat[j]);
    return docs;
  }

  function tagTerm(tag) { return contract.tagTermPrefix + tag; }

  // The query's words and phrases: its runs of at most contract.phraseChars characters.
  function words(text, meta) {
    return Array.from(new Set(runs(text, meta).filter((run) => run.length <= contract.phraseChars)));
  }

  // The cases that hold every pair of a word.
  function holders(word, postings) {
    const pairs = pairsOf(word);
    if (!pairs.every((pair) => postings[pair])) return new Set();
    const common = new Set(docsOf(postings[pairs[0]]));
    pairs.slice(1).forEach((pair) => {
      const holding = new Set(docsOf(postings[pair]));
      common.forEach((doc) => { if (!holding.has(doc)) common.delete(doc); });
    });
    return common;
  }

  // doc -> how many of the query's words it holds whole.
  function wordsHeld(queryWords, postings) {
    const held = new Map();
    queryWords.forEach((word) => {
      holders(word, postings).forEach((doc) => { held.set(doc, (held.get(doc) || 0) + 1); });
    });
    return held;
  }

  function score(meta, queryTokens, tags, postings, queryWords, held) {
    const scores = new Map();
    function add(flat, weight) {
      let doc = 0;
      for (let j = 0; j < flat.length; j += 2) {
        doc += flat[j];
        scores.set(doc, (scores.get(doc) || 0) + weight * flat[j + 1]);
      }
    }
    queryTokens.forEach((token) => {
      const flat = postings[token];
      if (!flat) return;
      const df = flat.length / 2;
      const idf = Math.log(1 + (meta.count - df + 0.5) / (df + 0.5));
      add(flat, idf / contract.impactScale);
    });
    tags.forEach((tag) => {
      if (postings[tagTerm(tag)]) add(postings[tagTerm(tag)], meta.tag_mention_bonus / contract.impactScale);
    });
    // A long question matches almost every case weakly: keep the strong ones.
    if (queryTokens.length > 2 && scores.size) {
      const best = Math.max.apply(null, Array.from(scores.values()));
      scores.forEach((value, doc) => { if (value < contract.keepShare * best) scores.delete(doc); });
    }
    // After the cut, so that coverage reorders what is kept and drops nothing.
    // A case holding all of the query's words ranks above one holding some (as Pagefind's
    // every-word match does, but as a signal, not a filter), as in the Whoosh index.
    if (queryWords.length) {
      scores.forEach((value, doc) => {
        scores.set(doc, value * (1 + meta.coverage_weight * (held.get(doc) || 0) / queryWords.length));
      });
    }
    return scores;
  }

  // What a result shows, from a row of finder.py's ``_row``: { id, title, region, level, summary,
  // year, tags } (the contract's rowFields).
  function caseOf(row) { return named(row, contract.rowFields); }

  function named(row, fields) {
    const shown = {};
    fields.forEach((field, i) => { shown[field] = row[i]; });
    return shown;
  }

  // What the results show, for the given case numbers.
  function cases(docs) {
    const perFile = contract.rowsPerFile;
    const chunkNames = docs.map((doc) => file("docs", { chunk: Math.floor(doc / perFile) }));
    return Promise.all(chunkNames.map(load)).then((chunks) => docs.map((doc, i) => caseOf(chunks[i][doc % perFile])));
  }

  // Every case in one of the listing orders (finder.py ``listing_orders``), rows start..end-1,
  // read from the pages of that order: no file holding a row per case is loaded.
  function listed(order, start, end) {
    const perFile = contract.rowsPerFile;
    const names = [];
    for (let page = Math.floor(start / perFile); page * perFile < end; page++) {
      names.push(file("list", { order, page }));
    }
    return Promise.all(names.map(load)).then((pages) => {
      const rows = [].concat.apply([], pages);
      const first = Math.floor(start / perFile) * perFile;
      return rows.slice(start - first, end - first).map(caseOf);
    });
  }

  // Hand-written pages that mention the query: [{ path, title, text }], best first. A page
  // counts when its title holds a pair of the query or its text holds most of them.
  function pages(text, limit) {
    return Promise.all([load(file("meta")), load(file("pages"))]).then((loadedFiles) => {
      const queryTokens = tokens(text, loadedFiles[0]);
      if (!queryTokens.length) return [];
      return loadedFiles[1].map((row) => {
        const page = named(row, contract.pageRowFields);
        const title = fold(page.title);
        const body = fold(page.text);
        const inTitle = queryTokens.filter((t) => title.indexOf(t) >= 0).length;
        const inBody = queryTokens.filter((t) => body.indexOf(t) >= 0).length;
        const value = inBody >= Math.max(1, Math.ceil(0.6 * queryTokens.length)) ? inBody + 3 * inTitle : 3 * inTitle;
        return Object.assign(page, { score: value });
      }).filter((page) => page.score > 0)
        .sort((a, b) => b.score - a.score || (a.path < b.path ? -1 : 1))
        .slice(0, limit || 3);
    });
  }

  // The problem pages (按问题找做法) whose words the query shares: [{ slug, name, description,
  // cases }], best first. A problem counts when its name holds a pair of the query, or its
  // description two; only problems some case addresses (the others' pages list nothing).
  function problems(text, limit) {
    return load(file("meta")).then((meta) => {
      const queryTokens = tokens(text, meta);
      return meta.problems.map((problem) => {
        const name = fold(problem.name);
        const description = fold(problem.description);
        const inName = queryTokens.filter((t) => name.indexOf(t) >= 0).length;
        const inDescription = queryTokens.filter((t) => description.indexOf(t) >= 0).length;
        const value = inName || inDescription >= 2 ? 3 * inName + inDescription : 0;
        return Object.assign({ score: value }, problem);
      }).filter((problem) => problem.score > 0 && problem.cases > 0)
        .sort((a, b) => b.score - a.score || (a.slug < b.slug ? -1 : 1))
        .slice(0, limit || 2);
    });
  }

  // An index file by its kind and keys: file("overview"), file("order", { order: "newest" }).
  function loadFile(kind, keys) { return load(file(kind, keys)); }

  casebook.receiveIndex = receive;
  return { load: loadFile, search, cases, listed, pages, problems };
});
