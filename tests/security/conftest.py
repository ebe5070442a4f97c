"""The survey tests' open round and response, for the hostile-input tests."""

from tests.surveys.survey_setup import open_round, response  # noqa: F401
