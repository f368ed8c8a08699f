"""The audit trail: who opened which personal record (a hash-chained, append-only
access log) and how each record changed (field history by django-simple-history).

The access gate (`qorgau.access`) and the child search call `log.record`; a
middleware tells it where the request came from. See docs/adr/0004-audit-trail.md.
"""
