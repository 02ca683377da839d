"""render_mermaid: well-formed flowcharts whose edges take the same path as the engine."""

from __future__ import annotations

import re
from typing import Any

import pytest

from bot.flows.conditions import evaluate
from bot.flows.mermaid import describe, escape, render_mermaid
from bot.flows.render import render_text
from bot.flows.schema import Playbook
from bot.i18n import Catalogs, Translator
from bot.staff.roles import ROLES
from tests.flows.test_all_paths import CHOSEN, SHIPPED, SKIP, _as_answer

NODE = re.compile(r'^\s+(\w+)(\["[^"]*"\]|\{"[^"]*"\}|\(\["[^"]*"\]\))$')
EDGE = re.compile(r'^\s+(\w+) -->(?:\|"([^"]*)"\|)? (\w+)$')
SUBGRAPH = re.compile(r'^\s+subgraph (\w+)\["([^"]*)"\]$')


def reader(lang: str) -> Translator:
    return Catalogs().translator({"zh": "zh_Hans", "en": "en"}[lang], "UTC")


def parse(text: str) -> tuple[set[str], dict[str, list[tuple[str | None, str]]], list[str]]:
    """Node ids, edges by source (label, target), subgraph titles; fails on any other line."""
    lines = text.splitlines()
    assert lines[0] == "flowchart TD"
    nodes: set[str] = set()
    edges: dict[str, list[tuple[str | None, str]]] = {}
    titles: list[str] = []
    depth = 0
    for line in lines[1:]:
        if match := NODE.match(line):
            assert match.group(1) not in nodes, f"node defined twice: {line}"
            nodes.add(match.group(1))
        elif match := EDGE.match(line):
            edges.setdefault(match.group(1), []).append((match.group(2), match.group(3)))
        elif match := SUBGRAPH.match(line):
            titles.append(match.group(2))
            depth += 1
        elif line.strip() == "end":
            depth -= 1
            assert depth == 0
        else:
            raise AssertionError(f"not a Mermaid line this renderer writes: {line!r}")
    assert depth == 0
    for source, targets in edges.items():
        assert source in nodes, source
        assert all(target in nodes for _, target in targets), targets
    return nodes, edges, titles


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("book_id", sorted(SHIPPED.playbooks))
def test_every_playbook_renders_a_well_formed_chart(book_id: str, lang: str) -> None:
    book = SHIPPED.get(book_id)
    text = render_mermaid(book, reader(lang))
    nodes, edges, titles = parse(text)
    for step in book.steps:
        assert f"s_{step.id}" in nodes
        assert len(edges[f"s_{step.id}"]) == 1  # a step always goes on to what comes next
        if step.when is not None:
            assert f"c_{step.id}" in nodes
            labels = [label or "" for label, _ in edges[f"c_{step.id}"]]
            yes, no = ("是", "否") if lang == "zh" else ("yes", "no")
            assert len(labels) == 2 and labels[0].startswith(f"{yes}: ") and labels[1] == no
        else:
            assert f"c_{step.id}" not in nodes
    assert {"start", "review"} <= nodes and "review" not in edges
    sections = {section.id: section.title[lang] for section in book.sections}
    assert set(titles) == {sections[step.section] for step in book.steps if step.section}


def walk(book: Playbook, edges: dict, answers: dict[str, Any], settings: dict) -> list[str]:
    """Follow the chart: at a decision take the yes edge when the step's condition holds."""
    node, visited = "start", []
    while node != "review":
        targets = edges[node]
        if node.startswith("c_"):
            holds = evaluate(book.step(node[2:]).when, answers, settings)
            node = targets[0][1] if holds else targets[1][1]
            continue
        if node.startswith("s_"):
            visited.append(node[2:])
        [(_, node)] = targets
    return visited


@pytest.mark.parametrize("book_id", sorted(SHIPPED.playbooks))
def test_the_chart_takes_the_same_path_as_the_engine(book_id: str) -> None:
    book = SHIPPED.get(book_id)
    _, edges, _ = parse(render_mermaid(book, reader("en")))
    for path in CHOSEN[book_id]:
        answers = {sid: _as_answer(book.step(sid), value) for sid, value in path.answers}
        assert walk(book, edges, answers, path.settings) == list(path.steps)


def test_conditions_are_edge_labels_in_both_languages() -> None:
    book = SHIPPED.get("lost_property")
    zh, en = render_mermaid(book, reader("zh")), render_mermaid(book, reader("en"))
    assert 'c_cctv_findings -->|"是: 需调看监控 = 是"| s_cctv_findings' in zh
    assert 'c_cctv_findings -->|"否"| s_equipment' in zh
    assert 'c_cctv_findings -->|"yes: CCTV review needed = yes"| s_cctv_findings' in en
    assert "Estimated value ≥ setting large_value_threshold" in en
    assert "Staff on site at the time count ≥ 2" in en
    outage = render_mermaid(SHIPPED.get("utility_outage"), reader("zh"))
    assert "设置 long_outage_minutes 未设定" in outage
    assert "类型 ∈ 停电、停水并停电" in outage


def test_actions_are_listed_in_the_step_boxes() -> None:
    text = render_mermaid(SHIPPED.get("coordination_order"), reader("en"))
    assert (
        "deadline b3_submit_order 10m: Submit the work order to the department manager within "
        "10 minutes → Complaint officer / follow-up specialist"
    ) in text
    assert "deadline b3_result_return 12h: " in text and "→ Department manager" in text
    assert "classify: crisis (when Level = Crisis)" in text
    zh = render_mermaid(SHIPPED.get("complaint"), reader("zh"))
    assert "时限 7d:" in zh and "时限 30d:" in zh and "分级:major" in zh
    assert "（照片、可选）" in render_mermaid(SHIPPED.get("fire"), reader("zh"))


