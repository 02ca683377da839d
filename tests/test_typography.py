"""Chinese typography in everything we write: the zh catalog and the playbooks' zh text.

The rules, each precise enough to hold for every message:

* no ASCII space (or tab) directly before or after full-width punctuation
  (``。，、；：？！（）“”‘’《》「」『』【】``): "已创建。 下次可用" is wrong,
  "已创建。下次可用" right;
* no ASCII parenthesis next to Chinese or around Chinese: "进行中 (第 4 步)" and
  "{number}({title})正在" are wrong, "进行中（第 4 步）" right; "Li (42)" stays;
* no ", " between Chinese words: a list in Chinese is joined with "、";
* 录像, not the variant 录象.

A playbook's zh text may quote its seed rule verbatim (the seeds are NFKC-normalised, so they
have ASCII parentheses): a finding whose surroundings appear as they are in the seed lines the
playbook cites is a quote, and the quote keeps the seed's characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from babel.messages.pofile import read_po

from bot.flows.validation import texts
from bot.i18n import default_locales_dir
from tests.flows.test_all_paths import SHIPPED
from tests.flows.test_fidelity import _seed

FULL_WIDTH = "。，、；：？！（）“”‘’《》「」『』【】"
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CHINESE = f"[{CJK}{FULL_WIDTH}]"
CONTEXT = 3  # characters either side of a finding that must match the seed for it to be a quote

SPACING = {
    "space next to full-width punctuation": re.compile(f"[ \t][{FULL_WIDTH}]|[{FULL_WIDTH}][ \t]"),
    "“, ” between Chinese words (use 、)": re.compile(f"(?<=[{CJK}]), (?=[{CJK}])"),
    "录象 (use 录像)": re.compile("录象"),
}
PARENTHESIS = "ASCII parenthesis beside or around Chinese (use （ ）)"
_BESIDE = re.compile(f"(?<={CHINESE})[()]|[()](?={CHINESE})")
_AROUND = re.compile(f"\\([^()]*[{CJK}][^()]*\\)")


@dataclass(frozen=True)
class Finding:
    rule: str
    excerpt: str


def parentheses(text: str) -> list[tuple[int, int]]:
    """The ASCII parentheses that belong to Chinese: beside a Chinese character, or around one."""
    spots = {m.start() for m in _BESIDE.finditer(text)}
    for group in _AROUND.finditer(text):
        spots |= {group.start(), group.end() - 1}
    return [(spot, spot + 1) for spot in sorted(spots)]


def _quoted(text: str, start: int, end: int, seed: str) -> bool:
    """Whether the characters and the few before them, or after them, are seed text as it is."""
    windows = []
    if start >= CONTEXT:
        windows.append(text[start - CONTEXT : end])
    if end + CONTEXT <= len(text):
        windows.append(text[start : end + CONTEXT])
    return any(window in seed for window in windows)


def findings(text: str, seed: str = "") -> list[Finding]:
    """What breaks a rule in ``text``, except verbatim quotes of ``seed``."""
    spans = [(rule, m.start(), m.end()) for rule, p in SPACING.items() for m in p.finditer(text)]
    spans += [(PARENTHESIS, start, end) for start, end in parentheses(text)]
    return [
        Finding(rule, text[max(0, start - CONTEXT) : end + CONTEXT])
        for rule, start, end in spans
        if not _quoted(text, start, end, seed)
    ]


def test_the_rules_catch_what_they_should_and_nothing_else() -> None:
    wrong = [
        "已创建场所“演示酒店”。 下次可用:dutybot console",
        "报告 2611-001(客户挂失财物及失窃)正在进行中 (第 4 步,共 24 步)。",
        "按 “完成” 提交",
        "岗位:领班, 保安员",
        "请立即报告公安机关(110)。",
        "是否调看监控录象?",
        "身份(业主/住户/顾客,房号)",
    ]
    for text in wrong:
        assert findings(text), text
    right = [
        '已创建场所“演示酒店”。下次可用:dutybot console --as "演示保安"',
        "报告 2611-001（客户挂失财物及失窃）正在进行中（第 4 步,共 24 步）。",
        "没有在职员工“Nobody”。已有:Li (42), Wang (43)",
        "岗位:领班、保安员",
        "dutybot: --format 须为 table、tsv、json 之一,而不是“csv”。",
        "%(prog)s:错误:%(message)s",
    ]
    for text in right:
        assert not findings(text), (text, findings(text))
    seed = "6. 业主(住户或顾客)明确要求向公安机关报案"
    assert not findings("业主(住户或顾客)是否明确要求?", seed)  # a quote keeps the seed's form
    assert findings("业主(住户)是否明确要求?", seed)  # not what the seed says


def _catalog() -> Iterator[tuple[str, str]]:
    with open(default_locales_dir() / "zh_Hans" / "LC_MESSAGES" / "dutybot.po", "rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        strings = (
            [message.string] if isinstance(message.string, str) else list(message.string or ())
        )
        for text in strings:
            yield msgid, text


def test_the_chinese_catalog_follows_the_rules() -> None:
    broken = {msgid: findings(text) for msgid, text in _catalog() if findings(text)}
    assert not broken, "\n".join(f"{msgid!r}: {found}" for msgid, found in broken.items())


def _seed_text(book_id: str) -> str:
    book = SHIPPED.get(book_id)
    references = {book.source} | {step.source for step in book.steps}
    return "\n".join(_seed(reference) for reference in sorted(filter(None, references)))


@pytest.mark.parametrize("book_id", sorted(SHIPPED.playbooks))
def test_every_playbook_zh_text_follows_the_rules(book_id: str) -> None:
    book = SHIPPED.get(book_id)
    seed = _seed_text(book_id)
    broken = []
    for _, field, text in texts(book):
        if text and text.get("zh"):
            broken += [f"{field}: {found}" for found in findings(text["zh"], seed)]
    for step in book.steps:
        none = getattr(step, "none_option", None)
        if none is not None:
            broken += [f"{step.id}.none_option: {f}" for f in findings(none["zh"], seed)]
    assert not broken, "\n".join(broken)
