from django.db import migrations
from django.utils.text import slugify

# The first five of each come from the referral-network legend of the
# workshop that started EDN; the rest cover the region's other members.
SECTORS = [
    "Health",
    "Business",
    "Education",
    "Government & Public Safety",
    "Social & Community Service",
    "Philanthropy",
    "Faith-based",
    "Research & Higher Education",
    "Community & Resident Group",
]
SERVICES = [
    "Health service",
    "Case management",
    "Housing and shelter",
    "Substance use recovery and treatment",
    "Social service",
    "Food",
    "Employment & workforce",
    "Youth & family",
    "Legal aid",
    "Data & research",
]


def seed(apps, schema_editor):
    for model_name, names in (("Sector", SECTORS), ("Service", SERVICES)):
        model = apps.get_model("organizations", model_name)
        for order, name in enumerate(names):
            model.objects.get_or_create(
                slug=slugify(name), defaults={"name": name, "order": order}
            )


class Migration(migrations.Migration):
    dependencies = [("organizations", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
