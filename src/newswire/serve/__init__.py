"""``newswire serve``: a read-only HTTP API and an analyst's dashboard over the store."""

from newswire.serve.app import create_app

__all__ = ["create_app"]
