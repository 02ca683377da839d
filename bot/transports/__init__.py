"""Adapters: translate a transport's events into the engine's and render its answers."""
