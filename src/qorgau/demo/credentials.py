"""DEMO CREDENTIAL: the one password of every synthetic demo user.

It is public on purpose (printed by `qorgau demo`, written in the README): a database
seeded with the demo must never hold real data or be reachable from outside.
"""

DEMO_PASSWORD = "Qorgau-demo-2026"  # noqa: S105 - a published demo credential, not a secret
