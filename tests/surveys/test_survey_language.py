"""The survey in Spanish, and the language switch."""
# ruff: noqa: F811 -- fixtures imported from survey_setup are used as arguments

import pytest
from django.urls import reverse

from tests.factories import NominationFactory
from tests.surveys.survey_setup import (  # noqa: F401
    open_round,
    organization_named,
    response,
    step_url,
)

pytestmark = pytest.mark.django_db


def test_the_survey_renders_in_spanish(member_client, response):
    NominationFactory(
        response=response, partner=organization_named("Eastside Food Bank")
    )

    page = member_client.get(
        step_url(response, "partner-details"), headers={"accept-language": "es"}
    )

    assert '<html lang="es">' in page.text
    assert "Sobre cada socio" in page.text
    assert "Paso 3 de 7" in page.text
    assert "Hablar sobre datos, reunirse." in page.text
    assert "Guardar y continuar" in page.text
    assert "Save and continue" not in page.text


def test_messages_are_translated_too(member_client, response, organization):
    page = member_client.post(
        step_url(response, "partners"),
        {"version": 1, "action": "add", "organization": organization.pk},
        headers={"accept-language": "es"},
    )

    assert "No pueden nombrar a su propia organización." in page.text


def test_the_language_switch_keeps_the_page(member_client, response):
    url = step_url(response, "practices")

    answer = member_client.post(
        reverse("set_language"), {"language": "es", "next": url}
    )
    page = member_client.get(url)

    assert answer.url == url
    assert "Prácticas equitativas de datos" in page.text
    assert "Preguntamos a las personas de quienes son los datos" in page.text
