"""A running dutybot (aiogram or python-telegram-bot) against the fake Bot API, and people in it."""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import re
import signal
import socket
import sys
from collections import Counter
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.app import App, build_app, open_database
from bot.config import Settings
from bot.sites import service as sites
from bot.sites.models import Site
from bot.staff import invites
from bot.staff import service as staff_service
from bot.storage.migrate import upgrade
from bot.transports.runner import serve
from tests.e2e.zygote import Zygote
from tests.fakes import FakeBotAPI, FakeUser, Sent, StoredMessage

TOKEN = "123456:TEST-token_for-dutybot"
SECRET = "hook-Secret_42"
TRANSPORTS = ["aiogram", "ptb"]
MAX_FILE_BYTES = 20 * 1024 * 1024
# `dutybot run` forked from the zygote (tests/e2e/zygote.py) unless DUTYBOT_TEST_ZYGOTE=0: then
# each start is a fresh interpreter.
FORK = os.environ.get("DUTYBOT_TEST_ZYGOTE", "1") != "0"


class Finished:
    """How often the front end finished with each update id (its ``on_finished`` hook)."""

    def __init__(self) -> None:
        self.count: Counter[int] = Counter()
        self._event = asyncio.Event()

    def __call__(self, ids: Iterable[int]) -> None:
        self.count.update(ids)
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, ids: Iterable[int], times: int = 1, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        wanted = set(ids)
        async with asyncio.timeout(timeout):
            while True:
                event = self._event
                if all(self.count[i] >= times for i in wanted):
                    return
                await event.wait()


def environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    """What `dutybot` subprocesses run with: this environment minus any DUTYBOT_ setting."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DUTYBOT_")}
    env.update(
        DUTYBOT_DATABASE__URL=f"sqlite:///{tmp_path / 'dutybot.db'}",
        DUTYBOT_MEDIA__DIR=str(tmp_path / "media"),
        PYTHONUNBUFFERED="1",
        **extra,
    )
    return env


async def dutybot(env: dict[str, str], *args: str) -> tuple[int, str]:
    """Run one `dutybot` command; (exit code, output)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", *args, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    out, _ = await asyncio.wait_for(process.communicate(), 60)
    return process.returncode or 0, out.decode()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Bot:
    api: FakeBotAPI
    app: App  # in a subprocess run: the test's own handle on the same database and files
    site: Site
    finished: Finished
    transport: str
    env: dict[str, str] = field(default_factory=dict)  # for `dutybot ...` commands
    log: list[str] = field(default_factory=list)  # output of `dutybot run`
    run: Run | None = None  # the `dutybot run` process, when launched

    async def cli(self, *args: str) -> str:
        code, out = await dutybot(self.env, *args)
        assert code == 0, out
        return out

    @property
    def media_dir(self) -> Path:
        return self.app.settings.media.dir

    async def invite(self, role: str = "guard", hours: int = 72) -> str:
        with self.app.db.transaction() as session:
            assert self.site.id is not None
            code, _ = invites.create(
                session,
                role=role,
                site_id=self.site.id,
                created_by=None,
                valid_for=timedelta(hours=hours),
                now=datetime.now(UTC),
            )
        return code

    async def add_staff(
        self, telegram_id: int, name: str, *roles: str, site_id: int | None = None
    ) -> int:
        with self.app.db.transaction() as session:
            assert self.site.id is not None
            member = staff_service.add(
                session,
                telegram_id=telegram_id,
                name=name,
                roles=list(roles),
                site_id=site_id or self.site.id,
                locale=None,
                now=datetime.now(UTC),
            )
            assert member.id is not None
            return member.id

    def person(self, telegram_id: int, name: str = "Li Wei", language: str = "en") -> Person:
        return Person(self, self.api.user(telegram_id, name, language_code=language))


