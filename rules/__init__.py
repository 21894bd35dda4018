"""Which rules apply to my project: the rules stage, behind ``policykg apply`` and ``PolicyService.apply``.

    profile.py       the project profile (fields, units, validation)
    jurisdiction.py  whose documents bind a project (全国 binds all, a province its own)
    clauses.py       a clause-table row, read into typed records (records.Clause) as matching needs them
    fields.py        which profile field a stored condition is measured on (the conditions themselves
                     are read at ingest: ingest/extract/conditions.py, units in ingest/extract/units.py)
    scope.py         whom a condition or a sentence is for, checked against the profile
    check.py         a condition's value checked against the profile's, explained in Chinese
    reasons.py       why a clause is about a project (industry, topic, description), with weights
    match.py         :func:`~rules.match.apply_profile`: binding, reasons, grouping, ranking
    results.py       the answer (:class:`~rules.results.Applicability`) and the words shown for it
    report.py        Markdown, Excel and PDF reports, and the terminal summary

It reads the clause table (records as ingest wrote them, conditions included:
no clause text is parsed for conditions here) and the industry scheme; no
user interface here: the CLI, the HTTP API and the Streamlit page call
:meth:`app.service.PolicyService.apply`.
"""
