"""The forum: groups, memberships, topics and posts, written by members at volume.

Plain Django models with front-end views (``forum.views``); moderators work in the Wagtail
admin (``forum.wagtail_hooks``). Who may see and do what is decided in ``forum.permissions``
alone, on top of the request's viewer.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modelsearch import index
from modelsearch.queryset import SearchableQuerySetMixin

USER = settings.AUTH_USER_MODEL


class SearchableQuerySet(SearchableQuerySetMixin, models.QuerySet):
    """``.search()`` and ``.autocomplete()`` for topics and posts (the site search)."""


class GroupKind(models.TextChoices):
    NATIONAL = "national", _("National best-practice group")
    WORKING = "working", _("Working group")
    STEERING = "steering", _("Steering group")
    LOCAL = "local", _("Local users' group")


class Visibility(models.TextChoices):
    OPEN = "open", _("Open to all members")
    PRIVATE = "private", _("Private to its members")


class ForumGroup(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=GroupKind.choices)
    description = models.TextField(_("description"), blank=True)
    scheme = models.ForeignKey(
        "schemes.SchemePage",
        verbose_name=_("scheme"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="forum_groups",
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.OPEN
    )
    join_by_request = models.BooleanField(
        _("joining needs a chair's or moderator's approval"),
        default=False,
        help_text=_("Private groups always do: only their members know they exist."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("forum group")
        verbose_name_plural = _("forum groups")
        permissions = [("moderate_forum", _("Can moderate the forum"))]

    def __str__(self):
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("forum:group", args=[self.slug])

    @property
    def is_private(self) -> bool:
        return self.visibility == Visibility.PRIVATE


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    MODERATOR = "moderator", _("Moderator")
    CHAIR = "chair", _("Chair")


class Membership(models.Model):
    group = models.ForeignKey(ForumGroup, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="forum_memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="forum_one_membership")]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.user} – {self.group} ({self.get_role_display()})"

    @property
    def leads(self) -> bool:
        """Chairs and group moderators decide join requests."""
        return self.role in (Role.CHAIR, Role.MODERATOR)


class JoinRequestStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting a decision")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class JoinRequest(models.Model):
    group = models.ForeignKey(ForumGroup, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="forum_join_requests")
    status = models.CharField(
        max_length=10, choices=JoinRequestStatus.choices, default=JoinRequestStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user"],
                condition=Q(status="pending"),
                name="forum_one_pending_join_request",
            )
        ]


class TopicKind(models.TextChoices):
    QUESTION = "question", _("Question")
    IDEA = "idea", _("Idea")
    SUCCESS = "success", _("Success story")
    TROUBLESHOOTING = "troubleshooting", _("Troubleshooting")
    ANNOUNCEMENT = "announcement", _("Announcement")
    # Opened by the site when a governance document goes into consultation (forum.consultation).
    CONSULTATION = "consultation", _("Consultation")


class Topic(index.Indexed, models.Model):
    group = models.ForeignKey(ForumGroup, on_delete=models.CASCADE, related_name="topics")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=TopicKind.choices, default=TopicKind.QUESTION)
    workstreams = models.ManyToManyField(
        "schemes.Workstream", verbose_name=_("workstreams"), blank=True, related_name="forum_topics"
    )
    author = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="forum_topics")
    is_locked = models.BooleanField(_("locked"), default=False)
    is_pinned = models.BooleanField(_("pinned"), default=False)
    is_hidden = models.BooleanField(_("hidden"), default=False)
    accepted_post = models.ForeignKey(
        "Post",
        verbose_name=_("accepted answer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Kept in step by forum.services: the pages never count or scan the posts.
    post_count = models.PositiveIntegerField(default=0)
    last_posted_at = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The one-time token of the form that created it: sending the form again creates nothing.
    form_token = models.CharField(max_length=64, blank=True, default="")
    # The solution page a national editor turned this resolved question into (``forum.solutions``);
    # a Wagtail page, so the forum names no knowledge model.
    solution_page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    # Suggestions as people type in the site search (``forum.search_source``); a topic's words
    # are searched through its opening post. Visible topics only (hiding one drops it).
    search_fields = [
        index.AutocompleteField("title"),
        index.FilterField("is_hidden"),
    ]

    objects = SearchableQuerySet.as_manager()

    class Meta:
        ordering = ["-is_pinned", "-last_posted_at", "-pk"]
        indexes = [
            models.Index(fields=["group", "-is_pinned", "-last_posted_at", "-id"], name="forum_topic_listing")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "form_token"], condition=~Q(form_token=""), name="forum_topic_form_once"
            )
        ]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forum:topic", args=[self.pk])

    @classmethod
    def get_indexed_objects(cls):
        return cls.objects.filter(is_hidden=False)


class Post(index.Indexed, models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="posts")
    # Its place in the topic, 1, 2, 3...: pages are ranges of it (no OFFSET, no count).
    number = models.PositiveIntegerField()
    author = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="forum_posts")
    body = models.TextField(_("message"))  # Markdown, as written
    body_html = models.TextField(editable=False)  # rendered and sanitised once, at save
    is_hidden = models.BooleanField(_("hidden"), default=False)
    helpful_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    form_token = models.CharField(max_length=64, blank=True, default="")
    # In a consultation thread: the numbered clause commented on (None: the whole document).
    clause = models.PositiveIntegerField(_("clause"), null=True, blank=True)
    # Written by the site (a consultation opening or closing), not by a member.
    is_notice = models.BooleanField(default=False)

    # In the site search (``forum.search_source``): members' posts, not hidden ones nor the
    # site's notices, and every topic's opening post, which carries the topic's title and
    # workstreams (one index answers for a topic and its posts).
    search_fields = [
        index.SearchField("body"),
        index.SearchField("opening_title", boost=2),
        index.SearchField("opening_names"),
        index.FilterField("is_hidden"),
    ]

    objects = SearchableQuerySet.as_manager()

    class Meta:
        ordering = ["topic", "number"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "number"], name="forum_post_number"),
            models.UniqueConstraint(
                fields=["author", "form_token"], condition=~Q(form_token=""), name="forum_post_form_once"
            ),
        ]
        indexes = [models.Index(fields=["author", "created_at"], name="forum_post_author_recent")]
        verbose_name = _("post")
        verbose_name_plural = _("posts")

    def __str__(self):
        return f"{self.topic} #{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("forum:post", args=[self.pk])

    @classmethod
    def get_indexed_objects(cls):
        return cls.objects.filter(Q(is_notice=False) | Q(number=1), is_hidden=False).select_related("topic")

    def opening_title(self) -> str:
        """Index text: the topic's title, on its opening post only."""
        return self.topic.title if self.number == 1 else ""

    def opening_names(self) -> str:
        """Index text: the topic's workstreams, on its opening post only."""
        return " ".join(w.name for w in self.topic.workstreams.all()) if self.number == 1 else ""


