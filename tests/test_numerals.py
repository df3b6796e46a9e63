from decimal import Decimal

import pytest

from casebook.model import metric_qualifiers
from casebook.numerals import amount_as_written, chinese_to_number, numbers_in, same_number


@pytest.mark.parametrize("text, value", [
    ("两千五百", 2500), ("十二", 12), ("二〇二四", 2024), ("兩萬", 20000), ("两", 2),
    ("一万二千", 12000), ("8万3千", 83000), ("十", 10), ("一百零五", 105),
    ("1亿2000万", 120_000_000), ("五十六点七", Decimal("56.7")),
])
def test_chinese_numerals_are_read(text, value):
    assert chinese_to_number(text) == value


@pytest.mark.parametrize("quote, value", [
    ("吸纳1397名“格姐”", 1397), ("共1,397名", 1397), ("３０５个", 305), ("增长12.5%", 12.5),
    ("2~3个网格妇女小组", 3), ("累计补水量达8万3千余立方米", 83000), ("1.2万人", 1.2),
    ("三個組的居民", 3), ("百分之九十五", 95), ("百分之九十", 90), ("三十多人", 30),
    ("总投资1亿2000万元", 120_000_000), ("满意率五十六点七", Decimal("56.7")), ("两个小组", 2), ("自编自导自演百余期", 100),
])
def test_quote_states_value(quote, value):
    assert same_number(value, quote)


def test_a_number_that_is_not_there_is_not_found():
    assert not same_number(306, "晋江市已组建了305个网格妇女小组")
    assert Decimal(305) in numbers_in("晋江市已组建了305个网格妇女小组")


def test_text_that_is_no_numeral_is_not_a_number():
    assert chinese_to_number("网格") is None


def test_big_units_add_rather_than_multiply():
    assert Decimal(1_000_020_000_000) not in numbers_in("1亿2000万")


def test_a_chinese_comma_between_numbers_separates_them():
    # Only a comma before a group of three digits groups them (1,397); 3，5 are two numbers.
    assert numbers_in("分两批：3，5人") >= {Decimal(3), Decimal(5)}
    assert Decimal(35) not in numbers_in("分两批：3，5人")


def test_a_numeral_ending_in_wan_is_also_read_without_it():
    # 两万余人 is recorded as 2 万人 as well as 20000 人.
    assert {Decimal(2), Decimal(20000)} <= numbers_in("受教育学生两万余人")


# The figures of the real cases whose words were once rebuilt from value, qualifier and unit
# ("90以上%", "2余万人", "83000余立方米"): shown as the quote writes them, number and unit apart.
@pytest.mark.parametrize("quote, value, value_max, unit, qualifier, number, rest", [
    ("群众满意率均达90%以上", 90, None, "%", "以上", "90", "%以上"),
    ("累计服务群众2万余人", 2, None, "万人", "余", "2", "万余人"),
    ("累计补水量达8万3千余立方米", 83000, None, "立方米", "余", "8万3千", "余立方米"),
    ("全长约560米", 560, None, "米", "约", "约560", "米"),
    ("整个工程不到20天就基本完工", 20, None, "天", "不足", "不到20", "天"),
    ("每天3000立方米", 3000, None, "立方米/天", "", "每天3000", "立方米"),
    ("按照100元/天", 100, None, "元/天", "", "100", "元/天"),
    ("殘疾、大病戶30余戶", 30, None, "户", "余", "30", "余户"),
    ("满意度达到百分之九十以上", 90, None, "%", "以上", "百分之九十", "以上"),
    ("每个网格组建2~3个小组", 2, 3, "个", "", "2~3", "个"),
    ("与两家企业签约", 2, None, "家", "", "两", "家"),
    ("自编自导自演百余期", 100, None, "期", "余", "百", "余期"),
])
def test_a_figure_reads_as_its_quote_writes_it(quote, value, value_max, unit, qualifier, number, rest):
    written = amount_as_written(quote, value, value_max, unit, qualifier, metric_qualifiers())
    assert (written.number, written.unit) == (number, rest)
    assert written.text == number + rest


def test_a_figure_is_read_where_the_quote_writes_its_qualifier():
    quote = "去年培训300人，今年培训300余人"
    assert amount_as_written(quote, 300, None, "人", "余", metric_qualifiers()).text == "300余人"
    assert amount_as_written(quote, 300, None, "人", "", metric_qualifiers()).text == "300人"


def test_a_figure_the_quote_does_not_write_is_not_found():
    assert amount_as_written("共有305个小组", 305, None, "名", "", metric_qualifiers()) is None
    assert amount_as_written("共有305个小组", 305, None, "个", "约", metric_qualifiers()) is None
