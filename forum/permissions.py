"""Who may see and do what in the forum: the one place that decides, built on the viewer.

The viewer (``serving.viewer``) says who is asking and whether they are approved; this module
adds the forum's own facts (memberships, the moderation permission) and nothing else reads
them. Private groups, their topics and posts do not exist for anyone who is not a member:
every read path starts from ``visible_groups`` / ``visible_topics`` / ``visible_posts`` and
answers 404 otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from serving.version import memo
from serving.viewer import Viewer

from .models import ForumGroup, Membership, Post, Role, Topic, Visibility

MODERATE_PERMISSION = "forum.moderate_forum"
REFERRALS_PERMISSION = "forum.manage_referrals"


def viewer_for_user(user) -> Viewer:
    """The viewer a person would have in a request of their own (no session: no passwords
    given): for deciding, at sending time, what an e-mail or notification may tell them."""
    return Viewer(SimpleNamespace(user=user, session=None))


def may_use_forum(viewer: Viewer) -> bool:
    """Approved, active members and superusers. Everyone else reads nothing of the forum."""
    return viewer.is_approved or viewer.is_superuser


def _groups_granted(codename: str) -> frozenset[int]:
    from django.contrib.auth.models import Group

    rows = Group.permissions.through.objects.filter(
        permission__codename=codename, permission__content_type__app_label="forum"
    ).values_list("group_id", flat=True)
    return frozenset(rows)


def _granted_groups(viewer: Viewer, permission: str) -> frozenset[int]:
    """The groups granted a forum permission: the same for everyone, kept under the content
    version (a change of a group's permissions retires it, see serving)."""
    codename = permission.split(".", 1)[1]
    return memo.get_or_set(
        f"forum:groups-granted:{codename}:{viewer.content_version}",
        lambda: _groups_granted(codename),
        60 * 60,
    )


def _has_forum_permission(viewer: Viewer, permission: str) -> bool:
    if viewer.is_superuser:
        return True
    if not may_use_forum(viewer):
        return False
    if not viewer.group_ids.isdisjoint(_granted_groups(viewer, permission)):
        return True
    return viewer.has_direct_permissions and viewer.user.has_perm(permission)


def is_site_moderator(viewer: Viewer) -> bool:
    """People in the Moderators role (granted ``forum.moderate_forum``) and superusers; for
    people with permissions granted directly, Django's own check."""
    return _has_forum_permission(viewer, MODERATE_PERMISSION)


def is_supplier_staff(viewer: Viewer) -> bool:
    """People in the Supplier staff role (granted ``forum.manage_referrals``) and superusers:
    they see the referrals queue and move referrals through their statuses."""
    return _has_forum_permission(viewer, REFERRALS_PERMISSION)


def _membership(viewer: Viewer, group_ref) -> QuerySet:
    return Membership.objects.filter(group=group_ref, user_id=viewer.user.pk)


def visible_groups(viewer: Viewer) -> QuerySet:
    """The groups this viewer may know exist, each with ``my_role`` (None: not a member)."""
    groups = ForumGroup.objects.all()
    if not may_use_forum(viewer):
        return groups.none()
    groups = groups.annotate(my_role=Subquery(_membership(viewer, OuterRef("pk")).values("role")[:1]))
    if viewer.is_superuser:
        return groups
    return groups.filter(Q(visibility=Visibility.OPEN) | Q(Exists(_membership(viewer, OuterRef("pk")))))


def may_see_group_id(viewer: Viewer, group_id: int) -> bool:
    """``visible_groups``' rule from kept facts, for the live-update request (no query when
    warm): superusers; open groups; private groups for their members (``forum.kept``)."""
    if not may_use_forum(viewer):
        return False
    return may_see_group_of(viewer.user.pk, viewer.is_superuser, group_id)


def may_see_group_of(user_id, is_superuser: bool, group_id: int) -> bool:
    """The same for a person who may use the forum, known by id (``forum.middleware``)."""
    from serving.version import current_version

    from .kept import memberships, private_groups

    if is_superuser or group_id not in private_groups(current_version()):
        return True
    return group_id in memberships(user_id)


def visible_topics(viewer: Viewer, *, include_hidden: bool = False) -> QuerySet:
    topics = Topic.objects.filter(group__in=visible_groups(viewer).values("pk"))
    return topics if include_hidden else topics.filter(is_hidden=False)


def visible_posts(viewer: Viewer) -> QuerySet:
    return Post.objects.filter(topic__in=visible_topics(viewer).values("pk"))


@dataclass(frozen=True)
class GroupAccess:
    """What one viewer may do in one group (a group they may see)."""

    viewer: Viewer
    group: ForumGroup
    role: str | None

    @property
    def is_member(self) -> bool:
        return self.role is not None

    @property
    def leads(self) -> bool:
        """Chairs and the group's moderators (and the forum's moderators)."""
        return self.role in (Role.CHAIR, Role.MODERATOR) or self.is_site_moderator

    @property
    def is_site_moderator(self) -> bool:
        return is_site_moderator(self.viewer)

    @property
    def may_post(self) -> bool:
        """Members post; leaving a group ends it."""
        return self.is_member

    @property
    def may_join(self) -> bool:
        return not self.is_member

    @property
    def joins_by_request(self) -> bool:
        return self.group.join_by_request or self.group.is_private

    def may_reply(self, topic: Topic) -> bool:
        return self.may_post and not topic.is_locked

    def may_edit(self, post: Post) -> bool:
        return self.may_post and post.author_id == self.viewer.user.pk and not post.is_hidden

    def may_accept(self, topic: Topic) -> bool:
        return topic.kind == "question" and (
            (self.is_member and topic.author_id == self.viewer.user.pk) or self.leads
        )

    def may_refer(self, topic: Topic) -> bool:
        """Chairs and moderators refer troubleshooting topics to the supplier."""
        return topic.kind == "troubleshooting" and self.leads

    def may_see_topic(self, topic: Topic) -> bool:
        return not topic.is_hidden or self.leads


def group_access(viewer: Viewer, group: ForumGroup) -> GroupAccess:
    """For a group loaded through ``visible_groups`` (which annotates ``my_role``)."""
    return GroupAccess(viewer=viewer, group=group, role=getattr(group, "my_role", None))


def kept_access(viewer: Viewer, group: ForumGroup) -> GroupAccess | None:
    """``visible_groups``' rule and the viewer's role from kept facts (no query when warm):
    superusers see every group, others open groups and the private groups they belong to
    (``kept.memberships``, forgotten as soon as one of theirs changes). None: the group does not
    exist for them. ``group`` is the request's own copy (``kept.kept_group``)."""
    from .kept import memberships

    if not may_use_forum(viewer):
        return None
    role = memberships(viewer.user.pk).get(group.pk)
    if not (viewer.is_superuser or group.visibility == Visibility.OPEN or role is not None):
        return None
    group.my_role = role
    return group_access(viewer, group)


def may_read_group(viewer: Viewer, group: ForumGroup) -> bool:
    """Whether the person may read the group now (for notifications and e-mails, sent later)."""
    return visible_groups(viewer).filter(pk=group.pk).exists()
