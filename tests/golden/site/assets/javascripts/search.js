// Generated at build time by casebook.search_contract; do not edit. The search engine
// and the finder read the index's format and the finder's names from here.
casebook.provide("search-contract", {
 "facets": [
  {
   "by_value": false,
   "key": "province",
   "label": "省份",
   "page": "",
   "param": "province"
  },
  {
   "by_value": false,
   "key": "city",
   "label": "城市",
   "page": "",
   "param": "city"
  },
  {
   "by_value": false,
   "key": "problem",
   "label": "问题",
   "page": "",
   "param": "problem"
  },
  {
   "by_value": false,
   "key": "tag",
   "label": "标签",
   "page": "",
   "param": "tag"
  },
  {
   "by_value": false,
   "key": "level",
   "label": "层级",
   "page": "",
   "param": "level"
  },
  {
   "by_value": false,
   "key": "setting",
   "label": "城乡",
   "page": "",
   "param": "setting"
  },
  {
   "by_value": true,
   "key": "year",
   "label": "年份",
   "page": "years",
   "param": "year"
  },
  {
   "by_value": false,
   "key": "metrics",
   "label": "数据",
   "page": "",
   "param": "metrics"
  }
 ],
 "files": {
  "docs": "docs/{chunk}",
  "facets": "facets",
  "list": "list/{order}/{page}",
  "meta": "meta",
  "order": "order/{order}",
  "overview": "overview",
  "pages": "pages",
  "terms": "terms/{shard}"
 },
 "han": "㐀-鿿豈-﫿",
 "impactScale": 10,
 "keepShare": 0.15,
 "pageRowFields": [
  "path",
  "title",
  "text"
 ],
 "params": {
  "former_query": "kw",
  "query": "q",
  "sort": "sort"
 },
 "phraseChars": 6,
 "rowFields": [
  "id",
  "title",
  "region",
  "level",
  "summary",
  "year",
  "tags"
 ],
 "rowsPerFile": 20,
 "sorts": [
  {
   "key": "relevance",
   "label": "相关度"
  },
  {
   "key": "newest",
   "label": "最新"
  },
  {
   "key": "province",
   "label": "省份"
  },
  {
   "key": "title",
   "label": "标题"
  }
 ],
 "tagTermPrefix": "#"
});
