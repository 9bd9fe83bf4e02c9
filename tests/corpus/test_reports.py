"""The five bundled reports, built the way `reportqa ingest` builds them: what a reader would see."""
from __future__ import annotations

import re

import pytest

from corpus.clean import normalize, to_simplified
from corpus.ingest import BUNDLED, build, build_path

REPORTS = ["daixian-2023", "houma-2024", "jiangxian-2022", "jishan-2024", "tongwei-2024"]
MAX_CHARS = 300  # build_path's default, and Settings.chunk_chars's

PINYIN = re.compile(r"\([a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ][a-zü]*\)")
# a '?' glued to CJK (either side), and the symbols a misaligned GBK run leaves behind
BROKEN = re.compile(r"\?(?=[\u3400-\u9fff\u3000-\u303f\uff00-\uffef])|(?<=[\u3400-\u9fff\u3000-\u303f])\?"
                    r"|[\u3100-\u312f\u2500-\u257f\ue000-\uf8ff\ufffd]")
CHROME = ["关闭本页", "打印本页", "字体", "本文地址", "验证码", "留言与评论", "当前位置", "导航菜单", "本站立场"]
SENTENCE_END = "。！？!?；;"


@pytest.mark.parametrize(
    ("doc_id", "expected"),
    [
        ("daixian-2023", dict(county="代县", year=2023, reviewed_year=2022, province="山西省", city="忻州市",
                              date="2023-02-22", speaker="温安娜", kind="report")),
        ("jiangxian-2022", dict(county="绛县", year=2022, reviewed_year=2021, province="山西省", city="运城市",
                                date="2022-01-26", kind="report")),
        ("houma-2024", dict(county="侯马市", year=2024, reviewed_year=2023, province="山西省", city="临汾市",
                            date="2024-03-12", speaker="尹明星", kind="report")),
        # a news write-up: "2月20日,…人民代表大会第四次会议隆重开幕,…县长王润…作政府工作报告"
        ("jishan-2024", dict(county="稷山县", year=2024, reviewed_year=2023, province="山西省", city="运城市",
                             date="2024-02-20", speaker="王润", kind="summary")),
        ("tongwei-2024", dict(county="通渭县", year=2024, reviewed_year=2023, province="甘肃省", city="定西市",
                              date="2024-01-21", speaker="宗学谦", kind="report")),
    ],
)
def test_metadata_of_each_report(bundled_docs, doc_id, expected):
    doc = bundled_docs[doc_id]
    assert {k: getattr(doc, k) for k in expected} == expected
    assert doc.title.startswith(f"{doc.county}{doc.year}年政府工作报告")
    assert ("新闻摘要" in doc.title) == (doc.kind == "summary")


def test_all_five_reports_are_bundled(bundled_docs):
    assert sorted(bundled_docs) == REPORTS
    for doc in bundled_docs.values():
        assert doc.source == f"{doc.doc_id}.txt"
        assert len(doc.paragraphs) >= 30 and len(doc.chunks) >= 30


# --- what cleaning must have removed --------------------------------------------------------


@pytest.mark.parametrize("doc_id", REPORTS)
def test_no_pinyin_broken_runs_or_page_chrome_reach_the_chunks(bundled_docs, doc_id):
    for c in bundled_docs[doc_id].chunks:
        for text in (c.text, c.heading):
            assert not PINYIN.search(text), (c.id, PINYIN.search(text).group())
            bad = BROKEN.search(text)
            assert not bad, (c.id, text[max(0, bad.start() - 10) : bad.end() + 10])
            norm = normalize(text)
            for word in CHROME:
                assert word not in norm, (c.id, word)


def test_the_raw_reports_really_hold_what_cleaning_removes():
    jiangxian = (BUNDLED / "jiangxian-2022.txt").read_text("utf-8")
    assert PINYIN.search(jiangxian) and BROKEN.search(jiangxian) and "打印本頁" in jiangxian
    houma = (BUNDLED / "houma-2024.txt").read_text("utf-8")
    assert "留言与评论" in houma and "导航菜单" in houma and "验证码" in houma


def test_jiangxian_broken_headings_are_repaired(bundled_docs):
    doc = bundled_docs["jiangxian-2022"]
    assert doc.repaired_runs >= 10
    texts = [p.text for p in doc.paragraphs]
    assert any(t.startswith("（一）一年來") for t in texts)
    # the garbled run in front of "（二）聚焦延鏈補鏈" is gone, whatever could be restored
    assert any(t.endswith("聚焦延鏈補鏈，全力發展現代產業") or t.endswith("聚焦延鏈補鏈,全力發展現代產業") for t in texts)


# --- paragraphs -----------------------------------------------------------------------------


