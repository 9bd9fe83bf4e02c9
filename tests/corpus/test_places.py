"""The national list of divisions: any county, district, banner or prefecture in China."""
from __future__ import annotations

import pytest

from corpus.places import find, lookup


@pytest.mark.parametrize("name, path, level", [
    ("繁峙县", "山西省忻州市繁峙县", "县"), ("繁峙", "山西省忻州市繁峙县", "县"),
    ("池州", "安徽省池州市", "地级市"), ("侯马", "山西省临汾市侯马市", "县级市"),
    ("达尔罕茂明安联合旗", "内蒙古自治区包头市达尔罕茂明安联合旗", "旗"),
    ("海淀区", "北京市海淀区", "区"), ("恩施土家族苗族自治州", "湖北省恩施土家族苗族自治州", "自治州"),
    ("通渭縣", "甘肃省定西市通渭县", "县"), ("锡盟", "内蒙古自治区锡林郭勒盟", "盟"),
])
def test_a_place_is_found_with_its_full_path_and_level(name, path, level):
    place = lookup(name)
    assert place is not None and place.path == path and place.level == level


def test_places_in_a_question_in_order_and_repeated_names_settled_by_context():
    assert [p.name for p in find("忻州市和池州2023年GDP谁高？")] == ["忻州市", "池州市"]
    assert find("杭州市西湖区")[-1].province == "浙江省"
    assert find("南昌市西湖区")[-1].province == "江西省"


def test_ordinary_words_are_not_places():
    assert find("全县城区人口和地区生产总值") == []
    assert find("五个县里哪个县最高") == []


def test_a_speaker_whose_name_has_a_middle_dot_is_read_from_the_byline():
    from corpus.meta import extract

    text = ("2026年新疆维吾尔自治区政府工作报告\n——2026年1月27日在新疆维吾尔自治区第十四届人民代表大会第五次会议上\n"
            "自治区主席 艾尔肯·吐尼亚孜\n各位代表：\n现在，我代表自治区人民政府，向大会报告工作。\n")
    meta = extract(text)
    assert meta.speaker == "艾尔肯·吐尼亚孜" and meta.county == "新疆维吾尔自治区"
