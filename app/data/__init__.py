"""Reference data loaded by ``flask init-db``."""
