"""Every letter the platform writes, with the context each template needs.

Keys of the reply letters are the ``letter`` keys of gongkai.law.dispositions.DISPOSITIONS; the
tests check that every disposition has its template here. A template lives in
``templates/letters/<key>.txt``; an admin overrides it by putting a file with the same name in
``GONGKAI_DATA_DIR/templates/letters/`` (read at start-up: restart after editing).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "COMMON_OPTIONAL",
    "COMMON_REQUIRED",
    "DENIAL_GROUNDS",
    "LETTERS",
    "LetterSpec",
    "VARIABLES",
]

#: What each context variable means (for the admin help page and the API documentation).
VARIABLES: dict[str, str] = {
    "agency_name": "发文机关名称（落款、版头），如 城口县人民政府办公室",
    "issued_on": "成文日期（date），落款处以汉字书写",
    "doc_number": "文号，如 城府办公开〔2026〕3号",
    "applicant_name": "申请人姓名或名称",
    "applicant_is_org": "申请人是否为法人或其他组织（True/False；未知时称“你（单位）”）",
    "received_on": "收到申请之日（date，《条例》第三十一条）",
    "channel": "申请方式，如 当面提交、邮寄、互联网、传真",
    "request_summary": "申请公开的政府信息（申请人所述名称、文号或特征描述）",
    "review_body": "行政复议机关，如 城口县人民政府（未配置时用通用表述）",
    "court": "管辖法院，如 重庆市万州区人民法院（未配置时用通用表述）",
    "contact_person": "联系人",
    "contact_phone": "联系电话",
    "cc": "抄送",
    "attachments": "附件名称列表",
    "letter_style": "版式：letter（信函格式，默认）或 document（文件格式）",
    "signatory": "落款机关（默认同发文机关）",
    "arabic_date": "成文日期用阿拉伯数字（GB/T 9704-2012 写法，默认）；False 用汉字",
    "date_style": "成文日期写法：arabic（阿拉伯数字，默认）或 chinese（汉字）",
    "seal": "印章占位文字（默认不显示；草稿显示“（印章）”）",
    "query_code": "查询码",
    "due_on": "答复期限（date）",
    "correction_items": "需要补正的事项（列表，每项一句）",
    "correction_due_on": "补正期限（date）",
    "correction_requested_on": "发出补正告知之日（date）",
    "supplemented_on": "收到补正材料之日（date）",
    "third_party_name": "第三方名称或姓名（征询函主送）",
    "info_summary": "涉及第三方或其他机关的信息内容",
    "consultation_due_on": "提出意见的截止日期（date，可选；否则写“收到本函之日起15个工作日内”）",
    "consulted_agency": "被征求意见的机关（征求意见函主送）",
    "original_due_on": "原答复期限（date）",
    "extended_due_on": "延长后的答复期限（date）",
    "extension_reason": "延期理由",
    "fee_amount": "信息处理费金额（元），如 300",
    "fee_method": "计收方式：按件计收 或 按量计收",
    "fee_calculation": "计算过程，如 本月第11件至第13件申请，每件100元",
    "payment_method": "缴费方式（账户、地点等）",
    "provision_method": "提供方式，如 电子邮件、邮寄纸质材料、现场查阅",
    "publication_place": "已主动公开的位置（网站栏目、网址、公报期号等）",
    "withheld_part": "不予公开的部分",
    "reasons": "理由（不予公开、部分公开、不予处理须说明理由）",
    "search_description": "检索范围和方式，如 经在本机关公文管理系统和档案室检索",
    "ground": "不予公开的情形：dispositions 中 denied_* 的值，如 denied_state_secret",
    "query_procedure": "查询途径（工商、不动产登记资料等按有关规定办理）",
    "responsible_agency": "负责公开该信息的机关",
    "responsible_agency_contact": "该机关的联系方式",
    "proper_channel": "信访、投诉、举报的受理渠道",
    "previous_reply": "已作出的答复（文号或日期）",
    "publication_source": "公开出版物的获取途径",
    "fee_notice_on": "收到收费通知之日（date）",
    "fee_due_on": "缴费期限（date）",
    "withdrawn_on": "申请人撤回申请之日（date）",
    "target_agency": "接收转送的机关",
    "target_contact": "接收机关的联系方式",
    "transferred_on": "转送之日（date）",
    "decision_text": "处理结果（其他处理）",
    "basis_text": "处理依据（其他处理，可选）",
}

COMMON_REQUIRED = ("agency_name", "issued_on")
COMMON_OPTIONAL = (
    "doc_number",
    "review_body",
    "court",
    "contact_person",
    "contact_phone",
    "cc",
    "attachments",
    "letter_style",
    "signatory",
    "seal",
    "arabic_date",
    "date_style",
)
_APPLICATION = ("applicant_name", "received_on", "request_summary")


@dataclass(frozen=True)
class LetterSpec:
    """A letter: its Chinese name, whether it decides the application, and its context."""

    name_zh: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    decides: bool = True  # carries the remedy notice (行政复议 60日 / 行政诉讼 6个月)
    choices: tuple[tuple[str, tuple[str, ...]], ...] = ()  # variables limited to listed values

    @property
    def all_required(self) -> tuple[str, ...]:
        return COMMON_REQUIRED + self.required


def _spec(name, required=(), optional=(), *, decides=True, application=True, choices=()):
    base = _APPLICATION if application else ()
    opt = ("applicant_is_org", "channel", *optional) if application else tuple(optional)
    return LetterSpec(name, (*base, *required), opt, decides, tuple(choices))


#: The 不予公开 grounds the reply_denied template words (values of dispositions.Disposition).
DENIAL_GROUNDS = (
    "denied_state_secret",
    "denied_law_forbidden",
    "denied_three_safety",
    "denied_third_party",
    "denied_internal_affairs",
    "denied_process_info",
    "denied_enforcement_file",
)


LETTERS: dict[str, LetterSpec] = {
    # Steps of the procedure (no decision on the request, so no remedy notice).
    "receipt": _spec("政府信息公开申请登记回执", (), ("query_code", "due_on"), decides=False),
    "correction": _spec(
        "政府信息公开申请补正告知书", ("correction_items", "correction_due_on"), decides=False
    ),
    "third_party_consultation": _spec(
        "政府信息公开第三方意见征询函",
        ("third_party_name", "received_on", "info_summary"),
        ("consultation_due_on",),
        decides=False,
        application=False,
    ),
    "agency_consultation": _spec(
        "政府信息公开征求意见函",
        ("consulted_agency", "received_on", "info_summary"),
        ("consultation_due_on",),
        decides=False,
        application=False,
    ),
    "extension": _spec(
        "政府信息公开申请延期答复告知书",
        ("original_due_on", "extended_due_on"),
        ("extension_reason",),
        decides=False,
    ),
    "fee_notice": _spec(
        "政府信息公开信息处理费收费通知书",
        ("fee_amount", "fee_method", "fee_calculation", "payment_method"),
    ),
    # Replies, one per disposition (gongkai.law.dispositions).
    "reply_granted": _spec("政府信息公开申请答复书（予以公开）", ("provision_method",)),
    "reply_already_public": _spec("政府信息公开申请答复书（已主动公开）", ("publication_place",)),
    "reply_partial": _spec(
        "政府信息公开申请答复书（部分公开）",
        ("withheld_part", "reasons", "provision_method"),
    ),
    "reply_denied": _spec(
        "政府信息公开申请答复书（不予公开）",
        ("ground", "reasons"),
        choices=[("ground", DENIAL_GROUNDS)],
    ),
    "reply_query_matter": _spec("政府信息公开申请答复书（行政查询事项）", ("query_procedure",)),
    "reply_not_exist": _spec("政府信息公开申请答复书（信息不存在）", (), ("search_description",)),
    "reply_not_responsible": _spec(
        "政府信息公开申请答复书（非本机关负责公开）",
        (),
        ("responsible_agency", "responsible_agency_contact"),
    ),
    "reply_need_create": _spec("政府信息公开申请答复书（需另行制作）"),
    "reply_unclear": _spec(
        "政府信息公开申请答复书（补正后仍不明确）",
        ("correction_requested_on",),
        ("supplemented_on",),
    ),
    "reply_petition": _spec("政府信息公开申请答复书（信访举报投诉类）", (), ("proper_channel",)),
    "reply_repeat": _spec("政府信息公开申请答复书（重复申请）", ("previous_reply",)),
    "reply_publication": _spec("政府信息公开申请答复书（公开出版物）", ("publication_source",)),
    "reply_massive": _spec("政府信息公开申请答复书（不予处理）", ("reasons",)),
    "reply_confirm": _spec("政府信息公开申请答复书（要求确认或重新出具）"),
    "reply_other": _spec("政府信息公开申请答复书（其他处理）", ("decision_text",), ("basis_text",)),
    "notice_overdue_correction": _spec(
        "政府信息公开申请终止告知书（逾期未补正）",
        ("correction_requested_on", "correction_due_on"),
    ),
    "notice_overdue_fee": _spec(
        "政府信息公开申请终止告知书（逾期未缴费）", ("fee_notice_on", "fee_due_on")
    ),
    "notice_withdrawn": _spec("政府信息公开申请撤回确认书", ("withdrawn_on",), decides=False),
    "notice_transferred": _spec(
        "政府信息公开申请转送告知书",
        ("target_agency", "transferred_on"),
        ("target_contact",),
        decides=False,
    ),
}
