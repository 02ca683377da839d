"""Messages to people other than the one typing: an outbox drained within Telegram's limits."""