def test_tongwei_one_line_becomes_many_paragraphs_with_headings(bundled_docs):
    raw = (BUNDLED / "tongwei-2024.txt").read_text("utf-8")
    body = raw.split("\n")[0]  # the whole report; the glossary and a "|" follow on their own lines
    assert "2023年工作回顧" in body and "加強政府自身建設" in body and "各位代表" in body
    doc = bundled_docs["tongwei-2024"]
    assert len(doc.paragraphs) >= 50
    headings = {p.heading for p in doc.paragraphs}
    review = [h for h in headings if h.startswith("2023年工作回顾 > ")]
    plan = [h for h in headings if h.startswith("2024年重点工作 > ")]
    assert len(review) == 8 and len(plan) == 8
    assert "2023年工作回顾 > 一、乡村振兴在成果巩固中全面推进" in headings
    assert all(len(p.text) <= 800 for p in doc.paragraphs)


@pytest.mark.parametrize(("doc_id", "terms"), [("houma-2024", 33), ("tongwei-2024", 14)])
def test_glossary_gives_one_paragraph_per_term(bundled_docs, doc_id, terms):
    glossary = [p for p in bundled_docs[doc_id].paragraphs if p.heading.startswith("名词解释")]
    assert len(glossary) == terms
    for n, p in enumerate(glossary, 1):
        number = re.match(r"(\d+)[.．、]\s*(.+?)[:：]", p.text)
        assert number, p.text[:40]
        assert int(number.group(1)) == n
        assert p.heading == f"名词解释 > {to_simplified(number.group(2))}"
        # the next term is not glued to this one
        assert not re.search(rf"[。;；”]\s*{n + 1}[.．、]", p.text), p.text


def test_glossary_terms_by_name(bundled_docs):
    houma = {p.heading for p in bundled_docs["houma-2024"].paragraphs}
    tongwei = {p.heading: p for p in bundled_docs["tongwei-2024"].paragraphs}
    assert {"名词解释 > 沿汾板块", "名词解释 > 新质生产力", "名词解释 > 六统一"} <= houma
    assert "名词解释 > 飞地经济" in tongwei
    assert tongwei["名词解释 > 飞地经济"].text.startswith("2.飛地經濟:")


@pytest.mark.parametrize("doc_id", REPORTS)
def test_paragraph_ids_are_stable_across_builds(bundled_docs, tmp_path, doc_id):
    first = bundled_docs[doc_id]
    copy = tmp_path / f"{doc_id}.txt"
    copy.write_bytes((BUNDLED / f"{doc_id}.txt").read_bytes())
    again = build_path(copy)
    uploaded = build(copy.read_bytes(), copy.name)
    for other in (again, uploaded):
        assert [(p.id, p.heading, p.text) for p in other.paragraphs] == [
            (p.id, p.heading, p.text) for p in first.paragraphs
        ]
        assert [(c.id, c.paragraph_ids, c.text) for c in other.chunks] == [
            (c.id, c.paragraph_ids, c.text) for c in first.chunks
        ]
    assert [p.id for p in first.paragraphs] == [f"{doc_id}#p{i:03d}" for i in range(1, len(first.paragraphs) + 1)]


# --- chunks ---------------------------------------------------------------------------------


@pytest.mark.parametrize("doc_id", REPORTS)
def test_chunks_are_never_longer_than_the_limit(bundled_docs, doc_id):
    lengths = [len(c.text) for c in bundled_docs[doc_id].chunks]
    assert max(lengths) <= MAX_CHARS, max(lengths)


def _pieces_of_split_paragraphs(doc):
    """(paragraph, [its chunks in order]) for each paragraph that was cut into several chunks."""
    by_paragraph: dict[str, list] = {}
    for c in doc.chunks:
        if len(c.paragraph_ids) == 1:
            by_paragraph.setdefault(c.paragraph_ids[0], []).append(c)
    paragraphs = {p.id: p for p in doc.paragraphs}
    return [(paragraphs[pid], chunks) for pid, chunks in by_paragraph.items() if len(chunks) > 1]


@pytest.mark.parametrize("doc_id", REPORTS)
def test_chunks_never_cut_inside_a_number(bundled_docs, doc_id):
    split = _pieces_of_split_paragraphs(bundled_docs[doc_id])
    assert split, "every report has paragraphs longer than one chunk"
    for _, chunks in split:
        for before, after in zip(chunks, chunks[1:]):
            assert not (re.search(r"[\d.,]$", before.text) and re.match(r"[\d.,%]", after.text)), (
                before.text[-15:],
                after.text[:15],
            )


