from django.db import migrations

STAGES = [
    (
        "planning-and-governance",
        "Planning and governance",
        "Decide why data is needed, who sets the rules, and who answers for them.",
        "Equitable work with data starts before anything is collected. The "
        "people a project is about should help decide what it asks, and the "
        "rules for using data should be written down where everyone can read "
        "them.",
        [
            "Who decides what data is collected, and who is missing from that table?",
            "Who benefits from the project, and who carries its risks?",
            "Who owns the data, and who can change the rules about it?",
        ],
        ["planning", "governance"],
    ),
    (
        "collection",
        "Collection",
        "Ask only what is needed, in words and languages people use.",
        "How a question is asked shapes who answers it. Forms that are "
        "optional, translated and accessible let more people be counted on "
        "their own terms.",
        [
            "Who is represented in the data, and who is left out?",
            "Do people know why they are asked, and can they say no?",
            "Can people describe themselves in their own words?",
        ],
        ["collection"],
    ),
    (
        "access-and-sharing",
        "Access and sharing",
        "Share what partners need, under agreements everyone understands.",
        "Sharing data between partners can join up services, and it can "
        "expose people. Written agreements, the least access needed and a way "
        "back for the community keep sharing fair.",
        [
            "Who can see the data about a person, and who decided that?",
            "Can people see and correct the data held about them?",
            "Does the community get its own data back?",
        ],
        ["access"],
    ),
    (
        "analysis",
        "Analysis",
        "Look for gaps without blaming the people in them.",
        "Averages hide differences. Breaking results down, and asking "
        "communities what the numbers mean, shows where things work and for "
        "whom.",
        [
            "Who interprets the results, and whose knowledge counts?",
            "Are results broken down so that gaps are visible?",
            "Do explanations look at systems, not only at individuals?",
        ],
        ["analysis"],
    ),
    (
        "reporting-and-dissemination",
        "Reporting and dissemination",
        "Tell results back first, plainly, to the people they describe.",
        "A report is for the people who gave the data as much as for funders. "
        "Plain language, strengths alongside needs, and honesty about limits "
        "make findings useful and fair.",
        [
            "Who hears the results first?",
            "Who benefits from how the story is told?",
            "Does the report say what the data cannot show, and who is missing?",
        ],
        ["reporting"],
    ),
]

TOPICS = [
    ("Agreements", "agreements"),
    ("Community voice", "community-voice"),
    ("Consent", "consent"),
    ("Disaggregation", "disaggregation"),
    ("Language access", "language-access"),
    ("Ownership", "ownership"),
    ("Privacy", "privacy"),
    ("Sharing results", "sharing-results"),
]


def seed(apps, schema_editor):
    Stage = apps.get_model("guide", "Stage")
    Topic = apps.get_model("guide", "Topic")
    for position, (slug, title, summary, intro, questions, codes) in enumerate(
        STAGES, start=1
    ):
        Stage.objects.update_or_create(
            slug=slug,
            defaults={
                "title": title,
                "position": position,
                "summary": summary,
                "introduction": intro,
                "questions": "\n".join(questions),
                "survey_stages": codes,
            },
        )
    for name, slug in TOPICS:
        Topic.objects.update_or_create(slug=slug, defaults={"name": name})


def unseed(apps, schema_editor):
    apps.get_model("guide", "Stage").objects.filter(
        slug__in=[s[0] for s in STAGES], entries__isnull=True
    ).delete()
    apps.get_model("guide", "Topic").objects.filter(
        slug__in=[t[1] for t in TOPICS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("guide", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
