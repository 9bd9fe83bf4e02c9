"""The extractive answer: the clauses of the best evidence sentence that answer, and the checks that
a sentence answers the measure asked (its indicator, per capita or total, a year or an average, the
whole place or a town). Used when no model runs, when it fails, and to repair its answers."""
from __future__ import annotations

import re
from collections.abc import Sequence

from corpus.clean import normalize
from qa.answer.evidence import content_terms, coverage, expected_figure, figure_near
from qa.answer.verify import CITE

# a question that asks for a list: answered by the whole sentence
LISTS = re.compile(r"哪些|哪几|包括|有什么|是什么|分别")
# the end of one item of a list of named figures, "接待游客1.2亿人次、旅游总收入1156.7亿元": a 、 after
# a figure and before the next name (not "增长5.1%、7.1%", not names before 分别, not "、累计达100家")
_ITEM_END = (r"(?<=[\d%％亿万元吨家个人次户亩天位上右下]、)(?=[\u4e00-\u9fffA-Za-z“][^，,；;。]*?\d)(?![^，,；;。]*?分别)"
             r"(?!完成|实现|达|累计|增长|下降|提高|新增|净增|居|排|位|同比|比|较|占|总数|总量|共|其中|均)")


def trim(sentence: str, groups, question: str = "") -> str:
    """The clauses of a sentence that answer: those that cover the question about as well as the
    best, with the clause after when it holds the kind of figure asked. Example (asked 森林覆盖率):
    "森林覆盖率达35.26%，草原综合植被盖度达85.58%" -> "森林覆盖率达35.26%"."""
    clauses = [c for c in re.split(r"(?<=[，,；;])|" + _ITEM_END, sentence) if c and c.strip()]
    if len(clauses) < 2:
        return respectively(sentence, groups)
    scores = [coverage(normalize(c), groups) for c in clauses]
    top = max(scores)
    if top == 0:
        return sentence
    want = expected_figure(question) if question else None
    # a short sentence loses only the clauses that say nothing asked ("…，草原综合植被盖度达85.58%")
    floor = top / 2 if len(sentence) > 60 else 1e-9
    if top >= 0.999 and want is not None and any(s == top and want.search(c) for s, c in zip(scores, clauses)):
        floor = top  # one clause says all that is asked, with the figure: "…，在库规上工业企业达424户"
    keep = [i for i, score in enumerate(scores) if score >= floor]
    for i in list(keep):
        # "地区生产总值完成189亿元，同比增长12.1%": the rate asked is in the clause after
        nxt = i + 1
        if nxt < len(clauses) and nxt not in keep and want is not None and want.search(clauses[nxt]) \
                and not want.search(clauses[i]) and scores[i] == top and not any(want.search(clauses[k]) for k in keep):
            keep.append(nxt)
    held = {n for n, g in enumerate(groups) if any(coverage(normalize(clauses[i]), [g]) for i in keep)}
    for i, clause in enumerate(clauses):
        # "规上工业企业净增218家，总数达2898家" asked 总数: the clause with the word the others lack
        adds = {n for n, g in enumerate(groups) if n not in held and coverage(normalize(clause), [g])}
        if i not in keep and adds and re.search(r"\d", clause) and (want is None or want.search(clause)):
            keep.append(i)
            held |= adds
    if want is not None and len(re.findall(r"多少|几", question)) <= 1 and any(want.search(clauses[i]) for i in keep):
        # "民生投入只增不减，民生支出占比达76.3%": the clause with the figure asked answers; when the
        # best clause holds it, a lesser one's figure is another measure's ("技术合同成交额增长48%，…")
        best_holds = any(scores[i] == top and want.search(clauses[i]) for i in keep)
        covered = lambda i: {n for n, g in enumerate(groups) if coverage(normalize(clauses[i]), [g])}  # noqa: E731
        by_best = set().union(*(covered(i) for i in keep if scores[i] == top))
        keep = [i for i in keep if scores[i] == top or covered(i) - by_best
                or want.search(clauses[i]) and not best_holds]
    keep.sort()
    if not any(re.search(r"\d", clauses[i]) for i in keep) and keep[-1] + 1 < len(clauses):
        keep.append(keep[-1] + 1)
    return respectively("".join(clauses[i] for i in keep).rstrip("，,；;、 "), groups)


_EACH = re.compile(r"(?P<names>[^，,；;。:：]+?)分别(?P<verb>增长|下降|提高|达到?|为|是|占|增加|减少)?(?P<figures>[^，,；;。]+)")


