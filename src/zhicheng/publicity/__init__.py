"""Publicity (公示): unit publicity 四（二）, pre-evaluation publicity 四（四）, result publicity
五（二）. Periods on the official working-day calendar, objections from the public, written
resolutions by the posting organisation, closed by a periodic task (docs/publicity.md)."""
