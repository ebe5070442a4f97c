"""Sessions kept in the database, each marked with the user signed in.

Django's own database sessions hold the user only inside the signed session
data, so finding one person's sessions (to end them when the account is
deactivated) meant decoding every session there is. This store writes the
user beside the data; settings.SESSION_ENGINE names this module.
"""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseStore


class SessionStore(DatabaseStore):
    @classmethod
    def get_model_class(cls):
        from organizations.models import Session

        return Session

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        session.user_id = signed_in_user(data)
        return session


def signed_in_user(data):
    """Return the id of the user a session's data is signed in as, or None."""
    try:
        return int(data.get(SESSION_KEY))
    except (TypeError, ValueError):
        return None
