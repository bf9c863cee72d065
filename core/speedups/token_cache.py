"""Token authentication that remembers for a short while whose a token is.

Every API call carries its token, and looking it up (a join of tokens and users) was the largest
single cost of a short list. The user behind a token is kept in the cache for
``API_TOKEN_CACHE_SECONDS``; deleting the token or saving the user (deactivating them, say) forgets
it at once, and a cache that is down (Redis stopped) simply means a lookup in the database.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token


def _cache_key(key: str) -> str:
    return f"api-token:{key}"


class CachedTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user = cache.get(_cache_key(key))
        if user is None:
            user, token = super().authenticate_credentials(key)
            cache.set(_cache_key(key), user, settings.API_TOKEN_CACHE_SECONDS)
            return user, token
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return user, Token(key=key, user=user)


@receiver(post_delete, sender=Token)
def _forget_token(sender, instance, **kwargs):
    cache.delete(_cache_key(instance.key))


@receiver(post_save, sender=get_user_model())
@receiver(post_delete, sender=get_user_model())
def _forget_users_tokens(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) == {"last_login"}:
        return  # every sign-in saves this alone; it changes nothing a token depends on
    keys = Token.objects.filter(user_id=instance.pk).values_list("key", flat=True)
    cache.delete_many([_cache_key(key) for key in keys])
