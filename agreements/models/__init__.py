"""Service level agreements between a council and one of its ALMOs, one module per sub-domain.

``agreement`` holds the agreement itself (parties, term and renewals, signatories, the status
sets) with ``validate_reference`` and ``AgreementQuerySet``; ``schedule`` the terms service by
service: schedules, their standards (measured against targets, or milestones), ``TSM_CODES``,
targets and yearly costs; ``notices`` the notice an ALMO serves to stop buying a service (the
rules of when it takes effect live in ``agreements/notices.py``); ``drafting`` the numbered
versions, comments on them, signatories' approvals and drafting steps; ``variations`` changes
to a live agreement's terms and what each changes. Every name is importable from
``agreements.models`` as before, so callers import from here, not from the modules.
"""

from agreements.models.agreement import Agreement, AgreementQuerySet, validate_reference
from agreements.models.drafting import AgreementVersion, Approval, Comment, DraftingStep
from agreements.models.notices import ServiceNotice
from agreements.models.schedule import TSM_CODES, Schedule, ScheduleYearCost, Standard, StandardTarget
from agreements.models.variations import Variation, VariationChange

# simple_history's record of each model, importable from here as from the single module it was.
HistoricalAgreement = Agreement.history.model
HistoricalSchedule = Schedule.history.model
HistoricalStandard = Standard.history.model
HistoricalScheduleYearCost = ScheduleYearCost.history.model
HistoricalServiceNotice = ServiceNotice.history.model
HistoricalStandardTarget = StandardTarget.history.model
HistoricalAgreementVersion = AgreementVersion.history.model
HistoricalComment = Comment.history.model
HistoricalVariation = Variation.history.model
HistoricalVariationChange = VariationChange.history.model
HistoricalApproval = Approval.history.model
HistoricalDraftingStep = DraftingStep.history.model

# The council's standard schedule per service (issue 14), registered with this app. It imports
# Schedule, Standard and StandardTarget from here, so it comes last.
from agreements.council_templates import ServiceTemplate  # noqa: E402

__all__ = [
    "TSM_CODES",
    "Agreement",
    "AgreementQuerySet",
    "AgreementVersion",
    "Approval",
    "Comment",
    "DraftingStep",
    "HistoricalAgreement",
    "HistoricalAgreementVersion",
    "HistoricalApproval",
    "HistoricalComment",
    "HistoricalDraftingStep",
    "HistoricalSchedule",
    "HistoricalScheduleYearCost",
    "HistoricalServiceNotice",
    "HistoricalStandard",
    "HistoricalStandardTarget",
    "HistoricalVariation",
    "HistoricalVariationChange",
    "Schedule",
    "ScheduleYearCost",
    "ServiceNotice",
    "ServiceTemplate",
    "Standard",
    "StandardTarget",
    "Variation",
    "VariationChange",
    "validate_reference",
]
