"""newswire: political event data from your own news corpus, offline."""

__version__ = "0.1.0"
