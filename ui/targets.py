"""The 目标与完成 tab: a place's yearly targets beside what the next report says was achieved, as a
table (the verdict a coloured badge, every figure opening its paragraph as in the 指标 tab), and one
line chart per chosen indicator with the targets drawn beside the actuals across the years
(matplotlib, marking every year: a report pair gives one actual, which a line alone would not show).
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from html import escape

from qa import indicators as table_of
from qa.serve.service import Service
from qa.targets import VERDICT_ZH, Pair, Point, is_rate
from ui import indicators as view

FONTS = ("Noto Sans CJK SC", "Noto Serif CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "Microsoft YaHei",
         "PingFang SC", "SimHei")  # the first the server has draws the Chinese labels
MAX_CHARTS = 4  # chart slots the tab holds; more chosen indicators are left out of the charts
# verdict -> the badge's class and colours (ok/warn are the theme's; the rest inline, theme.py being shared)
BADGES = {"met": ("ok", ""), "missed": ("miss", "background:#fdecec;border-color:#f3b4b4;color:#a61b1b;"),
          "not_stated": ("", ""), "not_comparable": ("warn", ""), "missing_report": ("", "")}


def places(service: Service) -> list[str]:
    """The places some target of which the library holds."""
    return sorted({p.place for p in service.targets()})


def select(service: Service, place: str | None) -> list[Pair]:
    return service.targets([place]) if place else []


def indicators_of(found: Sequence[Pair]) -> list[str]:
    """The indicators with targets, GDP first, then as the table lists them."""
    named = list(dict.fromkeys(p.indicator for p in found))
    return sorted(named, key=lambda n: n != "地区生产总值")


def paragraphs(service: Service, found: Sequence[Pair]) -> dict[str, tuple[str, str]]:
    """The paragraphs the pairs' figures come from: id -> (report title, text)."""
    return view.paragraphs(service, [table_of.row(f) for p in found for f in (p.target, p.actual) if f])


def badge(verdict: str) -> str:
    cls, style = BADGES[verdict]
    return (f'<span class="badge verdict {cls}" data-verdict="{verdict}" style="white-space:nowrap;{style}">'
            f'{VERDICT_ZH[verdict]}</span>')


def table_html(found: Sequence[Pair], paragraphs: dict[str, tuple[str, str]]) -> str:
    """One row per target: indicator, year, target, actual, verdict, rule; a figure opens its paragraph."""
    if not found:
        return '<p class="muted">这个地方的报告里没有可核对的年度目标。</p>'
    body = []
    for p in found:
        cells = [view.cell(table_of.row(f), paragraphs.get(f.paragraph_id)) if f else '<span class="muted">—</span>'
                 for f in (p.target, p.actual)]
        body.append(f'<tr data-indicator="{escape(p.indicator)}" data-year="{p.year}" data-verdict="{p.verdict}">'
                    f'<td>{escape(p.indicator)}</td><td>{p.year}</td><td>{cells[0]}</td><td>{cells[1]}</td>'
                    f'<td>{badge(p.verdict)}</td><td class="rule">{escape(p.rule)}</td></tr>')
    return ('<table class="indicators targets"><thead><tr><th>指标</th><th>年份</th><th>目标</th><th>实际</th>'
            f'<th>完成情况</th><th>判断依据</th></tr></thead><tbody>{"".join(body)}</tbody></table>')


def chart_frame(points: Sequence[Point], indicator: str):
    """(frame, title) of one indicator: its targets and its actuals of the same measure, by year.
    A growth target is drawn beside the actual growth, a level target beside the actual level."""
    import pandas as pd

    targets = [pt for pt in points if pt.kind == "target"]
    rate = is_rate(targets[0].fact) if targets else not any(pt.kind == "actual" for pt in points)
    chosen = [pt for pt in points if (pt.kind == "target" and is_rate(pt.fact) == rate)
              or pt.kind == ("growth" if rate else "actual")]
    if not chosen:
        return pd.DataFrame({"年份": [], "数值": [], "系列": []}), indicator
    rows = [(pt, table_of.row(pt.fact)) for pt in chosen]
    unit = "%" if rate else next(r["compare_unit"] for pt, r in rows if pt.kind == "target" or not targets)
    frame = [{"年份": str(pt.year), "数值": r["compare_value"], "系列": "目标" if pt.kind == "target" else "实际"}
             for pt, r in rows if rate or r["compare_unit"] == unit]
    return pd.DataFrame(frame), f"{indicator}（{'增速 ' if rate else ''}{unit}）"


def chart(points: Sequence[Point], indicator: str):
    """A line chart (matplotlib Figure) of chart_frame: actuals solid, targets dashed, each year marked."""
    from matplotlib.figure import Figure

    frame, title = chart_frame(points, indicator)
    fig = Figure(figsize=(6, 3), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    ax.set_title(title, fontfamily=cjk_fonts(), fontsize=11)
    for series, style in (("实际", dict(marker="o", linestyle="-", color="#2563eb")),
                          ("目标", dict(marker="D", linestyle="--", color="#ea580c", markerfacecolor="white"))):
        part = frame[frame["系列"] == series] if len(frame) else frame
        if len(part):
            years = [int(y) for y in part["年份"]]
            ax.plot(years, list(part["数值"]), label=series, **style)
            for x, y in zip(years, part["数值"]):
                ax.annotate(f"{y:g}", (x, y), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=8,
                            color=style["color"])
    years = sorted({int(y) for y in frame["年份"]}) if len(frame) else []
    ax.set_xticks(years, [str(y) for y in years])
    if years:
        ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)
        ax.legend(prop={"family": cjk_fonts(), "size": 9}, loc="best")
    ax.grid(axis="y", alpha=0.3)
    ax.margins(y=0.25)
    return fig


@cache
def cjk_fonts() -> list[str]:
    """Font families that draw Chinese, registering the system's CJK fonts with matplotlib when its
    font cache predates them (it then knows DejaVu only, and the labels come out as boxes)."""
    from matplotlib import font_manager

    known = {f.name for f in font_manager.fontManager.ttflist}
    if not known & set(FONTS):
        for path in font_manager.findSystemFonts():
            if any(word in path for word in ("CJK", "wqy", "SourceHan", "msyh", "PingFang", "simhei")):
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
        known = {f.name for f in font_manager.fontManager.ttflist}
    return [f for f in FONTS if f in known] + ["DejaVu Sans"]
