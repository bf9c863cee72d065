"""The kinds of event ParkOps tells people about, and who hears of each unless they choose otherwise."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    BOOKING_REQUESTED = "booking_requested", _("hall booking requested")
    BOOKING_APPROVED = "booking_approved", _("hall booking approved")
    BOOKING_REJECTED = "booking_rejected", _("hall booking rejected")
    BOOKING_CANCELLED = "booking_cancelled", _("hall booking cancelled")
    BILL_ISSUED = "bill_issued", _("bill issued")
    REMINDER_DUE = "reminder_due", _("payment reminder")
    PAYMENT_RECEIVED = "payment_received", _("payment received")
    LATE_FEE_CHARGED = "late_fee_charged", _("late fee charged")
    REQUEST_FILED = "request_filed", _("service request filed")
    REQUEST_ASSIGNED = "request_assigned", _("service request assigned")
    REQUEST_COMMENTED = "request_commented", _("service request commented")
    REQUEST_RESOLVED = "request_resolved", _("service request resolved")
    APPLICATION_DECIDED = "application_decided", _("apartment application decided")
    VISITOR_ARRIVED = "visitor_arrived", _("visitor arrived")
    INVITATION_SENT = "invitation_sent", _("invitation sent")
    REPORT_READY = "report_ready", _("report ready")
    MILESTONE_DUE = "milestone_due", _("partner milestone due")
    LEASE_EXPIRING = "lease_expiring", _("lease expiring")
    READING_FLAGGED = "reading_flagged", _("meter reading flagged")
    CHARGE_DISPUTED = "charge_disputed", _("utility charge disputed")
    FILING_DUE = "filing_due", _("statistics filing due")
    FILING_LATE = "filing_late", _("statistics filing late")
    FILING_SUBMITTED = "filing_submitted", _("statistics filing submitted")
    FILING_REVIEWED = "filing_reviewed", _("statistics filing accepted or returned")
    INCENTIVE_FLAGGED = "incentive_flagged", _("incentive condition not met")


class Channel(models.TextChoices):
    IN_APP = "in_app", _("in the portal or admin")
    EMAIL = "email", _("email")
    SMS = "sms", _("SMS")
    WECOM = "wecom", _("WeCom group robot")
    DINGTALK = "dingtalk", _("DingTalk group robot")
    FEISHU = "feishu", _("Feishu group robot")


PERSONAL_CHANNELS = (Channel.IN_APP, Channel.EMAIL, Channel.SMS)
ROBOT_CHANNELS = (Channel.WECOM, Channel.DINGTALK, Channel.FEISHU)

# What a person gets when they have not chosen: the inbox always, email for what needs acting on or
# keeping (money, decisions), SMS for nothing until they ask for it.
DEFAULT_CHANNELS: dict[str, tuple[str, ...]] = {
    event: (Channel.IN_APP, Channel.EMAIL)
    if event
    in {
        Event.BOOKING_APPROVED,
        Event.BOOKING_REJECTED,
        Event.BILL_ISSUED,
        Event.REMINDER_DUE,
        Event.PAYMENT_RECEIVED,
        Event.LATE_FEE_CHARGED,
        Event.APPLICATION_DECIDED,
        Event.REPORT_READY,
        Event.LEASE_EXPIRING,
        Event.FILING_DUE,
        Event.FILING_LATE,
        Event.FILING_REVIEWED,
    }
    else (Channel.IN_APP,)
    for event in Event.values
}
