from django.contrib import admin

from guide.models import (
    Adoption,
    Digest,
    Entry,
    Event,
    GuideSettings,
    Reflection,
    Reply,
    Stage,
    Submission,
    Topic,
)


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ["title", "position", "slug"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class SubmissionInline(admin.TabularInline):
    model = Submission
    fields = ["practice", "state", "note"]
    readonly_fields = ["practice"]
    extra = 0
    can_delete = False


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ["title", "stage", "status", "collaboration_level", "published_at"]
    list_filter = ["status", "stage", "collaboration_level", "topics"]
    search_fields = ["title", "text"]
    filter_horizontal = ["topics"]
    inlines = [SubmissionInline]


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["practice", "state", "entry", "reviewed_at"]
    list_filter = ["state"]
    raw_id_fields = ["practice", "entry"]


@admin.register(Adoption)
class AdoptionAdmin(admin.ModelAdmin):
    list_display = ["entry", "organization", "kind", "created_at"]
    list_filter = ["kind"]
    raw_id_fields = ["entry", "organization", "marked_by"]


class ReplyInline(admin.TabularInline):
    model = Reply
    fields = ["body", "organization", "is_hidden"]
    raw_id_fields = ["organization"]
    extra = 0


@admin.register(Reflection)
class ReflectionAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "round", "stage", "is_pinned", "is_hidden"]
    list_filter = ["is_pinned", "is_hidden", "is_locked", "stage", "round"]
    search_fields = ["title", "body"]
    raw_id_fields = ["author", "organization"]
    inlines = [ReplyInline]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_at", "place"]
    filter_horizontal = ["stages"]


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ["round", "generated_at", "sent_at", "sent_count"]
    readonly_fields = ["entry_ids", "reflection_ids", "sent_at", "sent_count"]


admin.site.register(GuideSettings)