def test_describe_reads_settings_and_negations() -> None:
    book = SHIPPED.get("complaint")
    when = book.step("apology_given").when
    assert describe(when, book, "en") == (
        "(Type = Complaint AND setting apology_only_at_fault is not set)"
    )
    assert "设置 hotel_categories = 否" in describe(book.step("category_property").when, book)


def test_labels_are_escaped() -> None:
    awkward = 'say "hi" | [x] {y} <b> #1 `z`\nsecond line'
    text = {"zh": awkward, "en": awkward}
    book = Playbook.model_validate(
        {
            "id": "awkward",
            "version": 1,
            "title": text,
            "sections": [{"id": "part", "title": text}],
            "steps": [
                {"id": "first", "kind": "yesno", "section": "part", "text": text},
                {
                    "id": "second",
                    "kind": "choice",
                    "text": text,
                    "label": text,
                    "when": {"answer": "first", "equals": True},
                    "options": [{"id": "a", "zh": awkward, "en": awkward}],
                },
                {
                    "id": "third",
                    "kind": "text",
                    "text": text,
                    "when": {"answer": "second", "in": ["a"]},
                },
            ],
        }
    )
    rendered = render_mermaid(book, reader("en"))
    nodes, edges, _ = parse(rendered)  # every label stays inside its quotes
    assert {"s_first", "c_second", "s_second", "c_third", "s_third"} <= nodes
    assert escape(awkward) in rendered
    assert "#quot;hi#quot;" in rendered and "#124;" in rendered and "<br/>second line" in rendered
    assert edges["c_third"][1] == ("no", "review")
    assert walk(book, edges, {"first": True, "second": "a"}, {}) == ["first", "second", "third"]
    assert walk(book, edges, {"first": False}, {}) == ["first"]
    assert SKIP not in rendered


ENGLISH_SCAFFOLDING = re.compile(
    r"\b(source|only when|each person|notify|deadline|classify|optional|site setting|when|AND|OR"
    r"|NOT|setting|instruction|choice|checklist|yesno|text|number|datetime|photos|location"
    r"|people)\b"
)
ROLE_IDS = re.compile(r"\b(" + "|".join(ROLES) + r")\b")


@pytest.mark.parametrize("book_id", sorted(SHIPPED.playbooks))
def test_chinese_views_speak_chinese_and_name_roles(book_id: str) -> None:
    book = SHIPPED.get(book_id)
    zh = reader("zh")
    text, chart = render_text(book, zh), render_mermaid(book, zh)
    # Ids stay where they identify something: [step_id v1], - option_id:, node ids, settings.
    ids = re.compile(
        r"\[[a-z0-9_]+( v\d+)?\]?|^\s*- [a-z0-9_]+:|^\s*[a-z]_[a-z0-9_]+|"
        r"\w+ --> |-->\|?|\| [cs]_\w+$|设置 [a-z0-9_]+|场所参数 [a-z0-9_]+|分级:[a-z0-9_]+",
        re.M,
    )
    for view in (text, chart):
        words = ids.sub("", view)
        assert not ROLE_IDS.findall(words), ROLE_IDS.findall(words)[:5]
        assert not ENGLISH_SCAFFOLDING.findall(words), ENGLISH_SCAFFOLDING.findall(words)[:5]
    for step in book.steps:
        for action in step.actions:
            notified = getattr(action, "notify", None)
            if notified:
                names = "、".join(zh._(ROLES[role]) for role in notified)
                assert f"通知:{names}" in text and f"通知:{names}" in chart, step.id


def test_the_text_view_in_both_languages() -> None:
    book = SHIPPED.get("lost_property")
    zh, en = render_text(book, reader("zh")), render_text(book, reader("en"))
    assert "出处:000:1-35" in zh and "source: 000:1-35" in en
    assert " 6. [cctv_needed] 需调看监控（是/否、出处 000:13）" in zh
    assert " 6. [cctv_needed] CCTV review needed (yes/no, source 000:13)" in en
    assert "    → 通知:安防队长、服务中心负责人、物业部经理 — " in zh
    assert "    → notify: Security chief, Service-centre head, Property manager — " in en
    assert "    仅当 需调看监控 = 是" in zh and "    only when CCTV review needed = yes" in en
    assert "    每人记录:姓名、身份、联系方式" in zh  # short labels, not the hint
    assert "    each person: Name, Status, Contact" in en


def test_flows_show_lists_the_rules_clocks_each_with_its_step_or_why_not() -> None:
    from bot.flows.render import render_text

    b3 = render_text(SHIPPED.get("coordination_order"), reader("en"))
    assert "The rules' clocks for this procedure (catalog §8.1):" in b3
    assert (
        "• Phone the customer 40 minutes later to check progress [001:156]: a deadline of step "
        "callback_scheduled"
    ) in b3
    assert (
        "• Penalty for an overrun: 20, 30, 50, 80 yuan [001:156]: not a deadline: a penalty for "
        "an overrun, not a clock (a report can count overruns)"
    ) in b3
    complaint = render_text(SHIPPED.get("complaint"), reader("zh"))
    assert "由定时任务执行:未解决投诉的级别自动升级" in complaint
    assert "[000:157]: 步骤 inquiry_referred 的时限" in complaint
    # A procedure whose lines carry no clock of the rules says nothing about them.
    assert "§8.1" not in render_text(SHIPPED.get("lost_property"), reader("en"))
