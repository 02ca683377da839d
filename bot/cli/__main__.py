"""``python -m bot.cli``: the same as the ``dutybot`` command."""

from bot.cli import main

raise SystemExit(main())
