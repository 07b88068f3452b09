"""The store's schema, one module per subject; importing this package registers every table."""

from .accounts import DigitalAccount, WebserviceAccount
from .alerts import Alert, AlertDelivery
from .bank import BankImport, BankStatement, BankTransaction, ReconCase, ReconResult
from .base import Base, utcnow
from .billing import Bill, BillQuarantine, BillVa, Payment
from .campus import Applicant, Prodi, Student
from .kinds import BillKind, BillKindGroup
from .ktm import KtmIntake, KtmPhotoCheck, KtmStage
from .monitoring import (
    HostMetric,
    Incident,
    MaintenanceWindow,
    Monitor,
    ProbeSample,
    RollupDay,
    RollupHour,
    RollupMinute,
)
from .sop_versions import SopVersion
from .status import StatusIncident, StatusService, StatusUpdate
from .system import CollectorLease, CollectorRun, SourceStatus
from .tokens import AdmissionWave, PaymentPeriodExtension, TokenMovement
from .users import ApiToken, AuditEntry, User
from .workflow import SopCase, StepEvent

__all__ = [
    "AdmissionWave", "Alert", "AlertDelivery", "ApiToken", "Applicant", "AuditEntry", "BankImport", "BankStatement",
    "BankTransaction", "Base", "Bill", "BillKind", "BillKindGroup", "BillQuarantine", "BillVa", "CollectorLease",
    "CollectorRun", "DigitalAccount",
    "HostMetric", "Incident", "KtmIntake", "KtmPhotoCheck", "KtmStage", "MaintenanceWindow", "Monitor", "Payment",
    "PaymentPeriodExtension", "ProbeSample", "Prodi", "ReconCase", "ReconResult", "RollupDay", "RollupHour",
    "RollupMinute", "SopCase", "SopVersion", "SourceStatus", "StatusIncident", "StatusService", "StatusUpdate",
    "StepEvent",
    "Student", "TokenMovement", "User", "WebserviceAccount",
    "utcnow",
]
