"""The law's Chinese labels, in the catalogue so a page can show them in the reader's language.

``gongkai.law`` is pure Python and names states, channels and applicant kinds in Chinese only
(``label_zh``). A page translates such a label with :func:`translated`; the list below marks
every one with ``gettext_noop`` so ``makemessages`` keeps them in
src/gongkai/locale/en/LC_MESSAGES/django.po (tests/applications/test_one_language.py checks
the list covers the law's labels). The API and the letters keep the Chinese.
"""

from __future__ import annotations

from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_noop as N_

__all__ = ["LAW_LABELS", "translated", "translated_choices"]

LAW_LABELS = (
    # gongkai.law.workflow.State, and 待确认 (an online application not yet confirmed)
    N_("已登记/待确认"),
    N_("已受理"),
    N_("待补正"),
    N_("征求意见中"),
    N_("待缴费"),
    N_("已答复"),
    N_("已送达"),
    N_("已归档"),
    N_("已撤回"),
    N_("已转送"),
    N_("已终止"),
    N_("待确认"),
    # gongkai.law.workflow.Action and the workbench's other buttons (ui_support.ACTION_LABELS)
    N_("确认收到并受理"),
    N_("一次性告知补正"),
    N_("登记补正材料"),
    N_("逾期未补正，终止办理"),
    N_("发出征求意见函"),
    N_("征求意见结束"),
    N_("延期答复"),
    N_("发出收费通知"),
    N_("登记缴费"),
    N_("逾期未缴费，终止办理"),
    N_("答复"),
    N_("送达"),
    N_("归档"),
    N_("申请人撤回"),
    N_("转送其他机关"),
    N_("拟写答复（报负责人审批）"),
    N_("批准答复"),
    N_("退回答复草稿"),
    N_("报请延期（报负责人审批）"),
    N_("批准延期"),
    N_("退回延期申请"),
    # gongkai.law.applicants.Channel
    N_("当面提交"),
    N_("挂号信/邮政EMS（需签收）"),
    N_("平常信函"),
    N_("互联网"),
    N_("传真"),
    N_("电子邮件"),
    # gongkai.law.applicants.ApplicantKind
    N_("自然人"),
    N_("商业企业"),
    N_("科研机构"),
    N_("社会公益组织"),
    N_("法律服务机构"),
    N_("其他"),
    # gongkai.law.dispositions.Disposition
    N_("予以公开（已主动公开，告知获取方式和途径）"),
    N_("予以公开"),
    N_("部分公开"),
    N_("不予公开：属于国家秘密"),
    N_("不予公开：其他法律行政法规禁止公开"),
    N_("不予公开：危及“三安全一稳定”"),
    N_("不予公开：保护第三方合法权益"),
    N_("不予公开：属于三类内部事务信息"),
    N_("不予公开：属于四类过程性信息"),
    N_("不予公开：属于行政执法案卷"),
    N_("不予公开：属于行政查询事项（告知按有关规定办理）"),
    N_("无法提供：经检索没有所申请公开的信息（该政府信息不存在）"),
    N_("无法提供：不属于本机关负责公开（告知负责机关）"),
    N_("无法提供：没有现成信息需要另行制作"),
    N_("无法提供：补正后申请内容仍不明确"),
    N_("不予处理：信访举报投诉类申请"),
    N_("不予处理：重复申请"),
    N_("不予处理：要求提供公开出版物"),
    N_("不予处理：无正当理由大量反复申请"),
    N_("不予处理：要求行政机关确认或重新出具已获取信息"),
    N_("申请人无正当理由逾期不补正，视为放弃申请"),
    N_("申请人逾期未缴纳信息处理费，视为放弃申请"),
    N_("申请人撤回申请"),
    N_("转送其他机关办理"),
    N_("其他处理"),
    # ui_support.PUBLIC_EVENTS (the status page's timeline)
    N_("网上提交申请"),
    N_("申请已登记"),
    N_("由其他机关转来"),
    N_("告知补正"),
    N_("收到补正材料"),
    N_("征求意见"),
    N_("已缴费"),
    N_("申请已撤回"),
    N_("已转送其他机关"),
    N_("申请人提交补正材料"),
    # the choices of gongkai.applications.models (IdType, FormWanted, DeliveryMethod)
    N_("居民身份证"),
    N_("护照"),
    N_("港澳台居民居住证/通行证"),
    N_("其他有效身份证件"),
    N_("纸质"),
    N_("电子"),
    N_("不限"),
    N_("邮寄"),
    N_("当面领取"),
    N_("现场查阅"),
    # Attachment.Kind
    N_("身份证明复印件"),
    N_("授权委托书"),
    N_("补正材料"),
    N_("其他材料"),
)


def translated(label: str) -> str:
    """``label`` (a Chinese label of the law) in the active language."""
    return gettext(label) if label else label


def translated_choices(choices) -> list[tuple[str, object]]:
    """Form choices whose Chinese labels follow the active language when rendered."""
    return [(value, gettext_lazy(label)) for value, label in choices]
