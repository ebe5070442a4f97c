"""Write the invented demo region to the database, or clear it away."""

import logging

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, make_password
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from network.models import NetworkSnapshot
from organizations.models import (
    Membership,
    Organization,
    Sector,
    Service,
    User,
    normalize_name,
)
from surveys.demo import DEMO_PASSWORD, STAFF_EMAIL
from surveys.demo.invitations import write_demo_invitations
from surveys.models import (
    Aspiration,
    Nomination,
    Practice,
    Response,
    RosterEntry,
    Round,
)

logger = logging.getLogger(__name__)


def write_demo_network(network):
    """Store the demo network; return how many of each thing were written."""
    sectors = _by_name(Sector, {o.sector for o in network.organizations})
    services = _by_name(Service, {s for o in network.organizations for s in o.services})
    password = make_password(DEMO_PASSWORD)

    organizations = Organization.objects.bulk_create(
        [_organization(o, sectors) for o in network.organizations]
    )
    Organization.services.through.objects.bulk_create(
        Organization.services.through(
            organization_id=organizations[i].pk, service_id=services[name].pk
        )
        for i, demo in enumerate(network.organizations)
        for name in demo.services
    )
    contacts = _create_contacts(network, organizations, password)
    _create_staff(password)

    counts = dict.fromkeys(
        ["responses", "nominations", "write_ins", "practices", "invitations"], 0
    )
    for demo_round in network.rounds:
        round_ = Round.objects.create(
            name=demo_round.name,
            slug=demo_round.name,
            status=demo_round.status,
            opens_at=demo_round.opens_at,
            closes_at=demo_round.closes_at,
        )
        RosterEntry.objects.bulk_create(
            RosterEntry(round=round_, organization=organizations[i])
            for i in demo_round.roster
        )
        for name, count in _write_responses(
            round_, demo_round, organizations, services, contacts
        ).items():
            counts[name] += count
        counts["invitations"] += write_demo_invitations(round_, contacts)
    counts.update(organizations=len(organizations), rounds=len(network.rounds))
    return counts


def _by_name(model, names):
    found = {o.name: o for o in model.objects.filter(name__in=names)}
    missing = sorted(names - found.keys())
    if missing:
        raise CommandError(
            _("These %(kind)s are missing: %(names)s. Run `manage.py migrate` first.")
            % {
                "kind": model._meta.verbose_name_plural,
                "names": ", ".join(missing),
            }
        )
    return found


def _organization(demo, sectors):
    return Organization(
        name=demo.name,
        name_key=normalize_name(demo.name),
        short_name=demo.short_name,
        aliases=demo.aliases,
        sector=sectors[demo.sector],
        description=demo.description,
        website=demo.website,
        address=demo.address,
        zip_code=demo.zip_code,
        latitude=demo.latitude,
        longitude=demo.longitude,
        service_area=demo.service_area,
        size_band=demo.size_band,
    )


def _create_contacts(network, organizations, password):
    """Give most organizations a contact; only the demo logins can sign in."""
    wanted = {
        demo.contact_email: i
        for i, demo in enumerate(network.organizations)
        if demo.contact_email
    }
    logins = {network.organizations[i].contact_email for i in network.logins}
    existing = {u.email: u for u in User.objects.filter(email__in=wanted)}
    User.objects.bulk_create(
        User(
            email=email,
            first_name=_("Contact"),
            password=password if email in logins else make_password(None),
        )
        for email in wanted.keys() - existing.keys()
    )
    users = {u.email: u for u in User.objects.filter(email__in=wanted)}
    Membership.objects.bulk_create(
        Membership(
            user=users[email],
            organization=organizations[i],
            role=Membership.Role.CONTACT,
        )
        for email, i in wanted.items()
    )
    return {organizations[i].pk: users[email] for email, i in wanted.items()}


def _create_staff(password):
    User.objects.get_or_create(
        email=STAFF_EMAIL,
        defaults={
            "password": password,
            "is_staff": True,
            "is_superuser": True,
            "first_name": _("Demo staff"),
        },
    )


