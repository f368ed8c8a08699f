"""The demo survey: a small synthetic MICS6 dataset, imported once."""

import tempfile
import time

from django.core.management.base import BaseCommand

from qorgau.mics import generate_synthetic
from qorgau.surveys.models import Survey
from qorgau.surveys.services import survey_import

DEMO_SURVEY = "mics-2024-synthetic"
DEMO_HOUSEHOLDS = 3000
DEMO_SEED = 2024


def ensure_demo_survey(command: BaseCommand) -> None:
    """Generate and import the demo survey unless it is there (idempotent)."""
    if Survey.objects.filter(name=DEMO_SURVEY).exists():
        command.stdout.write(f"The demo survey {DEMO_SURVEY!r} is already imported.")
        return
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="qorgau-mics-") as folder:
        generate_synthetic(folder, DEMO_HOUSEHOLDS, seed=DEMO_SEED)
        result = survey_import(
            actor=None,
            path=folder,
            name=DEMO_SURVEY,
            title="MICS 2024 (synthetic demo data)",
        )
    command.stdout.write(
        command.style.SUCCESS(
            f"Imported the synthetic MICS6 survey {DEMO_SURVEY!r} ({DEMO_HOUSEHOLDS} households, "
            f"seed {DEMO_SEED}) in {time.monotonic() - started:.1f} s: "
            f"{result.survey.estimates.count()} estimates."
        )
    )