def respectively(text: str, groups) -> str:
    """"A和B分别增长x、y": only the one asked. Example (asked 旅游收入):
    "全市接待游客和旅游收入分别增长46.63%、48.03%" -> "旅游收入增长48.03%"."""
    m = _EACH.search(text)
    if m is None:
        return text
    listed = re.sub(r"^(?:全[市县省区州盟旗])", "", m.group("names"))
    figures = [f for f in re.split(r"[、和]", m.group("figures")) if f.strip()]
    names = [n for n in listed.split("、") if n]  # "有色金属和新材料" is one item of a list set off by 、
    if len(names) != len(figures):
        names = [n for n in re.split(r"[、和及与]", listed) if n]
    if len(names) < 2 or len(names) != len(figures) or not all(re.search(r"\d", f) for f in figures):
        return text
    # the last name carries the tail all share ("先进制造业、高技术制造业增加值占…比重"): its own head only
    heads = sorted(len(n) for n in names[:-1])
    own = names[:-1] + [names[-1][: heads[len(heads) // 2] + 1]]  # as long as the others' middle length
    own = [n[:-1] if n.endswith("等") and len(n) > 2 else n for n in own]  # "信息等产业…": 信息
    scores = [coverage(normalize(n), groups) for n in own]
    # a name asked whole or as the head of a question's word ("信息" of "信息产业")
    covers = [{k for k, g in enumerate(groups) if coverage(normalize(n), [g])
               or len(n) >= 2 and any(t.startswith(normalize(n)) for t in g)} for n in own]
    asked = [i for i, c in enumerate(covers) if c - set().union(*covers[:i], *covers[i + 1:])]
    if len(asked) > 1:
        # "医药、信息产业增加值分别增长多少": the names asked, each with its figure
        if len(asked) == len(names):
            return text
        tail = names[-1][len(own[-1]):]
        said = "、".join(own[i] for i in asked) + tail
        return f"{text[: m.start()]}{said}分别{m.group('verb') or ''}{'、'.join(figures[i] for i in asked)}".strip("，,；; ")
    best = max(range(len(names)), key=lambda i: scores[i])
    if scores[best] == 0 or scores.count(scores[best]) > 1:
        return text
    name, last = names[best], names[-1]
    if best != len(names) - 1:
        # the shared tail after the word they end alike in: "先进制造业" + "增加值占规模以上工业比重"
        same = next((name[-k:] for k in range(len(name), 0, -1) if name[-k:] in last), "")
        name += last[last.index(same) + len(same):] if same else last[heads[len(heads) // 2]:]
    return f"{text[: m.start()]}{name}{m.group('verb') or ''}{figures[best]}".strip("，,；; ")


def total_only(sentence: str, question: str) -> str:
    """A total asked ("现在一共有多少"): the increase beside it goes, its name stays.
    Example: "净增国家高新技术企业1994户、总数8406户" -> "国家高新技术企业总数8406户"."""
    if not re.search(r"一共|总共|总数|总量|现有|现在|累计|截至", question):
        return sentence
    return re.sub(r"(?:净增|新增|新认定|新培育|新引进)([^，,、；;\d]*?)\d+(?:\.\d+)?[^\d，,、；;。]{0,3}[、，,](?=(?:总数|总量|累计|共))",
                  r"\1", sentence)


def another_measure(text: str, question: str) -> bool:
    """A figure of another measure than the one asked: a per-capita figure for a total or the
    reverse, one year's rate for an average annual rate asked, a town's figure for the whole place."""
    said = CITE.sub("", text)
    if not re.search(r"\d", said):
        return False
    asks_total = re.search(r"总[\u4e00-\u9fff]{0,3}?(?:额|量|和|数|面积|人口|值|规模|收入)", question) and "人均" not in question
    figured = [c for c in re.split(r"[，,；;。、]", said) if re.search(r"\d", c)]
    # a total asked: every figure said is per head ("…旅游总收入412.14亿元、游客人均花费增长6.69%" is not)
    if asks_total and all("人均" in c for c in figured) or "人均" in question and "人均" not in said:
        return True
    if "年均" in question and not re.search(r"年均|每年|平均", said):
        return True
    if re.search(r"增长|增速|增幅", question) and not re.search(r"占|比重|份额", question) \
            and re.search(r"占|比重", said) and not re.search(r"增长|增速|增幅|下降|提高", said):
        return True  # a share for a growth rate asked
    return bool(re.search(r"全[县市区州盟旗]", question) and not re.search(r"全[县市区州盟旗]", said)
                and re.search(r"[\u4e00-\u9fff]{2,4}(?:镇|乡|街道)(?![村])", said))


def other_indicator(text: str, question: str, indicators: Sequence[str]) -> bool:
    """Whether an answer names headline indicators, none of them the one asked."""
    from corpus.indicators import find, only_within

    asked = set(indicators) | set(find(question))  # a share's base is named too
    plain = CITE.sub("", text)
    said = set(find(plain))
    if asked:
        # none named, or one named only inside a narrower measure's name (规上工业单位增加值能耗)
        return not said & asked and (bool(said) or any(only_within(plain, name) for name in asked))
    # asked about something else ("旅游收入"): every clause with a figure states a headline indicator instead
    figured = [c for c in re.split(r"[，,；;。]", plain) if re.search(r"\d", c)
               and not re.match(r"\s*(?:分别)?(?:同比|比上年)?(?:分别)?(?:增长|下降|增速|提高)", c)]  # "，同比增长7.8%" goes on
    return bool(figured) and not LISTS.search(question) and all(find(c) for c in figured)


def ahead(labels: list[str], pieces: list[str], said: list[str], question: str) -> str:
    """Which of two (years, or places) is ahead, from the figure each one's sentence gives after the
    words asked ("2024年更多（12.3万人）。"), or "" when the two figures are not of one unit."""
    figures = [figure_near(CITE.sub("", s), content_terms(re.sub(r"(?:19|20)\d{2}年(?:底|末)?", "", p), [label]))
               for label, p, s in zip(labels, pieces, said)]
    if any(f is None for f in figures) or figures[0][1] != figures[1][1] or figures[0][0] == figures[1][0]:
        return ""
    low = re.search(r"更(?:少|低|慢|小)|(?:最|较)(?:少|低|慢|小)", question)
    first = (figures[0][0] < figures[1][0]) if low else (figures[0][0] > figures[1][0])
    word = low.group(0)[-1] if low else next((w for w in ("多", "快", "大", "高") if f"更{w}" in question or f"较{w}" in question),
                                             "多" if "多还是少" in question else "高")
    best = 0 if first else 1
    return f"{labels[best]}更{word}（{figures[best][0]:g}{figures[best][1]}）。"
