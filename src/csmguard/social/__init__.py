"""Official social media accounts (CSM-11): the account checks, saved profile pages, and the watch on
each platform's privacy policy (versions, word-level diffs, review items)."""
