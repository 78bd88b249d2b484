"""One package per scanner (app, iac, endpoint, site, fleet, messages, policydoc): each reads its
inputs into facts (``collect*.py``, the only I/O), and evaluates rules on the facts (``checks.py``, pure)."""
