"""The law's Chinese labels, in the catalogue so a page can show them in the reader's language.

``gongkai.law`` is pure Python and names states, channels and applicant kinds in Chinese only
(``label_zh``). A page translates such a label with :func:`translated`; the list below marks
every one with ``gettext_noop`` so ``makemessages`` keeps them in
src/gongkai/locale/en/LC_MESSAGES/django.po (tests/applications/test_one_language.py checks
the list covers the law's labels). The API and the letters keep the Chinese.
"""

from __future__ import annotations

import re

from django.utils.translation import get_language, gettext, gettext_lazy, gettext_noop

__all__ = ["LAW_LABELS", "articles_in_language", "translated", "translated_choices"]

LAW_LABELS = (
    # gongkai.law.workflow.State, and 待确认 (an online application not yet confirmed)
    gettext_noop("已登记/待确认"),
    gettext_noop("已受理"),
    gettext_noop("待补正"),
    gettext_noop("征求意见中"),
    gettext_noop("待缴费"),
    gettext_noop("已答复"),
    gettext_noop("已送达"),
    gettext_noop("已归档"),
    gettext_noop("已撤回"),
    gettext_noop("已转送"),
    gettext_noop("已终止"),
    gettext_noop("待确认"),
    # gongkai.law.workflow.Action and the workbench's other buttons (ui_support.ACTION_LABELS)
    gettext_noop("确认收到并受理"),
    gettext_noop("一次性告知补正"),
    gettext_noop("登记补正材料"),
    gettext_noop("逾期未补正，终止办理"),
    gettext_noop("发出征求意见函"),
    gettext_noop("征求意见结束"),
    gettext_noop("延期答复"),
    gettext_noop("发出收费通知"),
    gettext_noop("登记缴费"),
    gettext_noop("逾期未缴费，终止办理"),
    gettext_noop("答复"),
    gettext_noop("送达"),
    gettext_noop("归档"),
    gettext_noop("申请人撤回"),
    gettext_noop("转送其他机关"),
    gettext_noop("拟写答复（报负责人审批）"),
    gettext_noop("批准答复"),
    gettext_noop("退回答复草稿"),
    gettext_noop("报请延期（报负责人审批）"),
    gettext_noop("批准延期"),
    gettext_noop("退回延期申请"),
    # gongkai.law.applicants.Channel
    gettext_noop("当面提交"),
    gettext_noop("挂号信/邮政EMS（需签收）"),
    gettext_noop("平常信函"),
    gettext_noop("互联网"),
    gettext_noop("传真"),
    gettext_noop("电子邮件"),
    # gongkai.law.applicants.ApplicantKind
    gettext_noop("自然人"),
    gettext_noop("商业企业"),
    gettext_noop("科研机构"),
    gettext_noop("社会公益组织"),
    gettext_noop("法律服务机构"),
    gettext_noop("其他"),
    # gongkai.law.dispositions.Disposition
    gettext_noop("予以公开（已主动公开，告知获取方式和途径）"),
    gettext_noop("予以公开"),
    gettext_noop("部分公开"),
    gettext_noop("不予公开：属于国家秘密"),
    gettext_noop("不予公开：其他法律行政法规禁止公开"),
    gettext_noop("不予公开：危及“三安全一稳定”"),
    gettext_noop("不予公开：保护第三方合法权益"),
    gettext_noop("不予公开：属于三类内部事务信息"),
    gettext_noop("不予公开：属于四类过程性信息"),
    gettext_noop("不予公开：属于行政执法案卷"),
    gettext_noop("不予公开：属于行政查询事项（告知按有关规定办理）"),
    gettext_noop("无法提供：经检索没有所申请公开的信息（该政府信息不存在）"),
    gettext_noop("无法提供：不属于本机关负责公开（告知负责机关）"),
    gettext_noop("无法提供：没有现成信息需要另行制作"),
    gettext_noop("无法提供：补正后申请内容仍不明确"),
    gettext_noop("不予处理：信访举报投诉类申请"),
    gettext_noop("不予处理：重复申请"),
    gettext_noop("不予处理：要求提供公开出版物"),
    gettext_noop("不予处理：无正当理由大量反复申请"),
    gettext_noop("不予处理：要求行政机关确认或重新出具已获取信息"),
    gettext_noop("申请人无正当理由逾期不补正，视为放弃申请"),
    gettext_noop("申请人逾期未缴纳信息处理费，视为放弃申请"),
    gettext_noop("申请人撤回申请"),
    gettext_noop("转送其他机关办理"),
    gettext_noop("其他处理"),
    # ui_support.PUBLIC_EVENTS (the status page's timeline)
    gettext_noop("网上提交申请"),
    gettext_noop("申请已登记"),
    gettext_noop("由其他机关转来"),
    gettext_noop("告知补正"),
    gettext_noop("收到补正材料"),
    gettext_noop("征求意见"),
    gettext_noop("已缴费"),
    gettext_noop("申请已撤回"),
    gettext_noop("已转送其他机关"),
    gettext_noop("申请人提交补正材料"),
    # the choices of gongkai.applications.models (IdType, FormWanted, DeliveryMethod)
    gettext_noop("居民身份证"),
    gettext_noop("护照"),
    gettext_noop("港澳台居民居住证/通行证"),
    gettext_noop("其他有效身份证件"),
    gettext_noop("纸质"),
    gettext_noop("电子"),
    gettext_noop("不限"),
    gettext_noop("邮寄"),
    gettext_noop("当面领取"),
    gettext_noop("现场查阅"),
    # Attachment.Kind
    gettext_noop("身份证明复印件"),
    gettext_noop("授权委托书"),
    gettext_noop("补正材料"),
    gettext_noop("其他材料"),
    # gongkai.applications.services.deadlines.DeadlineBand and the queue's notes
    gettext_noop("正常"),
    gettext_noop("即将到期"),
    gettext_noop("已超期"),
    gettext_noop("暂停计时"),
    gettext_noop("期限待定"),
    gettext_noop("答复草稿已退回"),
    gettext_noop("延期申请已退回"),
    # gongkai.letters.catalog.VARIABLES: the reply form's hints where they differ from labels
    gettext_noop("提供方式，如 电子邮件、邮寄纸质材料、现场查阅"),
    gettext_noop("已主动公开的位置（网站栏目、网址、公报期号等）"),
    gettext_noop("理由（不予公开、部分公开、不予处理须说明理由）"),
    gettext_noop("检索范围和方式，如 经在本机关公文管理系统和档案室检索"),
    gettext_noop("查询途径（工商、不动产登记资料等按有关规定办理）"),
    gettext_noop("已作出的答复（文号或日期）"),
    gettext_noop("处理结果（其他处理）"),
    gettext_noop("处理依据（其他处理，可选）"),
    # the choices of the action forms (Consultation.Kind, FeeNotice.Method, Delivery.Method)
    gettext_noop("第三方意见征询"),
    gettext_noop("征求其他机关意见"),
    gettext_noop("按件计收"),
    gettext_noop("按量计收"),
    gettext_noop("邮寄送达"),
    gettext_noop("电子邮件送达"),
    gettext_noop("直接送达"),
    gettext_noop("网上送达"),
    gettext_noop("其他方式"),
    # labels the services write into the audit log (the case page's record of handling)
    gettext_noop("查看申请人个人信息"),
    gettext_noop("删除申请人个人信息（保存期限届满）"),
    gettext_noop("生成延期答复告知书"),
    gettext_noop("答复期限重新计算"),
    gettext_noop("答复草稿作废"),
    gettext_noop("督办"),
    gettext_noop("登记申请（当面提交）"),
    gettext_noop("登记申请（挂号信/邮政EMS（需签收））"),
    gettext_noop("登记申请（平常信函）"),
    gettext_noop("登记申请（互联网）"),
    gettext_noop("登记申请（传真）"),
    gettext_noop("登记申请（电子邮件）"),
    # gongkai.law.applicants.ReceiptRule (the register form's hint)
    gettext_noop("以申请人提交之日为收到申请之日"),
    gettext_noop("以行政机关签收之日为收到申请之日"),
    gettext_noop("以政府信息公开工作机构与申请人确认之日为收到申请之日"),
)


