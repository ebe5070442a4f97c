import re

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def normalize_name(name):
    """Return the key two organization names share when they are the same."""
    return re.sub(r"\s+", " ", name or "").strip().casefold()


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email):
        """Find the user whose e-mail matches, whatever its letter case."""
        return self.get(email__iexact=email.strip())


class User(AbstractUser):
    """A person; signs in with an e-mail address."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        ordering = ["email"]

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


class Session(AbstractBaseSession):
    """A browser's session, marked with the user it is signed in as, if any,
    so that one person's sessions are found without decoding every session."""

    user_id = models.BigIntegerField(null=True, db_index=True, editable=False)

    @classmethod
    def get_session_store_class(cls):
        from organizations.session_store import SessionStore

        return SessionStore


class Taxonomy(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Sector(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")


class Service(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = _("service")
        verbose_name_plural = _("services")


class SizeBand(models.TextChoices):
    VOLUNTEER = "volunteer", _("Volunteer-run")
    SMALL = "small", _("1–10 staff")
    MEDIUM = "medium", _("11–50 staff")
    LARGE = "large", _("51–250 staff")
    VERY_LARGE = "very_large", _("More than 250 staff")


class Organization(models.Model):
    name = models.CharField(_("name"), max_length=200)
    name_key = models.CharField(max_length=200, unique=True, editable=False)
    short_name = models.CharField(_("short name or acronym"), max_length=40, blank=True)
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    sector = models.ForeignKey(
        Sector,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
        verbose_name=_("sector"),
    )
    services = models.ManyToManyField(
        Service, blank=True, related_name="organizations", verbose_name=_("services")
    )
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    zip_code = models.CharField(_("ZIP code"), max_length=10, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    service_area = models.CharField(_("service area"), max_length=200, blank=True)
    size_band = models.CharField(
        _("size"), max_length=20, choices=SizeBand.choices, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(name_key=""), name="organization_name_not_blank"
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90),
                name="organization_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True)
                | Q(longitude__gte=-180, longitude__lte=180),
                name="organization_longitude_range",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = re.sub(r"\s+", " ", self.name).strip()
        self.name_key = normalize_name(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("admin:organizations_organization_change", args=[self.pk])

    def add_alias(self, alias):
        """Record another name this organization is known by."""
        alias = re.sub(r"\s+", " ", alias).strip()
        known = {normalize_name(a) for a in self.aliases} | {self.name_key}
        if alias and normalize_name(alias) not in known:
            self.aliases = [*self.aliases, alias]

    def known_names(self):
        """Return the name, short name and aliases, for matching."""
        return [n for n in [self.name, self.short_name, *self.aliases] if n]


class Membership(models.Model):
    class Role(models.TextChoices):
        CONTACT = "contact", _("Contact")
        MEMBER = "member", _("Member")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        _("role"), max_length=10, choices=Role.choices, default=Role.MEMBER
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"], name="membership_unique"
            ),
            models.CheckConstraint(
                condition=Q(role__in=["contact", "member"]),
                name="membership_role_valid",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.organization} ({self.get_role_display()})"
