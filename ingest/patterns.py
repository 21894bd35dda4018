"""Document numbers (发文字号), one pattern for front matter, ids, citations and search tokens.

A number is an issuer code, a year in brackets and a serial: 晋能源规发〔2024〕195号,
发改能源[2025]650号, 国能发监管规（2023）48 号.  Offices use any of six brackets,
and PDF extraction leaves spaces inside, so both are accepted everywhere.
"""
from __future__ import annotations

import re

OPEN_BRACKETS = "〔[［【（("
CLOSE_BRACKETS = "〕]］】）)"
# 〔2024〕195号: the bracketed year and the serial, without the issuer (groups ``year``, ``serial``).
YEAR_SERIAL = (rf"[{re.escape(OPEN_BRACKETS)}]\s*(?P<year>(?:19|20)\d{{2}})\s*[{re.escape(CLOSE_BRACKETS)}]"
               r"\s*(?P<serial>\d{1,5})\s*号")
# 晋能源规发〔2024〕195号 (group ``issuer`` too).  The issuer may have words run into it
# (印发晋能源规发…); callers that find numbers in running text trim those.
DOC_NUMBER = re.compile(rf"(?P<issuer>[\u4e00-\u9fff]{{1,12}}){YEAR_SERIAL}")