def translated(label: str) -> str:
    """``label`` (a Chinese label of the law) in the active language."""
    return gettext(label) if label else label


def translated_choices(choices) -> list[tuple[str, object]]:
    """Form choices whose Chinese labels follow the active language when rendered."""
    return [(value, gettext_lazy(label)) for value, label in choices]


_DIGITS = {c: n for n, c in enumerate("零一二三四五六七八九")}
_ARTICLE = re.compile(
    r"(?:《政府信息公开条例》)?第([一二三四五六七八九十]+)条"
    r"(?:第([一二三四五六七八九十]+)款|第（([一二三四五六七八九十]+)）项)?"
)


def _number(chinese: str) -> int:
    """一 → 1, 十六 → 16, 三十 → 30, 三十九 → 39 (the article numbers of the Regulations)."""
    tens, _, units = chinese.rpartition("十")
    if "十" not in chinese:
        return _DIGITS[chinese]
    return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[units] if units else 0)


def articles_in_language(articles: str) -> str:
    """The articles a reply relies on, for the reader: as written in Chinese, or in English
    as 「Art. 36(1)」 (a 项 in brackets, a 款 as ¶): 《政府信息公开条例》第三十六条第（一）项."""
    if not (get_language() or "").startswith("en"):
        return articles
    found = []
    for article, paragraph, item in _ARTICLE.findall(articles):
        text = f"Art. {_number(article)}"
        if paragraph:
            text += f" ¶{_number(paragraph)}"
        if item:
            text += f"({_number(item)})"
        found.append(text)
    return ", ".join(found) if found else gettext("（无具体条款）")
