from tests.filings.conftest import indicators  # noqa: F401  (a fixture the incentive tests share)
