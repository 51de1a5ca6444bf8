"""Regulations and normative documents (规章、行政规范性文件), their cleanup campaigns (清理), and
the 第二十条 figures of table 二 of the annual report (docs/normative.md).

A document is a record of its agency (:class:`gongkai.records.models.AgencyRecord`); each step
of its life — 合法性审核, 集体审议, 公布, 备案, 修订, 废止, 失效 — is a
:class:`gongkai.records.steps.Step` (:mod:`gongkai.normative.steps`). Table 二 and the figures
the report's text quotes come from :mod:`gongkai.normative.selectors`.
"""
