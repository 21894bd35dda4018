"""Which rules apply to my project: the engine behind ``policykg apply`` and ``PolicyService.apply``.

    profile.py       the project profile (fields, units, validation)
    units.py         units as documents write them, converted to one unit per dimension
    jurisdiction.py  whose documents bind a project (全国 binds all, a province its own)
    conditions.py    quantitative conditions read from clause text, their scope, their check
    matcher.py       relevance, grouping, ranking; the :class:`Applicability` answer
    report.py        Markdown, Excel and PDF reports, and the terminal summary

No user interface here: the CLI, the HTTP API and the Streamlit page call
:meth:`app.service.PolicyService.apply`.
"""