def _write_responses(round_, demo_round, organizations, services, contacts):
    responses = Response.objects.bulk_create(
        Response(
            round=round_,
            organization=organizations[demo.organization],
            status=demo.status,
            submitted_at=demo.submitted_at,
            submitted_by=contacts.get(organizations[demo.organization].pk)
            if demo.submitted_at
            else None,
            visibility=demo.visibility,
            consent_to_participate=demo.consent_to_participate,
            consent_to_contact=demo.consent_to_contact,
        )
        for demo in demo_round.responses
    )
    pairs = [
        (response, n)
        for response, demo in zip(responses, demo_round.responses, strict=True)
        for n in demo.nominations
    ]
    nominations = Nomination.objects.bulk_create(
        _nomination(response, demo, organizations) for response, demo in pairs
    )
    Nomination.services.through.objects.bulk_create(
        Nomination.services.through(
            nomination_id=nomination.pk, service_id=services[name].pk
        )
        for nomination, (_response, demo) in zip(nominations, pairs, strict=True)
        for name in demo.services
    )
    practices = Practice.objects.bulk_create(
        Practice(response=response, stage=stage, text=text, consent=consent)
        for response, demo in zip(responses, demo_round.responses, strict=True)
        for stage, text, consent in demo.practices
    )
    # bulk_create skips Aspiration.save(), so copy the respondent here.
    Aspiration.objects.bulk_create(
        Aspiration(
            response=response,
            respondent_id=response.organization_id,
            organization=organizations[i],
        )
        for response, demo in zip(responses, demo_round.responses, strict=True)
        for i in demo.aspirations
    )
    return {
        "responses": len(responses),
        "nominations": len(nominations),
        "write_ins": sum(1 for n in nominations if n.partner_id is None),
        "practices": len(practices),
    }


def _nomination(response, demo, organizations):
    # bulk_create skips Nomination.save(), so do what it would have done.
    partner = organizations[demo.partner] if demo.partner is not None else None
    return Nomination(
        response=response,
        respondent_id=response.organization_id,
        partner=partner,
        write_in_name=demo.write_in_name,
        write_in_key=normalize_name(demo.write_in_name),
        collaboration_level=demo.collaboration_level,
        sends_referrals=demo.sends_referrals,
        receives_referrals=demo.receives_referrals,
        data_sharing=demo.data_sharing,
        data_agreement=demo.data_agreement,
        frequency=demo.frequency,
        trust=demo.trust,
        value=demo.value,
        wants_to_deepen=demo.wants_to_deepen,
    )


def clear_demo():
    """Delete organizations, rounds with their answers, and demo contacts."""
    contacts = User.objects.filter(
        email__startswith="contact@", email__endswith=".example", is_superuser=False
    )
    NetworkSnapshot.objects.all().delete()
    rounds, _deleted = Round.objects.all().delete()
    organizations, _deleted = Organization.objects.all().delete()
    users, _deleted = contacts.delete()
    logger.info(
        "cleared demo data: %d rows with rounds, %d with organizations, %d users",
        rounds,
        organizations,
        users,
    )


def demo_logins():
    """Return (e-mail, what the account shows) for each demo sign-in."""
    accounts = User.objects.filter(
        email__startswith="contact@", email__endswith=".example"
    ).exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX)
    logins = [
        (u.email, _("staff, sees everything"))
        for u in User.objects.filter(email=STAFF_EMAIL)
    ]
    memberships = (
        Membership.objects.filter(user__in=accounts)
        .select_related("user", "organization")
        .order_by("user__email")
    )
    open_responses = {
        r.organization_id: r
        for r in Response.objects.filter(
            round__status=Round.Status.OPEN,
            organization__in=[m.organization_id for m in memberships],
        )
    }
    for membership in memberships:
        response = open_responses.get(membership.organization_id)
        if response is None:
            state = _("no answers yet")
        elif response.status == Response.Status.DRAFT:
            state = _("draft in progress")
        else:
            state = response.get_visibility_display()
        logins.append(
            (membership.user.email, f"{membership.organization.name} — {state}")
        )
    return logins
