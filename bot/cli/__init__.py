"""The ``dutybot`` command: run, db, flows, site, staff, console.

One module per command group: ``parser`` builds the arguments, ``db``, ``site``, ``staff``,
``access`` (staff invite / revoke / requests), ``flows``, ``console`` and ``run`` handle them.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import sys
from typing import Any

from bot.cli.common import UsageError
from bot.cli.parser import argparse_speaks, build_parser, check_values, early_config
from bot.config import ConfigError, Settings, load_settings
from bot.flows.loader import PlaybookError
from bot.i18n import Catalogs, Translator

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        settings: Settings | None = load_settings(early_config(argv))
        problem = None
    except ConfigError as exc:
        settings, problem = None, exc
    if settings is None:
        assert problem is not None
        # The language the broken settings name, if they name one usably; else English.
        tr = Catalogs(problem.locales_dir).translator(problem.locale, "UTC")
    else:
        tr = Catalogs(settings.i18n.locales_dir).translator(
            settings.site.locale, settings.site.timezone
        )
    with argparse_speaks(tr):
        args = build_parser(tr).parse_args(argv)
    if problem is not None:
        print(f"dutybot: {problem.explain(tr)}", file=sys.stderr)
        return 2
    assert settings is not None
    wrong = check_values(args, tr)
    if wrong is not None:
        print(f"dutybot: {wrong}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=settings.logging.level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if settings.logging.level != "DEBUG":
        logging.getLogger("alembic").setLevel(logging.WARNING)
        # A line for every tick of every job (every few seconds) says nothing at INFO.
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
    # httpx (python-telegram-bot's HTTP client) logs every request URL, and with it the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    try:
        return asyncio.run(_dispatch(args, settings, tr))
    except KeyboardInterrupt:
        return 130


async def _dispatch(args: Any, settings: Settings, tr: Translator) -> int:
    """Run the handler the parser named for the command (``"module:function"``).

    Exit codes: 0 done, 1 a check failed (the schema is not current, playbooks have errors),
    2 a usage error or a bad value.
    """
    module, _, function = args.handler.partition(":")
    handler = getattr(importlib.import_module(module), function)
    try:
        code: int = await handler(args, settings, tr)
    except UsageError as exc:
        print(f"dutybot: {exc}", file=sys.stderr)  # translated already
        return 2
    except PlaybookError as exc:
        # The problem lines are technical (file:line: error: ...) and stay as they are.
        header = tr._("Playbooks have errors:")
        print(f"dutybot: {header}\n{exc}", file=sys.stderr)
        return 1
    except Exception as exc:
        # Imported here: the database layer loads only for the commands that use it.
        from bot.storage.migrate import SchemaNotCurrent

        if not isinstance(exc, SchemaNotCurrent):
            raise
        from bot.cli.db import schema_problem

        # The exception's own text is English; say the same in the deployment's language.
        message = await schema_problem(settings, tr)
        print(f"dutybot: {message or exc}", file=sys.stderr)
        return 1
    return code
