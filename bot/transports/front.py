"""The Telegram front end, whichever client library carries it.

Per chat, updates are handled one at a time in arrival order (aiogram runs them as concurrent
tasks); files are downloaded, the engine handles the event, and its answer is rendered: sent,
or edited into the question it replaces. Every button press is answered exactly once.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from html import escape

from bot.delivery.limits import Limits
from bot.engine.callbacks import ScreenPress, unpack
from bot.engine.conversation import Engine
from bot.engine.incoming import Incoming, PhotoIn
from bot.engine.outgoing import Outgoing, PhotoOut
from bot.i18n import CLIENT_LANGUAGES
from bot.transports import render
from bot.transports.chats import Albums, ChatLocks, Views
from bot.transports.port import EditRefused, Keyboard, Menu, PhotoFile, Port, Received
from bot.transports.updates import SOURCE

log = logging.getLogger(__name__)
ALBUM = 10  # photos per media group (Telegram's limit)
CAPTION = 1024  # characters of a caption (Telegram's limit)


class Front:
    def __init__(
        self,
        engine: Engine,
        port: Port,
        *,
        album_quiet: float = 0.8,
        on_finished: Callable[[Iterable[int]], None] | None = None,
        limits: Limits | None = None,
    ) -> None:
        self.engine = engine
        self.port = port
        # Shared with the outbox sender: the bot-wide rate counts both.
        self.limits = limits
        self.locks = ChatLocks()
        self.albums = Albums(album_quiet)
        self.views = Views()
        self.on_finished = on_finished
        self._answered: OrderedDict[str, None] = OrderedDict()
        self._busy = 0
        self._idle = asyncio.Event()
        self._idle.set()

    async def setup(self, default_locale: str) -> None:
        """The command menu everyone sees, in Chinese, English and the site default."""
        for language, locale in CLIENT_LANGUAGES.items():
            await self.port.set_commands(self.engine.public_commands(locale), language=language)
        await self.port.set_commands(self.engine.public_commands(default_locale))

    async def drain(self, timeout: float) -> None:  # noqa: ASYNC109
        """Wait (up to ``timeout`` seconds) for updates being handled to finish."""
        try:
            async with asyncio.timeout(timeout):
                await self._idle.wait()
        except TimeoutError:
            log.warning("%d update(s) still being handled at shutdown", self._busy)

    async def handle(self, received: Received) -> None:
        if received.file is not None and received.album and self.albums.join(received):
            return  # the album's first update handles it
        self._busy += 1
        self._idle.clear()
        batch = [received]
        started = time.monotonic()
        try:
            async with self.locks.hold(received.chat_id):
                if received.file is not None and received.album:
                    batch = await self.albums.gather(received)
                incoming = received.incoming or await self._photos(batch)
                replies = await self.engine.handle(incoming)
                # The toast and the next question go out side by side: one round trip, not two.
                await asyncio.gather(
                    self._answer(received, replies), self._deliver(received, replies)
                )
        except Exception:
            log.exception("update %s (chat %s) failed", received.update_id, received.chat_id)
            await self._apologise(received)
        finally:
            await self._answer(received, [])
            self._busy -= 1
            if not self._busy:
                self._idle.set()
            ids = [r.update_id for r in batch]
            elapsed = (time.monotonic() - started) * 1000
            log.info("update %s done in %.0f ms", ",".join(map(str, ids)), elapsed)
            if self.on_finished is not None:
                self.on_finished(ids)

    # --- incoming files -------------------------------------------------------------------

    async def _photos(self, batch: list[Received]) -> Incoming:
        first = batch[0]
        # Nothing is fetched for a stranger: the engine answers them without it.
        known = await self.engine.is_staff(first.user.telegram_id)
        wanted = {r.update_id: f for r in batch if known and (f := self._worth_fetching(r))}
        # "sending a photo…" shows while the files come: side by side, not a round trip before
        # them, and done before the answer goes out (it would linger after it otherwise).
        showing = None
        if wanted:
            action = self._quietly(self.port.chat_action(first.chat_id, "upload_photo"))
            showing = asyncio.create_task(action)
        try:
            fetched = await asyncio.gather(*(self.port.download(f) for f in wanted.values()))
        finally:
            if showing is not None:
                await showing
        data = dict(zip(wanted, fetched, strict=True))
        photos = []
        for r in batch:
            assert r.file is not None
            photos.append(
                PhotoIn(
                    data=data.get(r.update_id, b""),
                    telegram_file_id=r.file.file_id,
                    declared_mime=r.file.mime,
                    declared_size=r.file.size,
                    event_id=r.update_id,
                )
            )
        return Incoming.photo(first.user, *photos, source=SOURCE, event_id=first.update_id)

    def _worth_fetching(self, received: Received) -> str | None:
        """The file id of an image within the size limit (else the engine says why not)."""
        file = received.file
        assert file is not None
        if file.size is not None and file.size > self.engine.max_file_bytes:
            return None
        return file.file_id if file.photo or (file.mime or "").startswith("image/") else None

    # --- answers --------------------------------------------------------------------------

    async def _answer(self, received: Received, replies: list[Outgoing]) -> None:
        query = received.callback_id
        if query is None or query in self._answered:
            return
        self._answered[query] = None
        while len(self._answered) > 10_000:
            self._answered.popitem(last=False)
        notice = next((r.notice for r in replies if r.notice), None)
        await self._quietly(self.port.answer(query, notice))

    async def _deliver(self, received: Received, replies: list[Outgoing]) -> None:
        chat = received.chat_id
        settling = None
        if self._answers_a_question(received) and not any(r.replace for r in replies):
            html = self._settled(received)
            if html is not None:  # redrawn while the next question is being sent
                settling = asyncio.create_task(self._settle(received, html))
        for reply in replies:
            # A record opened from a group goes to the person's own chat, not to the group.
            target = received.user.telegram_id if reply.private else chat
            if reply.commands is not None:
                await self._commands(target, reply.commands)
            if reply.replace and target == chat and await self._edit(received, reply):
                continue
            await self._send(target, reply)
        if settling is not None:
            await settling

    @staticmethod
    def _answers_a_question(received: Received) -> bool:
        """A press on the question on display (not on a ping, which keeps its buttons)."""
        if received.pressed_message is None or received.incoming is None:
            return False
        return isinstance(unpack(received.incoming.token), ScreenPress)

    async def _send(self, chat: int, reply: Outgoing) -> None:
        view = self.views[chat]
        for piece in render.pieces(reply):
            keyboard = Keyboard(rows=piece.rows)
            if not piece.rows and view.reply_keyboard:
                keyboard, view.reply_keyboard = Keyboard(remove=True), False
            await self._slot()
            message_id = await self.port.send(chat, piece.html, keyboard)
            if piece.rows:
                self.views.shown(chat, message_id, piece)
        if reply.share_location:
            label = reply.share_location
            await self._slot()
            await self.port.send(chat, escape(label), Keyboard(share_location=label))
            self.views[chat].reply_keyboard = True
        for start in range(0, len(reply.photos), ALBUM):
            batch = [self._photo(p) for p in reply.photos[start : start + ALBUM]]
            files = [f for f in batch if f.file_id or f.data]
            if files:
                await self._slot()
                await self.port.send_album(chat, files)
        if reply.place is not None:
            place = reply.place
            await self._slot()
            await self.port.send_place(chat, place.lat, place.lon, place.title, place.address)
        for file in reply.files:
            await self._slot()
            caption = file.caption[:CAPTION]
            if file.image:
                await self.port.send_image(chat, file.name, file.data, caption)
            else:
                await self._quietly(self.port.chat_action(chat, "upload_document"))
                await self.port.send_document(chat, file.name, file.data, caption)

    def _photo(self, photo: PhotoOut) -> PhotoFile:
        if photo.file_id:
            return PhotoFile(file_id=photo.file_id)
        path = self.engine.media.path_for(photo.sha256)
        return PhotoFile(data=path.read_bytes() if path.is_file() else None)

    async def _slot(self) -> None:
        if self.limits is not None:
            await self.limits.slot()

    def _settled(self, received: Received) -> str | None:
        """The answered question without its buttons, showing the one pressed (so an old
        message offers nothing stale to tap at night); None when it is not the question on
        display."""
        chat, message = received.chat_id, received.pressed_message
        assert message is not None and received.incoming is not None
        piece = self.views[chat].shown.get(message)
        token = received.incoming.token
        label = next(
            (lb for row in (piece.rows if piece else ()) for lb, d in row if d == token), None
        )
        if piece is None or label is None:
            return None
        return f"{piece.html}\n\n→ {escape(label, quote=False)}"

    async def _settle(self, received: Received, html: str) -> None:
        chat, message = received.chat_id, received.pressed_message
        assert message is not None
        try:
            await self.port.edit(chat, message, html, ())
        except EditRefused as refused:
            log.info("could not settle message %s in chat %s: %s", message, chat, refused)
            return
        except Exception as exc:  # a nicety: never let it cost the answer itself
            log.warning("settling message %s in chat %s failed: %s", message, chat, exc)
            return
        self.views[chat].shown.pop(message, None)

    async def _edit(self, received: Received, reply: Outgoing) -> bool:
        """Show ``reply`` in place of the question; False when it must be sent instead."""
        chat = received.chat_id
        pieces = render.pieces(reply)
        target = received.pressed_message or self.views[chat].question
        if len(pieces) != 1 or target is None:
            return False
        piece = pieces[0]
        if self.views[chat].shown.get(target) == piece:
            return True  # Telegram would refuse an edit that changes nothing
        try:
            await self.port.edit(chat, target, piece.html, piece.rows)
        except EditRefused as refused:
            if not refused.not_modified:
                return False
        self.views.shown(chat, target, piece)
        return True

    async def _commands(self, chat: int, commands: Menu) -> None:
        view = self.views[chat]
        if view.commands != commands:
            await self._quietly(self.port.set_commands(commands, chat_id=chat))
            view.commands = commands

    async def _apologise(self, received: Received) -> None:
        text = escape(self.engine.apology(received.user).text)
        await self._quietly(self.port.send(received.chat_id, text, Keyboard()))

    async def _quietly(self, call: object) -> None:
        """Something nice to have (a toast, a chat action): a failure is logged, not raised."""
        try:
            await call  # type: ignore[misc]
        except Exception as exc:
            log.warning("%s failed: %s", getattr(call, "__qualname__", call), exc)
