"""Emergency drills (演练): plans, reminders and RSVPs, the run and its record, rectification.

- :mod:`bot.drills.models` — the tables;
- :mod:`bot.drills.service` — every statement about them;
- :mod:`bot.drills.schedule` — recurrence and reminder times (pure, time-zone aware);
- :mod:`bot.drills.jobs` — what the scheduler runs (reminders, not started, overdue, fixes);
- :mod:`bot.drills.messages` — the outbox messages about drills, rendered at send time;
- :mod:`bot.drills.ics` and :mod:`bot.drills.pdf` — the calendar and the drill record.
"""
