"""End a person's sessions when an administrator deactivates the account.

Django already treats a deactivated user's session as signed out at the next
request (ModelBackend refuses inactive users); deleting the sessions as well
means nothing signed in lingers in the session store either.
"""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from organizations.models import Session, User


def end_sessions(user):
    """Delete every session signed in as the user; return how many."""
    ended, _ = Session.objects.filter(user_id=user.pk).delete()
    return ended


@receiver(pre_save, sender=User)
def note_deactivation(sender, instance, raw=False, **kwargs):
    """Remember whether this save turns an active account inactive."""
    instance._deactivated = False
    if raw or instance.pk is None or instance.is_active:
        return
    was_active = (
        User.objects.filter(pk=instance.pk).values_list("is_active", flat=True).first()
    )
    instance._deactivated = bool(was_active)


@receiver(post_save, sender=User)
def end_sessions_of_deactivated(sender, instance, raw=False, **kwargs):
    if getattr(instance, "_deactivated", False):
        end_sessions(instance)
        instance._deactivated = False
