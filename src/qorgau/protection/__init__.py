"""Protection of personal data at rest: encrypted fields, the IIN's keyed hash, key
rotation, and logs and error reports without personal data (docs/adr/0005)."""
