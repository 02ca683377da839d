"""The front end's rendering decisions, with a recording port instead of Telegram."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.engine.incoming import UserRef
from bot.engine.outgoing import Button, FileOut, Outgoing
from bot.transports.front import Front
from bot.transports.port import EditRefused, Keyboard, Received
from bot.transports.render import Rows


@dataclass
class RecordingPort:
    calls: list[tuple[str, Any]] = field(default_factory=list)
    refuse_edits: bool = False
    next_id: int = 100

    async def send(self, chat_id: int, html: str, keyboard: Keyboard) -> int:
        self.next_id += 1
        self.calls.append(("send", (html, keyboard)))
        return self.next_id

    async def edit(self, chat_id: int, message_id: int, html: str, rows: Rows) -> None:
        if self.refuse_edits:
            raise EditRefused(False)
        self.calls.append(("edit", (message_id, html)))

    async def answer(self, callback_id: str, text: str | None) -> None:
        self.calls.append(("answer", text))

    async def chat_action(self, chat_id: int, action: str) -> None: ...

    async def send_document(self, chat_id: int, name: str, data: bytes, caption: str) -> None:
        self.calls.append(("document", (chat_id, name, data, caption)))

    async def send_image(self, chat_id: int, name: str, data: bytes, caption: str) -> None:
        self.calls.append(("image", (chat_id, name, data, caption)))

    async def download(self, file_id: str) -> bytes:
        return b""

    async def set_commands(
        self, commands: Any, *, chat_id: Any = None, language: Any = None
    ) -> None:
        self.calls.append(("commands", (chat_id, language)))


class ScriptedEngine:
    max_file_bytes = 20 * 2**20

    def __init__(self, *replies: list[Outgoing]) -> None:
        self.replies = list(replies)

    async def handle(self, incoming: Any) -> list[Outgoing]:
        return self.replies.pop(0)

    async def is_staff(self, telegram_id: int) -> bool:
        return True


USER = UserRef(5, "Li", "en")
QUESTION = Outgoing(text="Tick", buttons=((Button("☐ Pen", "c:1.1.0"),),))
TICKED = Outgoing(text="Tick", buttons=((Button("☑ Pen", "c:1.2.0"),),), replace=True, notice="ok")


def press(update_id: int, message_id: int) -> Received:
    from bot.engine.incoming import Incoming

    return Received(
        update_id, 5, USER, incoming=Incoming.press(USER, "x"), callback_id=f"q{update_id}",
        pressed_message=message_id,
    )  # fmt: skip


async def test_a_replacement_edits_the_pressed_question_and_skips_no_op_edits() -> None:
    port = RecordingPort()
    front = Front(ScriptedEngine([QUESTION], [TICKED], [TICKED]), port)  # type: ignore[arg-type]
    await front.handle(press(1, 50))
    await front.handle(press(2, 101))
    await front.handle(press(3, 101))  # the same text and keyboard again: no edit at all
    kinds = [kind for kind, _ in port.calls]
    assert kinds == ["answer", "send", "answer", "edit", "answer"]
    assert port.calls[3][1] == (101, "Tick")
    assert port.calls[2][1] == "ok"  # the notice is the press's toast


async def test_a_refused_edit_becomes_a_new_message() -> None:
    port = RecordingPort(refuse_edits=True)
    front = Front(ScriptedEngine([TICKED]), port)  # type: ignore[arg-type]
    await front.handle(press(1, 50))
    assert [kind for kind, _ in port.calls] == ["answer", "send"]


async def test_location_questions_bring_a_share_button_that_leaves_again() -> None:
    port = RecordingPort()
    ask = Outgoing(
        text="Where?", buttons=((Button("Skip", "c:1.1.0"),),), share_location="📍 Share"
    )
    front = Front(ScriptedEngine([ask], [Outgoing(text="Thanks")]), port)  # type: ignore[arg-type]
    await front.handle(press(1, 50))
    await front.handle(press(2, 101))
    sent = [payload for kind, payload in port.calls if kind == "send"]
    assert sent[1] == ("📍 Share", Keyboard(share_location="📍 Share"))
    assert sent[2] == ("Thanks", Keyboard(remove=True))


async def test_a_failure_is_logged_and_the_person_told(caplog: Any) -> None:
    class Broken(ScriptedEngine):
        async def handle(self, incoming: Any) -> list[Outgoing]:
            raise RuntimeError("boom")

        def apology(self, user: UserRef) -> Outgoing:
            return Outgoing(text="Sorry <3")

    port = RecordingPort()
    await Front(Broken(), port).handle(press(77, 50))  # type: ignore[arg-type]
    assert ("send", ("Sorry &lt;3", Keyboard())) in port.calls
    assert ("answer", None) in port.calls
    assert "update 77 (chat 5) failed" in caplog.text


async def test_an_answered_question_loses_its_buttons_and_shows_the_choice() -> None:
    from bot.engine.incoming import Incoming

    port = RecordingPort()
    ask = Outgoing(text="Lost or <stolen>?", buttons=((Button("Stolen", "c:1.1.0"),),))
    following = Outgoing(text="When?", buttons=((Button("Now", "c:1.2.0"),),))
    front = Front(ScriptedEngine([ask], [following]), port)  # type: ignore[arg-type]
    await front.handle(press(1, 50))
    tap = Received(2, 5, USER, incoming=Incoming.press(USER, "c:1.1.0"), callback_id="q2",
                   pressed_message=101)  # fmt: skip
    await front.handle(tap)
    kinds = [kind for kind, _ in port.calls]
    # The toast, the redrawn question and the next question go out side by side.
    assert kinds[:2] == ["answer", "send"] and sorted(kinds[2:]) == ["answer", "edit", "send"]
    assert ("edit", (101, "Lost or &lt;stolen&gt;?\n\n→ Stolen")) in port.calls


async def test_files_go_out_as_documents_or_images_after_the_text() -> None:
    from bot.engine.incoming import Incoming

    port = RecordingPort()
    reply = [
        Outgoing(text="Chart", files=(FileOut("chart.png", b"png", image=True, caption="Nov"),)),
        Outgoing(text="", files=(FileOut("case.pdf", b"%PDF", caption="x" * 2000),), private=True),
    ]
    front = Front(ScriptedEngine(reply), port)  # type: ignore[arg-type]
    await front.handle(Received(1, -100, USER, incoming=Incoming.message(USER, "/stats")))
    assert [kind for kind, _ in port.calls] == ["send", "image", "document"]
    assert port.calls[1][1] == (-100, "chart.png", b"png", "Nov")  # in the group
    chat, name, data, caption = port.calls[2][1]
    # A private file goes to the asker's own chat, its caption cut to Telegram's 1,024.
    assert (chat, name, data, len(caption)) == (USER.telegram_id, "case.pdf", b"%PDF", 1024)
