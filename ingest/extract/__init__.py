"""Extractors: pure functions over ONE cleaned clause text.

Every record's ``span`` is local to the text passed in; the pipeline maps it to
source offsets.  Lexicon loaders shared with search and the graph live in
:mod:`ingest.extract.lexicon`.
"""
from ingest.extract.agencies import find_agencies
from ingest.extract.citations import find_citations
from ingest.extract.industries import find_industries
from ingest.extract.measures import classify_measures
from ingest.extract.targets import find_targets

__all__ = ["find_agencies", "find_targets", "classify_measures", "find_industries", "find_citations"]
