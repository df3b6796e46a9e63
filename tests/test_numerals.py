from decimal import Decimal

import pytest

from casebook.numerals import chinese_to_number, numbers_in, same_number


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
