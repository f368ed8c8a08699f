# Django's Russian formats, with the 24-hour short forms used in Kazakhstan's offices.
from django.conf.locale.ru.formats import *  # noqa: F403

SHORT_DATETIME_FORMAT = "d.m.Y H:i"
