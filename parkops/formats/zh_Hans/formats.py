"""Money in mainland financial documents is grouped by thousands with commas (¥12,200.00), which
Django's zh_Hans formats do not do; dates are written 2026-12-01, as Chinese finance and property
systems write them (Django's 2026年12月1日 takes half as much room again in every list)."""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3

DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
# Date boxes show the same 2026-12-01 (the first input format is also the admin calendar's); the
# other ways of writing a date are still read.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y年%n月%j日"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M",
    "%Y年%n月%j日 %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y/%m/%d %H:%M:%S",
    "%Y年%n月%j日 %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y/%m/%d %H:%M:%S.%f",
]
