"""Moderation's staff pages, one module per area (the queue, the rules, supervision, API
tokens, statistics), and the citizens' public pages (`public_views`)."""
