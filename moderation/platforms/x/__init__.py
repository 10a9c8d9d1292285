"""X (API v2): the account's own posts, its mentions, the replies to it and the rest of the
conversations it started; hiding replies in its conversations, deleting its own posts and
replying. See doc.md."""
