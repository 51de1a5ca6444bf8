"""政府信息 (主动公开): publications, their placements, disclosure attribute and history.

See :mod:`gongkai.publications.services` for the lifecycle and
:mod:`gongkai.publications.selectors` for reads, including the annual report's
:func:`~gongkai.publications.selectors.narrative_figures`.
"""