class PostRevision(models.Model):
    """What a post said before an edit: the history shown under it."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    body_html = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    editor = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]


class Reaction(models.Model):
    """A "helpful" mark: one per member and post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="forum_helpful_once")]


class TopicReadState(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    last_read_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "user"], name="forum_read_state_once")]


class FlagStatus(models.TextChoices):
    OPEN = "open", _("Awaiting review")
    HANDLED = "handled", _("Handled")


class Flag(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="flags")
    reporter = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=500)
    status = models.CharField(max_length=10, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"], condition=Q(status="open"), name="forum_one_open_flag"
            )
        ]
        verbose_name = _("flag")
        verbose_name_plural = _("flags")

    def __str__(self):
        return f"{self.post}: {self.reason[:60]}"


class ModerationKind(models.TextChoices):
    HIDE_POST = "hide_post", _("Post hidden")
    RESTORE_POST = "restore_post", _("Post restored")
    LOCK = "lock", _("Topic locked")
    UNLOCK = "unlock", _("Topic unlocked")
    PIN = "pin", _("Topic pinned")
    UNPIN = "unpin", _("Topic unpinned")
    DISMISS_FLAGS = "dismiss_flags", _("Flags dismissed")
    MOVE = "move", _("Topic moved")


class ModerationAction(models.Model):
    """Every moderation action, kept; the author it concerns sees it on the post."""

    kind = models.CharField(max_length=20, choices=ModerationKind.choices)
    moderator = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="moderation_actions")
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, null=True, blank=True, related_name="moderation_actions"
    )
    concerns = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("moderation action")
        verbose_name_plural = _("moderation actions")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.topic}"


