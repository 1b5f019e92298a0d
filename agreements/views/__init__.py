"""Agreement pages, one module per part of the contract's life. Thin: parse, call one selector or
service, respond; form pages are ``almo_sla.form_pages.FormPage``s.

- ``lists``: the agreement and schedule lists and their exports, a catalogue service's schedules
- ``agreement_pages``: an agreement's page, drafting a new one, editing a draft's terms
- ``schedules``: a schedule's page, adding, editing and removing one
- ``drafting``: circulating, moving on, sending for sign-off, approving and declining
- ``versions``: circulated versions, their PDF, comparing two, comments and responses
- ``variations``: proposing, deciding, changing and withdrawing a variation
- ``history``: the agreement's history
"""

from agreements.views.agreement_pages import AgreementCreateView, AgreementDetailView, AgreementEditView
from agreements.views.drafting import (
    ApproveAgreementView,
    CirculateView,
    DeclineAgreementView,
    SendForSignoffView,
    StartNextDraftView,
)
from agreements.views.history import AgreementHistoryView
from agreements.views.lists import AgreementListView, ScheduleListView, ServiceDetailView
from agreements.views.schedules import ScheduleCreateView, ScheduleDeleteView, ScheduleDetailView, ScheduleEditView
from agreements.views.variations import (
    VariationAddChangeView,
    VariationCreateView,
    VariationDetailView,
    VariationWithdrawView,
)
from agreements.views.versions import CommentRespondView, VersionCompareView, VersionDetailView, VersionPdfView

__all__ = [
    "AgreementCreateView",
    "AgreementDetailView",
    "AgreementEditView",
    "AgreementHistoryView",
    "AgreementListView",
    "ApproveAgreementView",
    "CirculateView",
    "CommentRespondView",
    "DeclineAgreementView",
    "ScheduleCreateView",
    "ScheduleDeleteView",
    "ScheduleDetailView",
    "ScheduleEditView",
    "ScheduleListView",
    "SendForSignoffView",
    "ServiceDetailView",
    "StartNextDraftView",
    "VariationAddChangeView",
    "VariationCreateView",
    "VariationDetailView",
    "VariationWithdrawView",
    "VersionCompareView",
    "VersionDetailView",
    "VersionPdfView",
]
