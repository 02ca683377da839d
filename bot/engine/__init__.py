"""The conversation engine. Transport-neutral: no Telegram library is imported here."""
