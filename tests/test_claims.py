"""The claims lint (casebook.claims): each rule on sentences of the real archives, once where a
person should look and once where the prose says no more than its source; review marks, stale
marks and `casebook validate --strict`."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import yaml

from casebook.claims import case_hits, rules
from casebook.provenance import Archive, ArchivedSource
from helpers import LIBRARY, copy_project, dump_case, warnings_in

# Sentences of sources/ (the real archives), as captured.
JINCHUAN = ("张恒山表示,现在全区27个村、26个社区全部组建了协商议事会,打造了居民协商议事阵地。\n\n"
            "谈起文明积分管理模式,张恒山饶有兴致地对记者说,金川区建立“奉献一积分一激励一回馈”激励机制,"
            "通过积分兑换服务,进一步鼓励党员、群众参与志愿服务、爱心回馈社会,传播社会正能量,使辖区居民幸福感和获得感不断提升。")
JINNIU = ("中铁八局建筑公司工会为进一步打造模范职工之家,重新规划职工文体活动室,"
          "新增乒乓球发球机、跑步机、椭圆机、台球桌等体育设施;修建舞蹈瑜伽室。")
GUANDU = ("“别看这个驿站面积不大,但可谓麻雀虽小,五脏俱全,货架上摆满了几十种农副产品,这里的果蔬不仅新鲜,而且价格便宜,"
          "非常受居民欢迎,我们住在这个小区距离菜市场说远不远说近也不远,对于我们老年人来说,腿脚不太方便,"
          "买菜也确实存在一定的困难,楼下车这个供销社真挺方便不说,价格还便宜。”家住金马驹苑小区的张女士说。\n\n"
          "5月19日,云南省昆明市官渡区金马街道东骧社区的供销综合服务社正式亮相。这是昆明首个进驻主城区社区的供销综合服务社。")
NINGGUO = ("針對嵩合社區拆遷戶較多,不居住在本轄區情況,婦聯執委不僅僅“進網格”,同時聯系自己居住地的婦女群眾,"
           "如:肖雙美執委居住在金橋灣小區,該小區嵩合居民80余戶,婦女群眾50余名,如有婦女群眾反映問題,"
           "執委能幫助解決的當即解決,不能解決的及時向上級婦聯反饋,科學商定解決辦法,保證了“不漏一戶、不漏一人”。")
FENGNAN = "贺雅丽沉入社区,推动警网与社区网格融合,组建排查小组,每月邀请律师、调解员一起下乡进户。"
HONGHUAGANG = ("“吉姑娘,真的太感谢你了,给我送来的厚被子。”近日,红花岗区老城街道纪念馆社区报到党员吉桃带着自己购买的暖冬慰问品,"
               "到辖区独居老人马鑫田家中,为老人送去温暖。")
GUIXI = ("为进一步提升未成年人法治观念,引导树立正确的家庭教育理念,近日江西省贵溪市人民法院在该院二楼“周淑琴工作室”"
         "开展“阅读伴成长 家书润童心”亲子阅读活动。活动现场充满了欢声和笑语,"
         "让平时忙于工作的家长们难得卸下繁重的工作,享受美好亲子时光。")


def hits(text: str, **case) -> list[tuple[str, str, str]]:
    """(field, rule, message) of each hit in a case citing one archived source holding ``text``."""
    archive = Archive({"a": ArchivedSource(id="a", path="sources/a.md", text=text, archived="2026-11-27")})
    return [(hit.path, hit.rule, hit.message) for hit in case_hits({**case, "sources": [{"archive": "a"}]}, archive)]


def outcome(text: str, quote: str, status: str = "结果") -> dict:
    return {"text": text, "status": status, "quote": quote}


# --- 转述: an official's words stated as fact ----------------------------------------------------

def test_an_official_s_words_stated_as_a_result_are_reported_with_the_words_that_attribute_them():
    found = hits(JINCHUAN, outcomes=[outcome("全区27个村、26个社区都组建了协商议事会。",
                                             "全区27个村、26个社区全部组建了协商议事会")])
    assert [(f, r) for f, r, _ in found] == [("outcomes[0]", "转述")]
    assert "张恒山表示" in found[0][2]


def test_an_outcome_that_says_whose_words_they_are_is_not_reported():
    assert hits(JINCHUAN, outcomes=[outcome("区委书记表示，全区27个村、26个社区都组建了协商议事会。",
                                            "全区27个村、26个社区全部组建了协商议事会")]) == []


def test_a_resident_s_words_in_quotation_marks_are_attributed_by_the_sentence_after_them():
    found = hits(GUANDU, outcomes=[outcome("服务社的果蔬新鲜、价格便宜。", "这里的果蔬不仅新鲜,而且价格便宜")])
    assert [(f, r) for f, r, _ in found] == [("outcomes[0]", "转述")] and "张女士说" in found[0][2]


def test_words_in_quotation_marks_are_someone_s_and_speaking_as_wo_they_are_one_person_s():
    found = hits(HONGHUAGANG, outcomes=[outcome("报到党员给辖区所有独居老人送去过冬的厚被子。", "给我送来的厚被子")])
    assert [(f, r) for f, r, _ in found] == [("outcomes[0]", "转述"), ("outcomes[0].text", "以偏概全")]
    assert all("吉姑娘,真的太感谢你了" in message for _, _, message in found)


def test_a_name_in_quotation_marks_is_not_someone_s_words():
    text = "项目部以“项目是我家”为指导思想,统一购置床和衣柜。"
    assert hits(text, outcomes=[outcome("所有宿舍统一购置了床和衣柜。", "统一购置床和衣柜")]) == []


def test_a_speech_verb_inside_a_slogan_in_quotation_marks_attributes_nothing():
    """The trial's 梧桐在线 article: the 说 of a way of working's name is nobody speaking."""
    text = ("该平台上线以来,通过实行“您‘码’上说,我马上办”的工作方法,以网格化带动群众积极参与小区治理,"
            "目前已在办事处19个村(社区)全域推广。")
    assert hits(text, outcomes=[outcome("平台已在19个村（社区）推广。", "目前已在办事处19个村(社区)全域推广")]) == []
    said = text.replace("的工作方法", "的工作方法,主任说")
    assert [r for _, r, _ in hits(said, outcomes=[outcome("平台已在19个村（社区）推广。",
                                                          "目前已在办事处19个村(社区)全域推广")])] == ["转述"]


# --- 计划: a plan or aim labelled 结果 -------------------------------------------------------------

def test_what_a_mechanism_is_for_labelled_as_a_result_is_reported():
    found = hits(JINCHUAN, outcomes=[outcome("据区委书记介绍，文明积分让居民的幸福感和获得感不断提升。",
                                             "使辖区居民幸福感和获得感不断提升")])
    assert [(f, r) for f, r, _ in found] == [("outcomes[0]", "计划")] and "“使”" in found[0][2]


def test_a_purpose_clause_does_not_make_what_was_done_after_it_a_plan():
    assert hits(JINNIU, outcomes=[outcome("工会添置了乒乓球发球机、跑步机等器材。",
                                          "新增乒乓球发球机、跑步机、椭圆机、台球桌等体育设施")]) == []


def test_an_aim_labelled_as_an_aim_is_not_reported():
    assert hits(JINCHUAN, outcomes=[outcome("据区委书记介绍，积分机制意在提升居民的幸福感和获得感。",
                                            "使辖区居民幸福感和获得感不断提升", "目标")]) == []


# --- 以偏概全: one resident or one household generalised ----------------------------------------

def test_one_resident_s_words_generalised_to_residents_in_the_summary_are_reported():
    found = hits(GUANDU, summary="社区开办供销综合服务社，方便老年居民就近买菜。")
    assert ("summary", "以偏概全") in [(f, r) for f, r, _ in found]
    assert "家住" in next(m for f, r, m in found if r == "以偏概全")


def test_a_summary_that_names_the_one_resident_is_not_reported_as_a_generalisation():
    found = hits(GUANDU, summary="社区开办供销综合服务社，一位居民说，老年人在楼下就能方便地买菜。")
    assert "以偏概全" not in [r for _, r, _ in found]


def test_a_claim_resting_on_the_example_after_ru_is_reported_in_a_traditional_source():
    found = hits(NINGGUO, outcomes=[outcome("执委联系所住小区的居民，做到了“不漏一户、不漏一人”。",
                                            "保證了“不漏一戶、不漏一人”")])
    assert [(f, r) for f, r, _ in found] == [("outcomes[0].text", "以偏概全")] and "如:" in found[0][2]


def test_the_general_statement_before_the_example_is_not_a_generalisation():
    assert hits(NINGGUO, practice={"description": "妇联执委还联系自己居住地的全部妇女群众。"}) == []


def test_an_outcome_marked_as_one_instance_is_not_a_generalisation():
    assert hits(NINGGUO, outcomes=[outcome("执委联系所住小区的居民，做到了“不漏一户、不漏一人”。",
                                           "保證了“不漏一戶、不漏一人”", "个例")]) == []


def test_the_editors_questions_are_not_claims_but_the_article_s_own_lessons_are():
    question = "可以讨论：服务社设在楼下，居民买菜方便了多少，本地可以怎样了解？"
    assert hits(GUANDU, lessons=[question], lessons_origin="编者归纳") == []
    assert [r for _, r, _ in hits(GUANDU, lessons=[question], lessons_origin="原文")] == ["以偏概全"]


# --- 照抄: 25 characters copied -----------------------------------------------------------------

def test_prose_copying_25_characters_with_a_comma_changed_is_reported_with_the_copied_words():
    detail = "贺雅丽沉入社区，推动警网与社区网格融合、组建排查小组，每月请律师和调解员一同下乡。"
    found = hits(FENGNAN, practice={"measures": [{"title": "警网融合", "detail": detail}]})
    assert [(f, r) for f, r, _ in found] == [("practice.measures[0].detail", "照抄")]
    assert "贺雅丽沉入社区，推动警网与社区网格融合、组建排查小组，每月" in found[0][2] and "26 个字" in found[0][2]


def test_prose_sharing_24_characters_is_not_a_copy():
    detail = "贺雅丽沉入社区，推动警网与社区网格融合、组建排查，每月请律师和调解员一同下乡。"  # 24 before 排查
    assert hits(FENGNAN, practice={"measures": [{"title": "警网融合", "detail": detail}]}) == []


# --- 无据效果: an effect no result supports -------------------------------------------------------

def test_an_effect_in_the_title_that_no_result_supports_is_reported():
    found = hits(GUIXI, title="贵溪市人民法院组织亲子共读，助力未成年人法治教育",
                 outcomes=[outcome("家长难得放下工作，陪孩子度过亲子时光。", "让平时忙于工作的家长们难得卸下繁重的工作")])
    assert [(f, r) for f, r, _ in found] == [("title", "无据效果")] and "助力" in found[0][2]


def test_an_effect_a_result_supports_and_an_aim_are_not_reported():
    assert hits(GUIXI, title="贵溪市人民法院组织亲子共读，让家长更多陪伴孩子",
                summary="法院组织亲子阅读，活动意在提升未成年人的法治观念。",
                outcomes=[outcome("家长难得放下工作，陪伴孩子度过亲子时光。", "让平时忙于工作的家长们难得卸下繁重的工作")]) == []


def test_a_verdict_the_source_does_not_give_is_reported_though_a_result_matches_the_effect():
    found = hits(GUIXI, summary="法院组织亲子阅读，让家长陪伴孩子的时间明显增加。",
                 outcomes=[outcome("家长难得放下工作，陪伴孩子度过亲子时光。", "让平时忙于工作的家长们难得卸下繁重的工作")])
    assert [(f, r) for f, r, _ in found] == [("summary", "无据效果")] and "明显" in found[0][2]


def test_an_effect_in_words_the_prose_attributes_to_someone_is_not_the_editors_claim():
    one_resident = outcome("一位居民说在楼下买菜很方便。", "楼下车这个供销社真挺方便不说", "个例")
    assert hits(GUANDU, summary="社区开办供销综合服务社；报道引用一位老年居民的话说，在楼下买菜很方便。",
                outcomes=[one_resident]) == []
    found = hits(GUANDU, summary="社区开办供销综合服务社，方便老年居民就近买菜。", outcomes=[one_resident])
    assert ("summary", "无据效果") in [(f, r) for f, r, _ in found]


def test_a_word_that_names_a_thing_is_no_effect():
    assert hits(GUANDU, summary="社区把居民身边的便利店打造为服务站。") == []


# --- review marks and the command ---------------------------------------------------------------

CASE = LIBRARY / "cases" / "jinchuan-tongxin-365.yaml"


def _project_with(tmp_path, reviewed: list | None):
    project = copy_project(tmp_path / "project", with_cases=False)
    data = yaml.safe_load(CASE.read_text(encoding="utf-8"))
    if reviewed is not None:
        data["reviewed"] = reviewed
    (project.cases_dir / CASE.name).write_text(dump_case(data), encoding="utf-8")
    return project


def _claims(project, vocabulary) -> list:
    return [w for w in warnings_in(project.root, vocabulary) if "未附原文" not in w.message]


def test_the_rule_names_are_those_the_schema_allows_in_a_review_mark():
    assert list(rules()) == ["转述", "计划", "以偏概全", "照抄", "无据效果"]


def test_a_reviewed_claim_is_not_reported_and_a_stale_mark_is_at_its_line(tmp_path, vocabulary):
    assert [(w.field, w.line > 1) for w in _claims(_project_with(tmp_path / "a", None), vocabulary)] == [
        ("outcomes[0]", True), ("outcomes[2]", True)]
    marks = [{"path": "outcomes[0]", "rule": "转述", "note": "报道的记者核实过这个数字"},
             {"path": "outcomes[2]", "rule": "计划", "note": "原文这句报道的是已经实现的效果"},
             {"path": "summary", "rule": "照抄", "note": "早先的摘要照抄过原文，已改写"}]
    project = _project_with(tmp_path / "b", marks)
    (stale,) = _claims(project, vocabulary)
    text = (project.cases_dir / CASE.name).read_text(encoding="utf-8").split("\n")
    assert stale.field == "reviewed[2]" and "已没有对应的提醒" in stale.message
    assert "path: summary" in text[stale.line - 1]


def test_validate_warns_on_a_claim_and_fails_on_it_only_when_strict(tmp_path):
    project = _project_with(tmp_path, None)
    run = [sys.executable, "-m", "casebook.cli", "validate"]
    lenient = subprocess.run(run, cwd=project.root, capture_output=True, text=True)
    strict = subprocess.run(run + ["--strict"], cwd=project.root, capture_output=True, text=True)
    assert lenient.returncode == 0 and "提醒：outcomes[0]: 标为“结果”的成效，原文是某人的说法" in lenient.stderr
    assert strict.returncode == 1 and "张恒山表示" in strict.stderr and "reviewed" in strict.stderr


@pytest.mark.parametrize("rule", ["转述", "已核对"])
def test_a_mark_needs_a_known_rule_and_a_note(tmp_path, rule):
    project = _project_with(tmp_path, [{"path": "outcomes[0]", "rule": rule, "note": "报道的记者核实过"},
                                       {"path": "outcomes[2]", "rule": "计划"}])
    result = subprocess.run([sys.executable, "-m", "casebook.cli", "validate", "--strict"], cwd=project.root,
                            capture_output=True, text=True)
    assert result.returncode == 1 and "reviewed[1].note: 缺少必填字段 note" in result.stderr
    assert ("“已核对”不在允许的取值中" in result.stderr) == (rule == "已核对")



def test_a_clause_resting_on_two_sentences_equally_takes_the_first_in_every_run():
    """Which sentence a clause rests on decides the 以偏概全 message: it must not depend on the
    order Python happens to iterate a set of strings in (PYTHONHASHSEED) — nor differ from the
    browser's port, which takes the first sentence too."""
    program = ("from casebook.claims import _resting_sentence\n"
               "from casebook.provenance import ArchivedSource\n"
               "source = ArchivedSource(id='a', path='a', text='社区组织居民。居民议事协商。', archived='2024-01-01')\n"
               "print(_resting_sentence('社区组织居民议事协商', [source]))")
    chosen = {subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True,
                             env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout.strip() for seed in range(8)}
    assert chosen == {"社区组织居民。"}
