"""DEMO CREDENTIAL: the one password of every synthetic demo user.

It is public on purpose (printed by `qorgau demo`, written in the README): a database
seeded with the demo must never hold real data or be reachable from outside.
"""

DEMO_PASSWORD = "Qorgau-demo-2026"  # noqa: S105 - a published demo credential, not a secret

# DEMO CREDENTIAL: the shared authenticator key of the demo users' second factor
# (hex, as django-otp stores it). `qorgau demo_code USERNAME` prints the current code.
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"
DEMO_DEVICE_NAME = "demo authenticator"
