"""依申请公开 models, split by sub-domain; import them from here (``gongkai.applications.models``).

Models hold fields, constraints and trivial properties only. Every change goes through
:mod:`gongkai.applications.services`.
"""

from gongkai.applications.models.application import (
    TRACKING_CODE_LENGTH,
    ApplicantKind,
    Application,
    DeliveryMethod,
    FormWanted,
    IdType,
    id_number_hash,
)
from gongkai.applications.models.outcomes import (
    Attachment,
    Delivery,
    Reply,
    ReplyDraft,
)
from gongkai.applications.models.steps import (
    Consultation,
    Correction,
    Extension,
    FeeNotice,
)

__all__ = [
    "TRACKING_CODE_LENGTH",
    "ApplicantKind",
    "IdType",
    "FormWanted",
    "DeliveryMethod",
    "Application",
    "Correction",
    "Consultation",
    "Extension",
    "FeeNotice",
    "Reply",
    "ReplyDraft",
    "Delivery",
    "Attachment",
    "id_number_hash",
]
