"""X (API v2): the account's own posts, its mentions and the replies to it; hiding replies in
its conversations, deleting its own posts and replying. See doc.md."""
