"""What every shipped playbook says in words: English without Chinese left in it, and the same
true sentence wherever a step tells the guard whom dutybot notifies."""

from __future__ import annotations

import re

import pytest

from bot.flows.schema import NotifyAction
from bot.flows.validation import texts
from tests.flows.test_all_paths import SHIPPED

CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")
# What the case "recorded" before dutybot delivered anything; the steps now say what happens.
STALE = re.compile(r"records? a notice|记录了给.{0,8}通知|记录给.{0,8}通知")
PINGS = {
    "en": (re.compile(r"dutybot [^.]*pings"), ("Acknowledge button", "escalation chain")),
    "zh": (re.compile("dutybot [^。]*通知"), ("“确认收到”按钮", "上报链逐级上报")),
}


@pytest.mark.parametrize("book_id", sorted(SHIPPED.playbooks))
def test_english_text_is_english(book_id: str) -> None:
    left = [
        f"{field}: {text['en']}"
        for _, field, text in texts(SHIPPED.get(book_id))
        if text and text.get("en") and CJK.search(text["en"])
    ]
    assert not left, left  # e.g. 第三条 is "Article 3"


@pytest.mark.parametrize("book_id", sorted(SHIPPED.playbooks))
def test_steps_say_that_dutybot_pings_and_escalates(book_id: str) -> None:
    for step in SHIPPED.get(book_id).steps:
        said = {}
        for lang, (pings, words) in PINGS.items():
            text = step.text[lang]
            assert not STALE.search(text), f"{step.id}: {text}"
            said[lang] = bool(pings.search(text))
            if said[lang]:
                assert all(word in text for word in words), f"{step.id}: {text}"
                assert any(isinstance(a, NotifyAction) for a in step.actions), step.id
        assert said["en"] == said["zh"], step.id
