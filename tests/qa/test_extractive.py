"""The extractive answer: which clauses of the best sentence answer, and who is ahead."""
from __future__ import annotations

import pytest

from qa.answer.evidence import content_terms
from qa.answer.extractive import ahead, another_measure, respectively, trim


def cut(question, sentence, places=()):
    return trim(sentence, content_terms(question, list(places)), question)


@pytest.mark.parametrize("question, sentence, kept", [
    # the rate asked is in the clause after the indicator's
    ("代县2023年地区生产总值增长多少", "全年地区生产总值完成189亿元，同比增长12.1%，增速全省第2",
     "全年地区生产总值完成189亿元，同比增长12.1%"),
    # the clause with the figure asked, not the clauses that only share a word
    ("过去一年黄山区民生支出占比多少？",
     "民生投入只增不减，民生支出占比达76.3%，10项“暖民心”行动和50项民生实事高质量完成，城镇和农村居民人均可支配收入分别增长4.1%和7.5%",
     "民生支出占比达76.3%"),
    # the clause with the word the first lacks ("总数") joins it
    ("赣州市2023年规上工业企业总数达到多少家？", "工业经济企稳向好，规上工业企业净增218家，总数达2898家、保持全省第一，重大项目投产",
     "规上工业企业净增218家，总数达2898家、保持全省第一"),
])
def test_trim_keeps_the_clauses_that_answer(question, sentence, kept):
    assert cut(question, sentence, ["代县", "黄山区", "赣州市"]) == kept


def test_respectively_keeps_only_the_item_asked():
    groups = content_terms("全市旅游收入增长多少")
    assert respectively("全市接待游客和旅游收入分别增长46.63%、48.03%", groups) == "旅游收入增长48.03%"


def test_ahead_names_the_larger_or_the_smaller_as_asked():
    said = ["全社会研发投入年均增长11.6%[1]。", "全社会研发投入年均增长10.5%[3]。"]
    pieces = ["湖南研发投入年均增速", "云南研发投入年均增速"]
    assert ahead(["湖南省", "云南省"], pieces, said, "哪个更快？") == "湖南省更快（11.6%）。"
    assert ahead(["湖南省", "云南省"], pieces, said, "哪个更低？") == "云南省更低（10.5%）。"
    assert ahead(["湖南省", "云南省"], pieces, ["研发投入11.6%[1]。", "研发投入10亿元[2]。"], "哪个更快？") == ""


def test_another_measure_catches_per_capita_for_total_and_a_share_for_a_rate():
    assert another_measure("人均地区生产总值90.2亿元[1]。", "代县地区生产总值总量是多少")
    assert another_measure("地区生产总值完成90.2亿元[1]。", "代县人均地区生产总值是多少")
    assert another_measure("数字经济占地区生产总值比重达40%[1]。", "数字经济增长多少")
    assert not another_measure("地区生产总值增长6.5%[1]。", "代县地区生产总值增长多少")


def test_respectively_reads_a_list_set_off_by_enumeration_commas():
    groups = content_terms("赣州2023年现代家居产业集群营收有多少？", ["赣州"])
    text = "现代家居、有色金属和新材料、电子信息、纺织服装产业集群营收分别达2700亿元、1800亿元、1700亿元、1100亿元"
    assert respectively(text, groups) == "现代家居产业集群营收达2700亿元"


def test_trim_keeps_every_figure_a_two_part_or_share_question_asks():
    assert cut("2018年海拉尔区开工项目多少个、完成投资多少？", "年内开工项目57个，完成投资34.8亿元") \
        == "年内开工项目57个，完成投资34.8亿元"
    assert "24%" in cut("恩施市2023年争取的债券资金占恩施州总量的多少？",
                        "争取中央、省预算内资金7.74亿元，债券资金26.88亿元，占全州总量的24%", ["恩施市"])


def test_counted_units_after_how_many_are_not_glued_to_the_next_word():
    assert content_terms("渠县获得了多少项国省荣誉？", ["渠县"]) == [("国省",), ("荣誉",)]


def test_a_rank_named_in_the_question_is_the_figure_looked_for():
    from qa.answer.evidence import expected_figure

    want = expected_figure("化德县2024年哪项主要经济指标居全市第1位？")
    assert want.search("一般公共预算收入增长128.6%,居全市第1位") and not want.search("居全市第10位")
    assert expected_figure("哪个县排全省第一名").search("增速全省第1")


def test_two_names_asked_of_a_respectively_list_keep_both_figures():
    groups = content_terms("2025年天津国家级制造业单项冠军和专精特新“小巨人”企业各有多少家？", ["天津"])
    text = "国家级制造业单项冠军、专精特新“小巨人”分别达到43家、322家"
    assert respectively(text, groups) == text


def test_a_total_asked_beside_a_per_capita_clause_is_not_another_measure():
    said = "接待国内游客4248.89万人次、实现旅游总收入412.14亿元、游客人均花费增长6.69%[1]。"
    assert not another_measure(said, "黔西南2023年旅游总收入多少？")
    assert another_measure("游客人均花费增长6.69%[1]。", "黔西南2023年旅游总收入多少？")


