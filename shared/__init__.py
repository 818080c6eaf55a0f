"""What every package of the portal shares and none owns.

`portal` (the web layer) and the domain packages (`faq`, `tracking`, `feedback`) may import
from here; this package imports nothing of theirs, so a domain package never has to reach
into `portal` for a plain fact such as which languages exist.
"""