@pytest.mark.parametrize("doc_id", REPORTS)
def test_a_split_paragraph_is_cut_at_sentence_ends(bundled_docs, doc_id):
    for paragraph, chunks in _pieces_of_split_paragraphs(bundled_docs[doc_id]):
        assert "".join(c.text for c in chunks) == paragraph.text  # nothing lost, nothing doubled
        sentence_ends = {m.end() for m in re.finditer(rf"[{SENTENCE_END}]+[”」’）)]*", paragraph.text)}
        offset = 0
        for c in chunks[:-1]:
            offset += len(c.text)
            if offset in sentence_ends:
                continue
            # only a sentence longer than a chunk may be cut, and then after a comma or 、
            start = max([e for e in sentence_ends if e < offset], default=0)
            end = min([e for e in sentence_ends if e > offset], default=len(paragraph.text))
            assert end - start > MAX_CHARS, c.text[-20:]
            assert c.text[-1] in "，,、", c.text[-20:]


@pytest.mark.parametrize("doc_id", REPORTS)
def test_every_paragraph_reaches_the_chunks_once_and_in_order(bundled_docs, doc_id):
    doc = bundled_docs[doc_id]
    paragraphs = {p.id: p for p in doc.paragraphs}
    covered = []
    for c in doc.chunks:
        if len(c.paragraph_ids) > 1 or covered[-1:] != list(c.paragraph_ids):
            covered += c.paragraph_ids
        if len(c.paragraph_ids) > 1:  # short paragraphs merged: all of each, one per line
            assert c.text == "\n".join(paragraphs[pid].text for pid in c.paragraph_ids)
            assert len({paragraphs[pid].heading for pid in c.paragraph_ids}) == 1
    assert covered == [p.id for p in doc.paragraphs]


@pytest.mark.parametrize("doc_id", REPORTS)
def test_every_chunk_is_indexed_with_county_and_year(bundled_docs, doc_id):
    doc = bundled_docs[doc_id]
    for c in doc.chunks:
        first_line = c.indexed.split("\n", 1)[0]
        assert (c.county, c.year) == (doc.county, doc.year)
        assert first_line.startswith(f"{doc.county}{doc.year}年政府工作报告")
        assert c.indexed.endswith(c.norm)


@pytest.mark.parametrize("doc_id", ["jiangxian-2022", "tongwei-2024"])
def test_traditional_reports_keep_their_script_for_display_only(bundled_docs, doc_id):
    chunks = bundled_docs[doc_id].chunks
    traditional = [c for c in chunks if to_simplified(c.text) != c.text]
    assert len(traditional) >= 0.9 * len(chunks)
    for c in chunks:
        assert c.norm == normalize(c.text)
        assert to_simplified(c.norm) == c.norm
        assert to_simplified(c.heading) == c.heading  # headings are simplified, for filters and prompts
    assert any("發展" in c.text and "发展" in c.norm for c in chunks)


@pytest.mark.parametrize("doc_id", ["daixian-2023", "houma-2024", "jishan-2024"])
def test_simplified_reports_display_as_written(bundled_docs, doc_id):
    raw = normalize((BUNDLED / f"{doc_id}.txt").read_text("utf-8"))
    squeezed = re.sub(r"\s+", "", raw)
    for c in bundled_docs[doc_id].chunks:
        for line in c.text.split("\n"):
            assert re.sub(r"\s+", "", normalize(line)) in squeezed, line[:40]


def test_a_report_without_its_salutation_is_still_the_speech_and_news_of_it_is_not():
    from corpus.meta import extract

    speech = "现在，我代表市人民政府，向大会报告工作，请予审议。\n一、2023年工作回顾\n全市地区生产总值增长5%。"
    news = "市长林毅代表市人民政府向大会作政府工作报告。他在报告中回顾了2023年的工作。"
    assert extract(speech, speech).kind == "report"
    assert extract(news, news).kind == "summary"


def test_a_report_that_says_only_shi_zhengfu_finds_its_city_and_numbered_headings_date_it():
    """吉林市 shares its name with 吉林省: the report's own words '代表市政府' and the cities it names
    settle it; '一、2023年主要工作 … 二、2024年主要目标' dates a report that says neither 回顾 nor 安排."""
    from corpus.meta import extract

    jilin = ("各位代表：\n我代表市政府向大会报告工作，请予审议。\n一、2023年工作回顾\n"
             + "吉林市地区生产总值增长6.7%，排名吉林省第一。吉林市加快振兴，全省支持吉林市。桦甸市、舒兰市稳步发展。" * 2)
    meta = extract(jilin, jilin)
    assert (meta.county, meta.province, meta.level) == ("吉林市", "吉林省", "地级市")
    shaoxing = ("各位代表：\n现在，我代表市人民政府，向大会报告工作。\n一、2023年主要工作\n绍兴市地区生产总值7791亿元。\n"
                "二、2024年主要目标和重点工作\n今年地区生产总值增长6.5%以上。\n三、切实加强政府自身建设\n")
    meta = extract(shaoxing, shaoxing)
    assert (meta.county, meta.year, meta.reviewed_year) == ("绍兴市", 2024, 2023)
