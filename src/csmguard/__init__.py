"""CSM Guard: compliance tooling for the securities and futures associations' cloud, social
media and mobile device information security control guideline
(證券期貨市場相關公會雲端運算、社群媒體、行動裝置資訊安全管控指引)."""

from __future__ import annotations

__version__ = "0.1.0"
