"""Updates as they arrive, stored before Telegram is told they were received."""
