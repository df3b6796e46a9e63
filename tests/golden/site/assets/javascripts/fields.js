// Generated at build time by casebook.fields from case_schema.yaml and the model;
// do not edit. compare.js reads its fields, labels and words from here.
casebook.provide("fields", {
 "fields": [
  {
   "label": "摘要",
   "parts": null,
   "path": "summary"
  },
  {
   "label": "实践所在地",
   "parts": null,
   "path": "region"
  },
  {
   "label": "组织实施这项做法的层级",
   "parts": null,
   "path": "level"
  },
  {
   "label": "实施时间",
   "parts": null,
   "path": "period"
  },
  {
   "label": "做法的名称",
   "parts": null,
   "path": "practice.name"
  },
  {
   "label": "参与主体",
   "parts": null,
   "path": "practice.actors"
  },
  {
   "label": "具体举措",
   "parts": null,
   "path": "practice.measures"
  },
  {
   "label": "数据",
   "parts": null,
   "path": "metrics"
  },
  {
   "label": "成效",
   "parts": null,
   "path": "outcomes"
  },
  {
   "label": "经验启示",
   "parts": null,
   "path": "lessons"
  },
  {
   "label": "标签",
   "parts": null,
   "path": "tags"
  },
  {
   "label": "出处",
   "parts": [
    "title",
    "publisher",
    "date"
   ],
   "path": "sources"
  }
 ],
 "metricKinds": [
  "成效",
  "做法",
  "基本情况"
 ],
 "origins": {
  "lessons": {
   "badges": {
    "原文": [
     "原文总结",
     "source"
    ],
    "编者归纳": [
     "编者观点",
     "editor"
    ]
   },
   "field": "lessons_origin"
  }
 },
 "quoteWord": "原文",
 "statusFields": [
  "outcomes"
 ],
 "unquoted": "未附原文"
});
