// The linter of the site's scripts (`make test` runs it; versions pinned in package-lock.json): the
// hand-written ones in docs/assets/javascripts and those the build generates (routes.js, fields.js,
// folding.js, search.js, submission-rules.js, submission-library.js, the finder index), which
// tests/test_site_scripts.py lints in a built site. One dialect: classic scripts (the offline build
// is opened from file://, where Chromium refuses module scripts) of ES2022 at most, each a module
// of the `casebook` registry (casebook.define, casebook.js), strict, const/let, arrow functions for
// callbacks and function declarations for named functions, and no global but `casebook` and the
// browser's.
"use strict";
const js = require("@eslint/js");
const globals = require("globals");

module.exports = [
  { ignores: ["eslint.config.js", "node_modules/", "site/", "site-offline/", "build/", "tests/"] },
  js.configs.recommended,
  {
    files: ["**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "script",
      globals: { ...globals.browser, casebook: "readonly" },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "no-implicit-globals": "error",
      "no-var": "error",
      "prefer-const": "error",
      "prefer-arrow-callback": "error",
      "object-shorthand": "error",
      "arrow-body-style": ["error", "as-needed"],
      "func-style": ["error", "declaration", { allowArrowFunctions: true }],
      strict: ["error", "function"],
      eqeqeq: ["error", "smart"],
    },
  },
];
