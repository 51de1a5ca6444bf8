"""The annual report (政府信息公开工作年度报告) computed from the platform's records.

《政府信息公开条例》第四十九条、第五十条: every agency publishes a report each year, departments by
31 January and governments by 31 March (docs/law/ogi-spec.md). This app computes the report
document of docs/spec/annual-report-json.md for an agency or a reporting unit, fills a draft
总体情况 from the records, checks it (gongkai.annual.checks), takes it through draft → checked →
approved → published, freezes the published figures, and renders HTML, DOCX, XLSX, JSON and PDF.
"""
