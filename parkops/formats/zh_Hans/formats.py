"""Money in mainland financial documents is grouped by thousands with commas (¥12,200.00);
Django's zh_Hans formats group nothing, so this overrides only the number grouping."""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
