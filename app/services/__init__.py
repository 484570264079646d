"""Writes and domain rules. No request objects here: services flush, the caller commits."""