@dataclass
class Person:
    """Someone in a private chat with the bot: acts, then waits until the bot has answered."""

    bot: Bot
    user: FakeUser

    @property
    def chat(self) -> int:
        return self.user.id

    def messages(self) -> list[StoredMessage]:
        return self.bot.api.sent_messages(self.chat)

    async def act(self, action: Any, times: int = 1) -> list[StoredMessage]:
        """Run ``action()`` (which returns a Sent) and wait until the bot is done with it
        (``times`` times, for a redelivery); the bot messages that were new after it."""
        before = len(self.messages())
        sent: Sent = action()
        await self.bot.finished.wait((int(u["update_id"]) for u in sent.updates), times)
        return self.messages()[before:]

    async def redelivered(self, action: Any) -> list[StoredMessage]:
        """Run ``action()`` (a redelivery of an update already handled) and wait until the
        bot has taken it from the Bot API; the bot messages that were new after it. The inbox
        knows the update already, so nothing is handled again."""
        before = len(self.messages())
        action()
        await self.bot.api.wait_until_consumed()
        return self.messages()[before:]

    async def say(self, text: str) -> list[StoredMessage]:
        return await self.act(lambda: self.user.send_text(text))

    async def press(self, label: str) -> list[StoredMessage]:
        return await self.act(lambda: self.user.press(label))

    async def photo(self, data: bytes) -> list[StoredMessage]:
        return await self.act(lambda: self.user.send_photo(data))

    async def album(self, *photos: bytes) -> list[StoredMessage]:
        return await self.act(lambda: self.user.send_photo_album(list(photos)))

    def question(self) -> StoredMessage:
        return self.bot.api.keyboard_message(self.chat)

    def text(self) -> str:
        return self.question().text or ""

    def labels(self) -> list[str]:
        return [label for row in self.question().button_texts() for label in row]


def settings_for(
    tmp_path: Path, api: FakeBotAPI, transport: str, flows: Path | None = None, **telegram: Any
) -> Settings:
    return Settings.model_validate(
        {
            "database": {"url": f"sqlite:///{tmp_path / 'dutybot.db'}"},
            "media": {"dir": tmp_path / "media", "max_file_bytes": MAX_FILE_BYTES},
            "flows": {"extra_dir": flows},
            "telegram": {
                "token": TOKEN,
                "transport": transport,
                "api_base_url": api.url,
                "polling_timeout": 1,
                "album_wait": 0.25,
                **telegram,
            },
        }
    )


async def prepared(settings: Settings) -> tuple[App, Site]:
    """A migrated database with one site (its name needs escaping in HTML), and an app on it."""
    database = open_database(settings)
    await upgrade(database)
    await database.dispose()
    app = await build_app(settings)
    with app.db.transaction() as session:
        site = sites.create(
            session,
            code="hq",
            name="HQ Hotel <Pudong> & Co",
            timezone="Asia/Shanghai",
            locale="en",
            now=datetime.now(UTC),
        )
    return app, site


@asynccontextmanager
async def running(
    tmp_path: Path,
    transport: str,
    *,
    webhook: bool = False,
    flows: Path | None = None,
    **telegram: Any,
) -> AsyncIterator[Bot]:
    """Fake Bot API + migrated database with one site + dutybot serving until the block ends."""
    async with FakeBotAPI(token=TOKEN, bot_username="duty_test_bot") as api:
        if webhook:
            port = free_port()
            telegram.update(
                mode="webhook",
                webhook_url=f"http://127.0.0.1:{port}/telegram/hook",
                webhook_listen=f"127.0.0.1:{port}",
                webhook_secret=SECRET,
            )
            api.deliver_webhooks = True
        app, site = await prepared(settings_for(tmp_path, api, transport, flows, **telegram))
        finished = Finished()
        stop = asyncio.Event()
        ready = asyncio.Event()
        task = asyncio.create_task(serve(app, stop, on_finished=finished, ready=ready.set))
        started = asyncio.create_task(ready.wait())
        await asyncio.wait({task, started}, timeout=10, return_when=asyncio.FIRST_COMPLETED)
        if task.done():
            task.result()  # raises what went wrong
        assert ready.is_set(), "dutybot did not start within 10 s"
        try:
            yield Bot(api, app, site, finished, transport)
        finally:
            stop.set()
            await asyncio.wait_for(task, 15)
            await app.close()


DONE = re.compile(r"update ([\d,]+) done in")


@asynccontextmanager
async def launched(
    tmp_path: Path,
    transport: str,
    config: str | None = None,
    *,
    webhook: bool = False,
    fork: bool = FORK,
    **variables: str,
) -> AsyncIterator[Bot]:
    """`dutybot run` as a process on a prepared database, configured only by environment:
    DUTYBOT_TELEGRAM__TOKEN, __API_BASE_URL and __TRANSPORT (plus database, media, timings),
    and by a TOML file when ``config`` gives its text (DUTYBOT_CONFIG). ``fork=False``: a
    fresh ``python -m bot.cli run`` rather than a child of the zygote."""
    async with FakeBotAPI(token=TOKEN, bot_username="duty_test_bot") as api:
        extra: dict[str, str] = {}
        if webhook:
            port = free_port()
            extra.update(
                DUTYBOT_TELEGRAM__MODE="webhook",
                DUTYBOT_TELEGRAM__WEBHOOK_URL=f"http://127.0.0.1:{port}/telegram/hook",
                DUTYBOT_TELEGRAM__WEBHOOK_LISTEN=f"127.0.0.1:{port}",
                DUTYBOT_TELEGRAM__WEBHOOK_SECRET=SECRET,
            )
            api.deliver_webhooks = True
        if config is not None:
            path = tmp_path / "dutybot.toml"
            path.write_text(config, encoding="utf-8")
            extra["DUTYBOT_CONFIG"] = str(path)
        env = environment(
            tmp_path,
            DUTYBOT_TELEGRAM__TOKEN=TOKEN,
            DUTYBOT_TELEGRAM__API_BASE_URL=api.url,
            DUTYBOT_TELEGRAM__TRANSPORT=transport,
            DUTYBOT_TELEGRAM__POLLING_TIMEOUT="1",
            DUTYBOT_TELEGRAM__ALBUM_WAIT="0.25",
            **extra,
            **variables,
        )
        app, site = await prepared(settings_for(tmp_path, api, transport))
        finished, log = Finished(), list[str]()
        run = Run(env, transport, finished, log, fork=fork)
        await run.start()
        try:
            yield Bot(api, app, site, finished, transport, env, log, run)
        finally:
            await run.stop()
            await app.close()
        assert run.returncode == 0, "\n".join(log)
        assert not any("Traceback" in line for line in log), "\n".join(log)
        assert not any(TOKEN in line for line in log), "the bot token was logged"


