"""`dutybot` processes forked from one that has already imported everything `dutybot run` needs.

A fresh ``python -m bot.cli run`` spends seconds of CPU importing before it polls (aiogram's
types alone build hundreds of pydantic models), and the end-to-end tests start `dutybot run`
some sixty times, the crash test nine times per run. The zygote imports once per test process;
each `dutybot run` is then a forked child that sets the environment it was given and calls
``bot.cli.main(args)`` exactly as ``python -m bot.cli`` does: a separate process with its own
pid, killed with SIGKILL or stopped with SIGTERM like any other, its output on a pipe.

Protocol, over a SOCK_SEQPACKET Unix socket (one message per request or answer):
the test sends ``{"env": {...}, "args": [...]}`` with the write end of a pipe (SCM_RIGHTS); the
zygote answers ``{"pid": n}``; when a child ends it sends ``{"exit": pid, "code": c}`` (a negative
code: the signal that ended it, as asyncio's ``returncode``). The zygote exits when the test
process closes its end; its children are killed then.

Run by the harness as ``python -m tests.e2e.zygote FD``; ``DUTYBOT_TEST_ZYGOTE=0`` makes the
harness exec every `dutybot run` afresh instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import traceback
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]  # where `tests` is a package
MESSAGE = 1 << 20  # the largest message: an environment is a few kB


def _child(connection: socket.socket, pipe: int, request: dict[str, Any]) -> None:
    """In the forked child: become `dutybot ARGS` with the request's environment and working
    folder, output on ``pipe``; never returns."""
    code = 1
    try:
        connection.close()
        env: dict[str, str] = request["env"]
        args: list[str] = request["args"]
        os.chdir(request["cwd"])
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.dup2(pipe, 1)
        os.dup2(pipe, 2)
        os.close(devnull)
        os.close(pipe)
        os.environ.clear()
        os.environ.update(env)
        # What PYTHONUNBUFFERED=1 gives a fresh interpreter: every line out at once.
        sys.stdin = open(0, encoding="utf-8", closefd=False)
        sys.stdout = io.TextIOWrapper(
            open(1, "wb", buffering=0, closefd=False),
            encoding="utf-8",
            errors="backslashreplace",
            write_through=True,
        )
        sys.stderr = io.TextIOWrapper(
            open(2, "wb", buffering=0, closefd=False),
            encoding="utf-8",
            errors="backslashreplace",
            write_through=True,
        )
        sys.argv = ["dutybot", *args]
        from bot.cli import main

        try:
            code = main(args)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:
        traceback.print_exc()
        code = 1
    finally:
        with contextlib.suppress(BaseException):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


def serve(fd: int) -> None:
    # Everything `dutybot run` imports, with either transport (and what a child of it imports
    # on the way: the scheduler, the reports). No thread may run when the zygote forks.
    import bot.cli
    import bot.cli.run
    import bot.transports.aiogram
    import bot.transports.ptb  # noqa: F401

    assert threading.active_count() == 1, threading.enumerate()
    connection = socket.socket(fileno=fd)
    children: set[int] = set()

    def answer(message: dict[str, Any]) -> None:
        connection.send(json.dumps(message).encode())

    try:
        while True:
            ready, _, _ = select.select([connection], [], [], 0.02)
            if ready:
                data, fds, _flags, _addr = socket.recv_fds(connection, MESSAGE, 1)
                if not data:
                    return  # the test process closed its end
                request = json.loads(data)
                (pipe,) = fds
                pid = os.fork()
                if pid == 0:
                    _child(connection, pipe, request)
                os.close(pipe)
                children.add(pid)
                answer({"pid": pid})
            for pid in list(children):
                done, status = os.waitpid(pid, os.WNOHANG)
                if done:
                    children.discard(pid)
                    answer({"exit": pid, "code": os.waitstatus_to_exitcode(status)})
    finally:
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)


class Zygote:
    """The test process's handle on its zygote (started on first use, one per test process)."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.e2e.zygote", str(theirs.fileno())],
            pass_fds=(theirs.fileno(),),
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
        )
        theirs.close()
        ours.setblocking(False)
        self.socket = ours
        self.exits: dict[int, int] = {}

    async def _receive(self) -> dict[str, Any]:
        loop = asyncio.get_running_loop()
        data = await loop.sock_recv(self.socket, MESSAGE)
        if not data:
            raise RuntimeError(f"the zygote ended (exit code {self.process.wait()})")
        message: dict[str, Any] = json.loads(data)
        if "exit" in message:
            self.exits[int(message["exit"])] = int(message["code"])
        return message

    async def spawn(self, env: dict[str, str], args: list[str], pipe: int) -> int:
        """Fork `dutybot ARGS` with ``env`` writing to ``pipe``; its pid."""
        request = json.dumps({"env": env, "args": args, "cwd": os.getcwd()}).encode()
        socket.send_fds(self.socket, [request], [pipe])
        while True:
            message = await self._receive()
            if "pid" in message:
                return int(message["pid"])

    async def wait(self, pid: int) -> int:
        """Until the child ``pid`` has ended; its exit code."""
        while pid not in self.exits:
            await self._receive()
        return self.exits.pop(pid)

    def close(self) -> None:
        self.socket.close()
        self.process.wait(10)


if __name__ == "__main__":
    serve(int(sys.argv[1]))
