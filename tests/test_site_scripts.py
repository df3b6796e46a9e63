"""The scripts a build generates (routes.js, folding.js, search.js, fields.js, submission-rules.js and
the finder index's data scripts) in the one dialect of the hand-written ones: the pinned ESLint of
`make test` (eslint.config.js, installed by `npm ci`) reads them in a built site, as a browser
gets them."""

import subprocess

from casebook.routes import route
from casebook_mkdocs.plugin import GENERATED_SCRIPTS
from helpers import ROOT

ESLINT = ROOT / "node_modules" / ".bin" / "eslint"


def _content_named(site, script: str):
    """The built file of ``assets/javascripts/routes.js``: routes.js, or routes.<hash>.js."""
    stem, _, suffix = script.rpartition(".")
    found = sorted(site.glob(f"{stem}.{suffix}")) + sorted(site.glob(f"{stem}.*.{suffix}"))
    assert len(found) == 1, (script, found)
    return found[0]


def _eslint(site, files) -> subprocess.CompletedProcess:
    assert ESLINT.exists(), f"{ESLINT} 不存在：先运行 make test（或 npm ci）安装检查网页脚本的 ESLint"
    return subprocess.run([str(ESLINT), "--config", str(ROOT / "eslint.config.js"), "--max-warnings", "0",
                           *(str(path.relative_to(site)) for path in files)],
                          cwd=site, capture_output=True, text=True, timeout=120)


def test_generated_scripts_pass_the_linter(built_site):
    index = (built_site / route("finder_index", "version", "name")).parent.parent
    index_scripts = sorted(index.glob("*/meta.js")) + sorted(index.glob("*/terms/*.js"))[:1]
    assert len(index_scripts) == 2, index_scripts
    scripts = [_content_named(built_site, script) for script in GENERATED_SCRIPTS] + index_scripts
    result = _eslint(built_site, scripts)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_linter_finds_a_global_in_a_generated_script(built_site, tmp_path):
    """The check above can fail: a script that leaks a name into the page's globals is refused."""
    routes = _content_named(built_site, GENERATED_SCRIPTS[0])
    site = tmp_path / "site"
    leaking = site / routes.relative_to(built_site)
    leaking.parent.mkdir(parents=True)
    leaking.write_text(routes.read_text(encoding="utf-8").replace("casebook.provide(", "table = 1;\ncasebook.provide(", 1),
                       encoding="utf-8")
    result = _eslint(site, [leaking])
    assert result.returncode == 1 and "no-undef" in result.stdout, result.stdout + result.stderr