_zygote: Zygote | None = None


def zygote() -> Zygote:
    """This test process's zygote, started on first use."""
    global _zygote
    if _zygote is None:
        _zygote = Zygote()
        atexit.register(_zygote.close)
    return _zygote


class Forked:
    """`dutybot ARGS` forked from the zygote: what the harness uses of a subprocess."""

    def __init__(self, pid: int, stdout: asyncio.StreamReader) -> None:
        self.pid, self.stdout = pid, stdout
        self.returncode: int | None = None

    @classmethod
    async def start(cls, env: dict[str, str], *args: str) -> Forked:
        loop = asyncio.get_running_loop()
        read, write = os.pipe()
        try:
            pid = await zygote().spawn(env, list(args), write)
        finally:
            os.close(write)  # the child has its own copy: the pipe ends when the child does
        stdout = asyncio.StreamReader()
        pipe = os.fdopen(read, "rb", buffering=0)  # the transport closes it
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(stdout), pipe)
        return cls(pid, stdout)

    def send_signal(self, sig: int) -> None:
        if self.returncode is None:
            with contextlib.suppress(ProcessLookupError):  # ended, and reaped already
                os.kill(self.pid, sig)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    async def wait(self) -> int:
        if self.returncode is None:
            self.returncode = await zygote().wait(self.pid)
        return self.returncode


class Run:
    """One `dutybot run` process at a time: started, stopped with SIGTERM, or killed (SIGKILL)
    and started again on the same database. ``fork``: forked from the zygote (see
    tests/e2e/zygote.py) rather than a fresh ``python -m bot.cli run``."""

    def __init__(
        self,
        env: dict[str, str],
        transport: str,
        finished: Finished,
        log: list[str],
        *,
        fork: bool = FORK,
    ):
        self.env, self.transport, self.finished, self.log = env, transport, finished, log
        self.fork = fork
        self.process: asyncio.subprocess.Process | Forked | None = None
        self.reader: asyncio.Task[None] | None = None
        self.returncode: int | None = None

    async def _spawn(self) -> asyncio.subprocess.Process | Forked:
        if self.fork:
            return await Forked.start(self.env, "run")
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "run", env=self.env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip

    async def start(self) -> None:
        process = await self._spawn()
        ready = asyncio.Event()

        async def follow() -> None:
            assert process.stdout is not None
            async for raw in process.stdout:
                line = raw.decode(errors="replace").rstrip()
                self.log.append(line)
                if f"via {self.transport}, " in line:
                    ready.set()
                found = DONE.search(line)
                if found:
                    self.finished(int(i) for i in found.group(1).split(","))

        self.process, self.reader = process, asyncio.create_task(follow())
        started = asyncio.create_task(ready.wait())
        await asyncio.wait({self.reader, started}, timeout=60, return_when=asyncio.FIRST_COMPLETED)
        started.cancel()
        assert ready.is_set(), "dutybot run did not start:\n" + "\n".join(self.log)

    async def kill(self) -> None:
        """SIGKILL: no clean-up at all, as when the machine loses power or the OOM killer acts."""
        assert self.process is not None and self.reader is not None
        self.process.kill()
        await asyncio.wait_for(self.process.wait(), 30)
        await asyncio.wait_for(self.reader, 5)
        self.log.append("--- killed ---")

    async def stop(self) -> None:
        assert self.process is not None and self.reader is not None
        self.process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(self.process.wait(), 30)
        await asyncio.wait_for(self.reader, 5)
        self.returncode = self.process.returncode