class Subscription(models.Model):
    """Watching a topic or a group (replies there notify the watcher) or a workstream (new
    topics tagged with it do, in groups the watcher may read)."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="forum_subscriptions")
    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, null=True, blank=True, related_name="subscriptions"
    )
    group = models.ForeignKey(
        ForumGroup, on_delete=models.CASCADE, null=True, blank=True, related_name="subscriptions"
    )
    workstream = models.ForeignKey(
        "schemes.Workstream", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(topic__isnull=False, group__isnull=True, workstream__isnull=True)
                | Q(topic__isnull=True, group__isnull=False, workstream__isnull=True)
                | Q(topic__isnull=True, group__isnull=True, workstream__isnull=False),
                name="forum_subscription_one_target",
            ),
            models.UniqueConstraint(fields=["user", "topic"], name="forum_watch_topic_once"),
            models.UniqueConstraint(fields=["user", "group"], name="forum_watch_group_once"),
            models.UniqueConstraint(fields=["user", "workstream"], name="forum_watch_workstream_once"),
        ]


class NotificationKind(models.TextChoices):
    MENTION = "mention", _("mentioned you")
    REPLY = "reply", _("replied")
    MODERATION = "moderation", _("moderation")
    REFERRAL = "referral", _("referral status")
    NEW_TOPIC = "new_topic", _("started a topic on a workstream you watch")


class Notification(models.Model):
    recipient = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="forum_notifications")
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    actor = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # Included in a summary e-mail (``forum.digests``): never twice.
    digested_at = models.DateTimeField(null=True, blank=True)
    referral_event = models.ForeignKey(
        "ReferralEvent", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "-created_at"], name="forum_notification_inbox")]


class Consultation(models.Model):
    """A governance document's consultation thread: a topic in the national best-practice
    group, opened when the version goes into consultation and locked when it leaves it
    (``forum.consultation``). Comments are the topic's posts, each on the whole document or a
    numbered clause of its extracted text (``documents.comparison.clauses``)."""

    document = models.OneToOneField(
        "documents.GovernanceDocument", on_delete=models.CASCADE, related_name="forum_consultation"
    )
    topic = models.OneToOneField(Topic, on_delete=models.CASCADE, related_name="consultation")
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")

    def __str__(self):
        return str(self.topic)

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class ReferralStatus(models.TextChoices):
    REFERRED = "referred", _("Referred")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_DEVELOPMENT = "in_development", _("In development")
    RELEASED = "released", _("Released")
    DECLINED = "declined", _("Declined")


# What supplier staff may move a referral to from each status; released and declined are final.
REFERRAL_TRANSITIONS = {
    ReferralStatus.REFERRED: (ReferralStatus.ACKNOWLEDGED, ReferralStatus.DECLINED),
    ReferralStatus.ACKNOWLEDGED: (ReferralStatus.IN_DEVELOPMENT, ReferralStatus.DECLINED),
    ReferralStatus.IN_DEVELOPMENT: (ReferralStatus.RELEASED, ReferralStatus.DECLINED),
    ReferralStatus.RELEASED: (),
    ReferralStatus.DECLINED: (),
}


class ReferralSequence(models.Model):
    """The last reference number given in a year: one row per year, incremented under a lock."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)


class Referral(models.Model):
    """A troubleshooting topic referred to the supplier, with its own reference and status."""

    topic = models.OneToOneField(Topic, on_delete=models.CASCADE, related_name="referral")
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.REFERRED
    )
    summary = models.TextField(_("summary for the supplier"))
    referred_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="forum_referral_queue")]
        permissions = [("manage_referrals", _("Can update referrals to the supplier"))]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self):
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("forum:referral", args=[self.pk])

    @property
    def next_statuses(self) -> tuple:
        return REFERRAL_TRANSITIONS[ReferralStatus(self.status)]


class ReferralEvent(models.Model):
    """One step of a referral's timeline (its creation, then every status change)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=20, choices=ReferralStatus.choices)
    actor = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]


class Draft(models.Model):
    """What a member is writing, kept while they type: a reply to a topic, or a new topic in a
    group. Saved by "Save draft" (without JavaScript) or every few seconds by htmx, and when a
    post fails; the form opens with it; posting discards it."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="forum_drafts")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    group = models.ForeignKey(ForumGroup, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    title = models.CharField(max_length=400, blank=True)
    body = models.TextField(blank=True)
    clause = models.PositiveIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(topic__isnull=False, group__isnull=True)
                | Q(topic__isnull=True, group__isnull=False),
                name="forum_draft_one_target",
            ),
            models.UniqueConstraint(fields=["user", "topic"], name="forum_draft_topic_once"),
            models.UniqueConstraint(fields=["user", "group"], name="forum_draft_group_once"),
        ]


class Meeting(models.Model):
    """A group's meeting: date, agenda, minutes and who attended (members of the group)."""

    group = models.ForeignKey(ForumGroup, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("date"))
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    attendees = models.ManyToManyField(USER, verbose_name=_("attendance"), blank=True, related_name="+")
    recorded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self):
        return f"{self.group} – {self.held_on:%d %B %Y}"


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class GroupAction(models.Model):
    """One line of a group's action log: what, who owns it, by when, and its status."""

    group = models.ForeignKey(ForumGroup, on_delete=models.CASCADE, related_name="actions")
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    what = models.CharField(_("what"), max_length=500)
    owner = models.ForeignKey(
        USER, verbose_name=_("owner"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["group", "status", "due_on"], name="forum_action_open")]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self):
        return self.what


class ColleagueProfile(models.Model):
    """ "Find a colleague": a member's opt-in entry in the members' directory. Nothing shows
    until they list themselves; their e-mail address only if they choose to show it (others
    contact them through the site)."""

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="colleague_profile")
    listed = models.BooleanField(_("list me in the members' directory"), default=False)
    job_title = models.CharField(_("your role"), max_length=200, blank=True)
    scheme = models.ForeignKey(
        "schemes.SchemePage",
        verbose_name=_("your scheme"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    workstreams = models.ManyToManyField(
        "schemes.Workstream", verbose_name=_("workstreams you work on"), blank=True, related_name="+"
    )
    can_help_with = models.TextField(_("what you can help with"), max_length=2000, blank=True)
    show_email = models.BooleanField(_("show my e-mail address to other members"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("colleague profile")
        verbose_name_plural = _("colleague profiles")


class ColleagueMessage(models.Model):
    """A message sent through the directory (kept for the rate limit and for abuse reports)."""

    sender = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
