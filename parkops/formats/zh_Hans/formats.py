"""Money in mainland financial documents is grouped by thousands with commas (¥12,200.00), which
Django's zh_Hans formats do not do; dates are written 2026-12-01, as Chinese finance and property
systems write them (Django's 2026年12月1日 takes half as much room again in every list)."""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3

DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
