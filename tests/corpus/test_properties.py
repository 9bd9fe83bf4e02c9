"""Properties of cleaning, splitting and chunking on generated text: no crash, nothing lost, stable."""
from __future__ import annotations

import re
from collections import Counter

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from corpus.chunk import chunk
from corpus.clean import clean, is_chrome, normalize, to_simplified
from corpus.split import split

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MAX_CHARS = 120  # small, so that generated paragraphs get split
CJK = re.compile(r"[\u4e00-\u9fff]")

# pieces of real report text: prose, numbers, headings of each level, glossary labels and entries,
# the forms cleaning deals with (full width, pinyin, odd spaces, '?'), and plain noise
PROSE = [
    "全县地区生产总值完成90.2亿元,同比增长3.9%。",
    "一般公共预算收入完成4.6亿元,同比增长-39.4%;",
    "過去一年,是黨和國家歷史上具有里程碑意義的一年。",
    "我们坚持稳中求进、以进促稳，统筹发展和安全",
    "新建5G基站132座，完成投资1,234.56万元！",
    "面對嚴峻的發展形勢和繁重的發展任務，",
    "城镇、农村居民人均可支配收入分别完成33680元、8849元。",
    "“十四五”规划完成中期调整；",
    "地區生產總值７８.９億元，增長１２.１％。",
]
HEADINGS = ["一、2023年工作回顾", "（二）聚焦延链补链", "(三)强化项目支撑", "3.加快新兴产业发展", "2024年重点工作"]
MARKUP = ["\n", "\n\n", " ", "\u3000\u3000", "\u00a0", "各位代表:", "发(fā)展", "協(xié)調(diào)", "?", "？", "(a)", "(GDP)"]
# misaligned GBK runs as the bundled jiangxian and tongwei reports hold them
GARBLED = ["?。ㄒ唬┮荒陙恚", "?。ǘ┮荒陙?,", "?!巴ㄎ键S芪”", "??h級物流", "?。ㄒ唬^進“趕考路”", "?lián)"]
GLOSSARY = ["名词解释", "有關用語說明: ", "1.飞地经济:两个行政地区合作的一种模式。", " 2.千萬工程:千村示范、萬村整治。"]
FRAGMENTS = PROSE + HEADINGS + MARKUP + GLOSSARY + GARBLED

fragments = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join)
cjk_noise = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
        st.sampled_from(list("，。、；：？！“”（）《》?!,.:;()0123456789%０１２ＡＢ \u3000\u00a0\nāáǎàㄅㄒ┮")),
    ),
    max_size=400,
)
anything = st.one_of(fragments, cjk_noise, st.text(max_size=200))


def build(text: str):
    cleaned = clean(text)
    paragraphs = split(cleaned.text, "doc")
    return cleaned, paragraphs, chunk(paragraphs, "通渭县", 2024, max_chars=MAX_CHARS, min_chars=30)


@SETTINGS
@given(anything)
@example("?")
@example("?。ㄒ唬┮荒陙恚")
@example("??h?;A")
@example("名词解释")
@example("有关用语说明：1.飞地经济：一种模式。")
@example("。" * 500)
@example("1" * 500)
def test_the_pipeline_never_crashes_and_keeps_its_shapes(text):
    cleaned, paragraphs, chunks = build(text)
    assert cleaned.repaired >= 0 and cleaned.dropped >= 0
    assert [p.id for p in paragraphs] == [f"doc#p{i:03d}" for i in range(1, len(paragraphs) + 1)]
    for p in paragraphs:
        assert p.text.strip() == p.text and p.text
        assert p.norm == normalize(p.text)
    for c in chunks:
        assert 0 < len(c.text) <= MAX_CHARS
        assert c.norm == normalize(c.text)


@SETTINGS
@given(anything)
@example("地區生產總值７８.９億元，\u3000發(fā)展")
@example("?。ㄒ唬┮荒陙恚鉃椴灰椎氖侨h上下齊心")
@example("项目资金来源:中央预算内投资2亿元")
@example("?: 0")  # the dropped run left a space in front of the line
def test_cleaning_twice_changes_nothing(text):
    once = clean(text).text
    twice = clean(once)
    assert twice.text == once
    assert (twice.repaired, twice.dropped) == (0, 0)


def _cjk(text: str) -> Counter:
    return Counter(CJK.findall(to_simplified(text)))


GLOSSARY_LABEL = re.compile(r"名词解释|名词解析|有关用语说明|有关名词解释|名词注释|注释|附注")


# a heading always has a body here: a heading directly followed by another is dropped by design
SECTIONS = [f"\n{heading}\n{prose}" for heading in HEADINGS for prose in PROSE[:4]]


@SETTINGS
@given(st.lists(st.sampled_from(PROSE + SECTIONS + GLOSSARY + ["\n", " ", "\u3000", "各位代表:"]), max_size=40).map("".join))
@example("有关用语说明：1.飞地经济：两个行政地区合作的一种模式。")
@example("各位代表:\n一、2023年工作回顾\n全县地区生产总值完成90.2亿元。")
def test_no_chinese_character_is_lost_between_cleaning_and_paragraphs(text):
    cleaned, paragraphs, _ = build(text)
    assert not any(is_chrome(line) for line in cleaned.text.split("\n") if line)
    # the glossary's own label becomes the heading "名词解释"; every other character stays
    wanted = _cjk(GLOSSARY_LABEL.sub("", to_simplified(cleaned.text)))
    headings = {part for p in paragraphs for part in p.heading.split(" > ")}
    found = _cjk("".join(p.text for p in paragraphs) + "".join(headings))
    assert not (set(wanted) - set(found)), set(wanted) - set(found)


@SETTINGS
@given(st.lists(st.sampled_from(PROSE + ["\n"]), min_size=1, max_size=40).map("".join))
def test_prose_reaches_paragraphs_in_order_and_whole(text):
    cleaned, paragraphs, _ = build("各位代表:\n" + text)
    body = re.sub(r"\s+", "", cleaned.text.partition("\n")[2])
    assert re.sub(r"\s+", "", "".join(p.text for p in paragraphs if p.text != "各位代表:")) == body


@SETTINGS
@given(anything)
@example("各位代表:\n" + "全县地区生产总值完成1234567.89亿元" * 12)
@example("各位代表:\n" + "增长" + "9" * 400 + "。")
def test_every_paragraph_reaches_the_chunks_whole(text):
    _, paragraphs, chunks = build(text)
    by_id = {p.id: p for p in paragraphs}
    pieces: dict[str, list[str]] = {}
    for c in chunks:
        if len(c.paragraph_ids) > 1:
            assert c.text == "\n".join(by_id[pid].text for pid in c.paragraph_ids)
        for pid in c.paragraph_ids:
            pieces.setdefault(pid, []).append(c.text)
    assert list(pieces) == list(by_id)
    for pid, texts in pieces.items():
        if len(texts) > 1:  # one paragraph cut into chunks: the pieces put back are the paragraph
            assert "".join(texts) == by_id[pid].text
            for before, after in zip(texts, texts[1:]):
                number_cut = re.search(r"\d[.,]?$", before) and re.match(r"[.,]?\d", after)
                assert not number_cut or len(re.search(r"[\d.,]+$", before).group()) >= MAX_CHARS - 1
