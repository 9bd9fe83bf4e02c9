"""The HTML the chat shows: escaped text, [n] links to cards, highlighted evidence, refusals."""
from __future__ import annotations

import re

from corpus.records import Paragraph
from qa.records import Answer, Citation
from ui import render

HOSTILE = "<script>alert('x')</script><img src=x onerror=alert(1)>"


def cite(n=1, text="2021年,全縣地區生產總值完成78.9億元,同比增長9.3%;固定資產投資完成27.5億元。增速全省第2。",
         quote="2021年,全縣地區生產總值完成78.9億元,同比增長9.3%;", **kw) -> Citation:
    fields = dict(doc_id="jiangxian-2022", county="绛县", year=2022, paragraph_id="jiangxian-2022#p006",
                  heading="一、2021年工作回顾 > （一）经济", score=0.9)
    return Citation(n, text=text, quote=quote, **(fields | kw))


def answer(text="绛县地区生产总值完成78.9亿元，同比增长9.3%[1]。", citations=None, **kw) -> Answer:
    return Answer(kw.pop("question", "绛县GDP是多少？"), text, kw.pop("refused", False), kw.pop("grounded", True),
                  (cite(),) if citations is None else citations, **kw)


def test_hostile_text_from_reports_questions_and_answers_is_shown_as_text():
    c = cite(text=f"正文{HOSTILE}完成5亿元。", quote=f"正文{HOSTILE}", county=f"<b>{HOSTILE}</b>", heading=HOSTILE)
    before, after = Paragraph("p0", "d", HOSTILE, HOSTILE, ""), None
    html = render.answer_html(0, answer(f"完成5亿元{HOSTILE}[1]", (c,)), {c.paragraph_id: (before, after)})
    html += render.question_html(HOSTILE) + render.error_html(HOSTILE)
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


def test_refusal_searched_titles_are_escaped():
    html = render.answer_html(0, answer("报告中未提及：没有找到。", (), refused=True, searched=(HOSTILE,)))
    assert "<script" not in html and "&lt;script&gt;" in html


def test_citation_markers_link_to_their_cards():
    html = render.answer_html(3, answer("完成78.9亿元[1]，另见[7]。"))
    assert '<a class="cite" href="#cite-3-1"' in html
    assert 'id="cite-3-1"' in html
    assert 'href="#cite-3-7"' not in html and '<span class="cite dead">[7]</span>' in html


def test_figures_in_the_answer_are_highlighted_in_the_paragraph_in_its_own_script():
    html = render.answer_html(0, answer())
    para = re.search(r'<p class="para">(.*?)</p>', html).group(1)
    assert '<mark class="fig">78.9億元</mark>' in para
    assert '<mark class="fig">9.3%</mark>' in para
    assert "27.5億元" in para and '<mark class="fig">27.5' not in para  # not in the answer


def test_a_figure_is_matched_as_a_whole_number():
    pats = render.figure_patterns("完成189亿元[1]")
    assert render.highlight("完成189亿元，", "", pats).count("<mark") == 1
    assert "<mark" not in render.highlight("完成1189亿元，", "", pats)
    assert "<mark" not in render.highlight("完成18.9亿元，", "", pats)


def test_ranks_match_in_digits_or_chinese_numerals():
    pats = render.figure_patterns("增速全省第二[1]。")
    assert '<mark class="fig">第2</mark>' in render.highlight("增速全省第2,排名47", "", pats)
    assert "<mark" not in render.highlight("增速全省第21", "", pats)


def test_the_supporting_sentence_is_marked():
    html = render.highlight("甲句。乙句完成3亿元。丙句。", "乙句完成3亿元。", render.figure_patterns("3亿元"))
    assert html == '甲句。<span class="quote">乙句完成</span><span class="quote"><mark class="fig">3亿元</mark>' \
                   '</span><span class="quote">。</span>丙句。'


def test_quote_of_several_sentences_marks_each_one_found():
    text = "一。二是甲。三。四是乙。"
    html = render.highlight(text, "二是甲。四是乙。")
    assert html.count('<span class="quote">') == 2 and "一。" in html


def test_card_shows_place_year_heading_and_context():
    prev = Paragraph("jiangxian-2022#p005", "jiangxian-2022", "h", "前一段<文字>", "")
    nxt = Paragraph("jiangxian-2022#p007", "jiangxian-2022", "h", "后一段文字", "")
    html = render.answer_html(0, answer(), {"jiangxian-2022#p006": (prev, nxt)})
    assert "<b>绛县</b> · 2022年报告 · 一、2021年工作回顾 › （一）经济" in html
    assert "<details" in html and "前一段&lt;文字&gt;" in html and "后一段文字" in html


def test_refusal_looks_distinct_and_names_the_searched_reports():
    html = render.answer_html(0, answer("报告中未提及：在代县2023年政府工作报告中没有找到。", (), refused=True,
                                        searched=("代县2023年政府工作报告", "绛县2022年政府工作报告")))
    assert 'class="refusal"' in html and 'class="answer"' not in html and 'class="card"' not in html
    assert html.count("报告中未提及") == 1  # the title, not repeated by the message
    assert '<span class="doc-chip">代县2023年政府工作报告</span><span class="doc-chip">绛县2022年政府工作报告</span>' in html


def test_ungrounded_answer_carries_a_warning_and_rewrites_are_shown():
    html = render.answer_html(0, answer(grounded=False, standalone_question="绛县2021年GDP是多少？"))
    assert "badge warn" in html and "理解为：绛县2021年GDP是多少？" in html


def test_pending_answer_shows_tokens_so_far_and_known_cards():
    html = render.pending_html(0, (cite(),), "绛县完成78.9亿元[1")
    assert 'class="turn-a pending"' in html and "绛县完成" in html and 'id="cite-0-1"' in html
    assert "正在检索" in render.pending_html(0, (), "")
