"""Keep the cached signed-in users (accounts.selectors) in step with the database."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from accounts.models import User
from accounts.selectors import user_forget
from common.transactions import now_and_after_commit


def _forget_later(*user_ids: Any) -> None:
    now_and_after_commit(lambda: user_forget(*user_ids))


def _user_written(sender: Any, instance: User, **kwargs: Any) -> None:
    _forget_later(instance.pk)


def _groups_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    if not action.startswith("post_") and action != "pre_clear":
        return
    if not reverse:  # user.groups.add(...)
        _forget_later(instance.pk)
    elif action == "pre_clear":  # group.user_set.clear(): the members are known only before
        _forget_later(*instance.user_set.values_list("pk", flat=True))
    elif pk_set:  # group.user_set.add(...)
        _forget_later(*pk_set)


def _group_deleted(sender: Any, instance: Group, **kwargs: Any) -> None:
    _forget_later(*instance.user_set.values_list("pk", flat=True))


def connect() -> None:
    post_save.connect(_user_written, sender=User, dispatch_uid="accounts-user-saved")
    post_delete.connect(_user_written, sender=User, dispatch_uid="accounts-user-deleted")
    m2m_changed.connect(_groups_changed, sender=User.groups.through, dispatch_uid="accounts-groups")
    pre_delete.connect(_group_deleted, sender=Group, dispatch_uid="accounts-group-deleted")
