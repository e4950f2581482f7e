"""Offline geography: the packaged gazetteer and place-name lookup."""
