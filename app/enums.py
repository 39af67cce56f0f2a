"""The vocabulary of a denial report (DESIGN section 4), defined once.

Models, schemas, forms, the API reference endpoints and the PDF all read these.
"""
from enum import StrEnum


class LabelledEnum(StrEnum):
    """A string enum whose members carry a label in the biller's words."""

    def __new__(cls, value: str, label: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(member.value, member.label) for member in cls]


class PayerType(LabelledEnum):
    MEDICARE = "medicare", "Medicare (traditional)"
    MEDICARE_ADVANTAGE = "medicare_advantage", "Medicare Advantage"
    MEDICAID = "medicaid", "Medicaid"
    COMMERCIAL = "commercial", "Commercial"
    WORKERS_COMP = "workers_comp", "Workers' compensation"
    TRICARE_VA = "tricare_va", "TRICARE / VA"
    OTHER = "other", "Other"


class Setting(LabelledEnum):
    FACILITY = "facility", "Facility"
    NON_FACILITY = "non_facility", "Non-facility (office)"


class GroupCode(LabelledEnum):
    CO = "CO", "CO: contractual obligation"
    PR = "PR", "PR: patient responsibility"
    OA = "OA", "OA: other adjustment"
    PI = "PI", "PI: payer-initiated reduction"
    CR = "CR", "CR: correction or reversal"


class DenialCategory(LabelledEnum):
    BUNDLING = "bundling", "Bundling (NCCI / included service)"
    MEDICAL_NECESSITY = "medical_necessity", "Medical necessity"
    MODIFIER = "modifier", "Missing or invalid modifier"
    FREQUENCY = "frequency", "Frequency or units limit"
    DOCUMENTATION = "documentation", "Documentation requested or insufficient"
    AUTHORIZATION = "authorization", "Prior authorization"
    CODING = "coding", "Coding error"
    ELIGIBILITY = "eligibility", "Eligibility or coverage"
    TIMELY_FILING = "timely_filing", "Timely filing"
    DUPLICATE = "duplicate", "Duplicate claim"
    OTHER = "other", "Other"


class AppealStrategy(LabelledEnum):
    CORRECTED_CLAIM = "corrected_claim", "Corrected claim"
    MODIFIER_CORRECTION = "modifier_correction", "Modifier correction"
    MEDICAL_RECORDS = "medical_records", "Sent medical records"
    RECONSIDERATION = "reconsideration", "Reconsideration request"
    REDETERMINATION = "redetermination", "Medicare redetermination"
    PEER_TO_PEER = "peer_to_peer", "Peer-to-peer review"
    WRITTEN_APPEAL = "written_appeal", "Written appeal letter"
    NOT_APPEALED = "not_appealed", "Not appealed"
    OTHER = "other", "Other"


class AppealOutcome(LabelledEnum):
    WON = "won", "Won"
    PARTIALLY_WON = "partially_won", "Partially won"
    LOST = "lost", "Lost"
    PENDING = "pending", "Pending"


class FlagReason(LabelledEnum):
    PATIENT_INFORMATION = "patient_information", "It contains patient information"
    FALSE_OR_MISLEADING = "false_or_misleading", "It looks false or misleading"
    OFFENSIVE = "offensive", "It is offensive"
    OTHER = "other", "Something else"


class ReportStatus(LabelledEnum):
    ACCEPTED = "accepted", "Accepted"
    HIDDEN = "hidden", "Hidden by a moderator"


class CatalogCategory(LabelledEnum):
    """The headings our code catalog is grouped under (data/catalog/<category>.yaml), on the web and in the PDF."""
    IMAGING_GUIDANCE = "imaging_guidance", "Imaging guidance"
    INJECTIONS_DRUGS = "injections_drugs", "Injections and drugs"
    JOINT_BURSA_TENDON = "joint_bursa_tendon", "Joints, bursae and tendons"
    NERVE_SPINE = "nerve_spine", "Nerve and spine"
    OFFICE_EM = "office_em", "Office E/M visits"
    THERAPY = "therapy", "Therapy"
    TRIGGER_POINTS = "trigger_points", "Trigger points"
