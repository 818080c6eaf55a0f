"""Figures for the service manager: cases, ratings, SLA and FAQ deflection over a period.

Pure domain code (no HTTP): the portal's report API and report page both call
`cases.case_report` and `faq.faq_report` and render the plain dataclasses they return.
One module per concept:

- `period`: which whole local days a report covers (`Period`, `InvalidPeriod`).
- `cases`: the case figures per group and in total (CSAT, CES, solved, SLA, medians).
- `faq`: the FAQ report, assembled from `deflection` (what the case form's suggestions
  achieved), `articles` (the least helpful articles and their comments) and
  `knowledge_gaps` (queries the FAQ did not answer, or answered wrongly).
- `export`: the CSV downloads of both reports.
- `rates`: how a rate is computed and rounded.

Choices, in one place:

- A period is whole local days (`shared.regional.TIMEZONE` unless told otherwise): a month such as
  `2026-11` or an inclusive range of dates, at most MAX_DAYS days.
- The case figures are about the cases *opened* in the period (a cohort): their ratings,
  first responses and resolutions count whenever they came, so a month's figures settle as
  its cases are answered, and every rate of a row has the same cases behind it.
- Rates are percentages rounded to one decimal, averages to two decimals, medians are in
  minutes rounded to one decimal. A rate, average or median with nothing to count is None,
  never a division by zero.
- The total row is computed from all cases of the period, not from the group rows.
"""
