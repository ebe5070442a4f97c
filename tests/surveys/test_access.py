import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.test import RequestFactory
from django.utils import timezone

from organizations.session_store import SessionStore
from surveys.access import (
    grant_invitation,
    hash_token,
    invitation_for_token,
    new_token,
    response_for,
)
from surveys.models import Invitation, Round
from tests.factories import MembershipFactory, ResponseFactory, RoundFactory

pytestmark = pytest.mark.django_db


def make_request(user=None):
    request = RequestFactory().get("/")
    request.session = SessionStore()
    request.user = user or AnonymousUser()
    return request


def invite(organization, round_):
    token, token_hash = new_token()
    invitation = Invitation.objects.create(
        round=round_,
        organization=organization,
        email="c@x.example",
        token_hash=token_hash,
    )
    return token, invitation


def test_only_the_hash_of_a_token_is_stored(organization):
    token, invitation = invite(organization, RoundFactory())

    assert invitation.token_hash == hash_token(token)
    assert token not in invitation.token_hash


def test_a_token_opens_its_invitation(organization):
    token, invitation = invite(organization, RoundFactory())

    assert invitation_for_token(token) == invitation
    assert invitation_for_token(token + "x") is None


def test_a_revoked_link_opens_nothing(organization):
    token, invitation = invite(organization, RoundFactory())
    invitation.revoked_at = timezone.now()
    invitation.save()

    assert invitation_for_token(token) is None


def test_a_link_expires_when_the_round_closes(organization):
    round_ = RoundFactory()
    token, _ = invite(organization, round_)
    round_.status = Round.Status.CLOSED
    round_.save()

    assert invitation_for_token(token) is None


def test_a_granted_link_opens_its_response_and_no_other(
    organization, other_organization
):
    round_ = RoundFactory()
    _, invitation = invite(organization, round_)
    other_response = ResponseFactory(round=round_, organization=other_organization)
    request = make_request()

    response = grant_invitation(request, invitation)

    assert response_for(request, response.pk) == response
    with pytest.raises(Http404):
        response_for(request, other_response.pk)


def test_a_granted_session_loses_access_when_the_link_is_revoked(organization):
    _, invitation = invite(organization, RoundFactory())
    request = make_request()
    response = grant_invitation(request, invitation)

    invitation.revoked_at = timezone.now()
    invitation.save()

    with pytest.raises(Http404):
        response_for(request, response.pk)


def test_members_reach_their_organizations_response(member, organization):
    response = ResponseFactory(organization=organization)

    assert response_for(make_request(member), response.pk) == response


def test_members_of_another_organization_do_not(outsider, organization):
    response = ResponseFactory(organization=organization)

    with pytest.raises(Http404):
        response_for(make_request(outsider), response.pk)


def test_staff_without_membership_cannot_answer_for_an_organization(staff):
    response = ResponseFactory()

    with pytest.raises(Http404):
        response_for(make_request(staff), response.pk)


def test_an_unknown_response_is_missing(member):
    MembershipFactory(user=member)

    with pytest.raises(Http404):
        response_for(make_request(member), 999999)


def test_a_session_loses_access_once_the_closing_date_passes(organization):
    round_ = RoundFactory()
    _, invitation = invite(organization, round_)
    request = make_request()
    response = grant_invitation(request, invitation)

    round_.closes_at = timezone.now() - timezone.timedelta(minutes=1)
    round_.opens_at = round_.closes_at - timezone.timedelta(days=30)
    round_.save()

    with pytest.raises(Http404):
        response_for(request, response.pk)