def test_ahead_reads_only_a_figure_in_the_clause_of_the_words_asked():
    said = ["全社会研发经费投入强度持续提升；社会消费品零售总额增长6%左右[1]。", "全社会研发投入强度达3.3%[3]。"]
    pieces = ["芜湖全社会研发投入强度", "厦门全社会研发投入强度"]
    assert ahead(["芜湖市", "厦门市"], pieces, said, "谁更高？") == ""


def test_among_sentences_alike_the_one_of_the_answers_shape_is_chosen():
    from qa.answer.evidence import fits

    question = "“十四五”期间黑龙江全国重点实验室从几家增加到几家？"
    groups = content_terms(question, ["黑龙江"])
    assert fits("全国重点实验室由7家增至16家", groups, question) > fits("陆相页岩油全国重点实验室助力页岩油年产量突破100万吨", groups, question)
    question = "2023年潍坊GDP增速是多少？"
    groups = content_terms(question, ["潍坊"])
    assert fits("全市地区生产总值同比增长5.1%", groups, question) > fits("主要预期目标：地区生产总值增长5.5%左右", groups, question)


def test_a_count_may_stand_before_the_words_it_counts():
    from qa.answer.evidence import Evidence, supported

    class Hit:
        class chunk:
            county = "赤峰市"
    ev = Evidence(Hit(), ("5个园区成功认定自治区级化工园区",), 1.0)
    assert supported([ev], "赤峰有几个园区被认定为自治区级化工园区？", ["赤峰市", "赤峰"])


def test_an_indicator_named_only_inside_a_narrower_measure_is_another_indicator():
    from qa.answer.extractive import other_indicator

    question, asked = "2025年福建规上工业增加值增长多少？", ["规模以上工业增加值"]
    assert other_indicator("规上工业单位增加值能耗下降2.4%[1]。", question, asked)
    assert not other_indicator("规上工业增加值增长2.4%[1]。", question, asked)
    assert not other_indicator("工业生产增长2.4%[1]。", question, asked)  # nothing named: not known to be another
    # a verb glued before a short name does not make it another measure
    assert not other_indicator("确保粮食总产达53.08亿斤以上[1]。", "赣州2024年粮食总产目标是多少？", ["粮食产量"])


def test_a_verbs_particle_is_no_word_the_evidence_must_hold():
    assert content_terms("去年潍坊给企业减了多少税费？", ["潍坊"]) == [("企业",), ("税费",)]


def test_per_thousand_in_a_question_is_the_reports_per_thousand():
    from qa.answer.evidence import coverage

    groups = content_terms("济宁每千人拥有多少个托位？", ["济宁"])
    assert coverage("托位达到4万个,千人托位数4.78个", groups) == 1.0


def test_a_lesser_clauses_figure_is_dropped_when_the_best_clause_holds_the_one_asked():
    question = "内蒙古2025年高技术制造业增加值增长多少？"
    assert cut(question, "技术合同成交额增长48%，高技术制造业增加值增长17.5%", ["内蒙古"]) == "高技术制造业增加值增长17.5%"


def test_a_total_asked_drops_the_increase_beside_it_but_keeps_its_name():
    from qa.answer.extractive import total_only

    assert total_only("净增国家高新技术企业1994户、总数8406户", "合肥现在一共有多少户国家高新技术企业？") == "国家高新技术企业总数8406户"
    assert total_only("净增高新技术企业72家、总数达582家", "2023年新增多少家？") == "净增高新技术企业72家、总数达582家"


@pytest.mark.parametrize("sentence, question, said", [
    ("全市接待游客1.2亿人次、旅游总收入1156.7亿元", "十堰旅游总收入多少", "旅游总收入1156.7亿元"),
    ("PM2.5年均浓度控制在28微克/立方米以下、AQI优良率达到90%以上", "今年PM2.5年均浓度要控制在多少以下？",
     "PM2.5年均浓度控制在28微克/立方米以下"),
    ("新认定高新技术企业52家，总数达到164家", "截至2023年高新技术企业总数多少家？", "高新技术企业总数达到164家"),
    ("新增上市企业6家、累计达100家", "截至2023年底累计有多少家上市企业？", "上市企业累计达100家"),
    # a second figure of the same item stays with it
    ("自2017年以来累计投入40亿元、完成11.6万户改造", "自2017年以来累计完成多少户改造？", "自2017年以来累计投入40亿元、完成11.6万户改造"),
])
def test_an_item_of_a_list_of_named_figures_is_said_alone(sentence, question, said):
    from qa.answer.extractive import total_only

    assert total_only(trim(sentence, content_terms(question, []), question), question) == said


def test_people_counted_in_ming_are_found_counted_in_ren_and_a_glossed_abbreviation_is_read_through():
    from corpus.clean import normalize
    from qa.answer.evidence import coverage, expected_figure, unglossed

    assert expected_figure("累计评定了多少名特聘人才？").search("累计评定特聘人才436人")
    groups = content_terms("全社会研发经费支出占GDP比重达到多少？", [])
    assert coverage(unglossed(normalize("全社会研发（R&D）经费支出占GDP比重首次突破3.0%").lower()), groups) == 1.0


def test_a_per_capita_figure_is_no_answer_to_any_total_asked():
    assert another_measure("人均公园绿地面积13.05平方米[1]。", "乌鲁木齐全市公园绿地总面积是多少？")
    assert not another_measure("旅游总收入1156.7亿元[1]。", "十堰旅游总收入多少")
