"""``python -m newswire``: the same command as ``newswire``."""

from newswire.cli import app

app(prog_name="newswire")
