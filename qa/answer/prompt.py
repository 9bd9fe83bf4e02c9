"""The prompt: a fixed system message and one worked example (llama.cpp reuses this prefix
between questions), then the numbered evidence labelled by county and year, then the question."""
from __future__ import annotations

from collections.abc import Sequence

from corpus.clean import to_simplified

SYSTEM = (
    "你是政府工作报告问答助手。只依据用户给出的资料回答问题。"
    "用简体中文，一到两句话，先直接给出答案；数字照抄资料原文并带单位；"
    "每句末尾用方括号标出所依据资料的编号，如[1]。不要写资料里没有的数字。"
)
EXAMPLE_USER = (
    "资料：\n[1]（甲县2024年政府工作报告）全县地区生产总值完成120.5亿元,同比增长6.2%。\n"
    "[2]（甲县2024年政府工作报告）新建5G基站300个。\n问题：甲县地区生产总值是多少？"
)
EXAMPLE_ASSISTANT = "甲县地区生产总值完成120.5亿元，同比增长6.2%[1]。"


def passage_label(county: str, year: int | None) -> str:
    return f"{county}{year}年政府工作报告" if year else f"{county}政府工作报告"


def build_messages(question: str, passages: Sequence[tuple[str, str]], numbers: Sequence[int] = ()) -> list[dict]:
    """passages: (label, text) in citation order, numbered 1.. or by `numbers`. Texts are given in
    simplified script."""
    numbers = list(numbers) or list(range(1, len(passages) + 1))
    material = "\n".join(f"[{n}]（{label}）{to_simplified(text)}" for n, (label, text) in zip(numbers, passages))
    return [
        {"role": "system", "content": SYSTEM},
        {"role": "user", "content": EXAMPLE_USER},
        {"role": "assistant", "content": EXAMPLE_ASSISTANT},
        {"role": "user", "content": f"资料：\n{material}\n问题：{to_simplified(question)}"},
    ]
