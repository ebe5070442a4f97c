from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from participants.models import TieReview, WithdrawalRequest
from participants.records import approve_withdrawal, decline_withdrawal


@admin.register(TieReview)
class TieReviewAdmin(admin.ModelAdmin):
    list_display = ["organization", "reporter", "round", "verdict", "updated_at"]
    list_filter = ["round", "verdict"]
    search_fields = ["organization__name", "reporter__name", "note"]
    raw_id_fields = ["organization", "reporter", "reviewed_by"]


@admin.register(WithdrawalRequest)
class WithdrawalRequestAdmin(admin.ModelAdmin):
    list_display = ["organization", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["organization__name"]
    readonly_fields = [
        "organization",
        "requested_by",
        "reason",
        "status",
        "decided_by",
        "decided_at",
        "responses_removed",
        "created_at",
    ]
    actions = ["approve", "decline"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Approve: remove their answers and rebuild"))
    def approve(self, request, queryset):
        pending = queryset.filter(status=WithdrawalRequest.Status.PENDING)
        count = 0
        for withdrawal in pending.select_related("organization"):
            approve_withdrawal(withdrawal, request.user)
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d organization withdrawn.",
                "%(count)d organizations withdrawn.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Decline"))
    def decline(self, request, queryset):
        pending = queryset.filter(status=WithdrawalRequest.Status.PENDING)
        count = 0
        for withdrawal in pending.select_related("organization"):
            decline_withdrawal(withdrawal, request.user)
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d request declined.", "%(count)d requests declined.", count
            )
            % {"count": count},
        )
