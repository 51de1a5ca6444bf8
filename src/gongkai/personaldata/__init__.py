"""Personal data at rest: encrypted columns, keyed look-up hashes, the key ring and its rotation.

Platform layer (never imports a domain app). A domain model declares a column of personal
data as :class:`~gongkai.personaldata.fields.EncryptedTextField` and, where it must find equal
values (a repeat applicant), a :class:`~gongkai.personaldata.fields.LookupHashField` beside it.
The keys live outside the database (:mod:`gongkai.personaldata.keys`); ``gongkai keys``
shows and rotates them (:mod:`gongkai.personaldata.rotation`). docs/security.md says why.
"""
