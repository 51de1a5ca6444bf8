"""A complete sample context for every letter: for the admin preview and for the tests.

The facts are the demo county's (城口县人民政府办公室); nothing here is a real person.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from gongkai.letters.catalog import LETTERS

__all__ = ["sample_context"]

_COMMON: dict[str, Any] = {
    "agency_name": "城口县人民政府办公室",
    "issued_on": dt.date(2026, 11, 27),
    "doc_number": "城府办公开〔2026〕3号",
    "applicant_name": "张三",
    "applicant_is_org": False,
    "received_on": dt.date(2026, 11, 2),
    "channel": "互联网",
    "request_summary": "城口县2025年度城乡居民最低生活保障资金发放情况",
    "review_body": "城口县人民政府",
    "court": "重庆市万州区人民法院",
    "contact_person": "李四",
    "contact_phone": "023-59222222",
}

_SPECIFIC: dict[str, dict[str, Any]] = {
    "receipt": {"query_code": "CK7Q-2M4X", "due_on": dt.date(2026, 11, 30), "doc_number": ""},
    "correction": {
        "correction_items": [
            "请明确所申请信息的名称、文号或者便于本机关查询的其他特征性描述；",
            "请明确所申请信息的时间范围；",
            "请提供申请人身份证明。",
        ],
        "correction_due_on": dt.date(2026, 12, 11),
    },
    "third_party_consultation": {
        "third_party_name": "城口县某某建筑工程有限公司",
        "info_summary": "2025年城口县农村公路改造项目施工合同",
        "consultation_due_on": dt.date(2026, 12, 18),
    },
    "agency_consultation": {
        "consulted_agency": "城口县财政局",
        "info_summary": "城口县2025年度城乡居民最低生活保障资金分配方案",
        "consultation_due_on": dt.date(2026, 12, 18),
    },
    "extension": {
        "original_due_on": dt.date(2026, 11, 30),
        "extended_due_on": dt.date(2026, 12, 28),
        "extension_reason": "所申请信息数量较大，需调取和审核的档案较多",
    },
    "fee_notice": {
        "fee_amount": "300",
        "fee_method": "按件计收",
        "fee_calculation": "你本月向本机关提出的第11件至第13件申请，每件100元",
        "payment_method": "通过非税收入缴款码缴纳（缴款码随本通知送达）",
    },
    "reply_granted": {
        "provision_method": "电子邮件",
        "attachments": ["2025年度低保资金发放情况表"],
    },
    "reply_already_public": {
        "publication_place": "城口县人民政府门户网站“政府信息公开”专栏“财政资金”栏目"
    },
    "reply_partial": {
        "withheld_part": "低保对象的身份证号码、家庭住址和银行账号",
        "reasons": "上述内容属于个人隐私，公开会对第三方合法权益造成损害，依据《中华人民共和国政府信息公开条例》第十五条不予公开。",
        "provision_method": "电子邮件",
    },
    "reply_denied": {
        "ground": "denied_process_info",
        "reasons": "你申请公开的会议讨论记录系决策过程中形成的内部讨论材料，不属于法律、法规、规章规定应当公开的情形。",
    },
    "reply_query_matter": {"query_procedure": "请持本人身份证件到城口县不动产登记中心申请查询。"},
    "reply_not_exist": {"search_description": "经在本机关公文管理系统和档案室检索"},
    "reply_not_responsible": {
        "responsible_agency": "城口县民政局",
        "responsible_agency_contact": "023-59221111",
    },
    "reply_need_create": {},
    "reply_unclear": {
        "correction_requested_on": dt.date(2026, 11, 5),
        "supplemented_on": dt.date(2026, 11, 12),
    },
    "reply_petition": {"proper_channel": "城口县信访局或12345政务服务便民热线"},
    "reply_repeat": {"previous_reply": "城府办公开〔2026〕1号"},
    "reply_publication": {
        "publication_source": "《城口县人民政府公报》2025年第3期，可在县图书馆、县档案馆查阅。"
    },
    "reply_massive": {
        "reasons": "你在2026年11月内提出申请46件，内容均为同类信息的逐月拆分，所说明的用途与申请内容无关。"
    },
    "reply_confirm": {},
    "reply_other": {
        "decision_text": "你的申请所涉事项已由本机关另行书面处理，本申请不再单独作出答复。",
        "basis_text": "",
    },
    "notice_overdue_correction": {
        "correction_requested_on": dt.date(2026, 11, 5),
        "correction_due_on": dt.date(2026, 11, 19),
    },
    "notice_overdue_fee": {
        "fee_notice_on": dt.date(2026, 10, 20),
        "fee_due_on": dt.date(2026, 11, 17),
    },
    "notice_withdrawn": {"withdrawn_on": dt.date(2026, 11, 20)},
    "notice_transferred": {
        "target_agency": "城口县民政局",
        "target_contact": "023-59221111",
        "transferred_on": dt.date(2026, 11, 4),
    },
}


def sample_context(key: str) -> dict[str, Any]:
    """Return a context that fills every variable letter ``key`` uses."""
    if key not in LETTERS:
        raise KeyError(key)
    return {**_COMMON, **_SPECIFIC.get(key, {})}
