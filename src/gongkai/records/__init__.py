"""Records of an agency, and the one way they change: :mod:`gongkai.records.steps`.

A publication, an application, a mailbox letter, a report: each is a record of an agency.
Its model derives from :class:`gongkai.records.models.AgencyRecord`; each change is a
:class:`~gongkai.records.steps.Step` (permission, lock, change, audit row, files, on-commit
work in one place). See DEVELOPERS.md, "A new app on the platform".
"""
