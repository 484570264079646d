"""Reports: SQL aggregates (queries), small-cell suppression, the Excel workbook and Plotly charts.

No Flask here: views and the CLI pass in a session, the filters, a ``gettext``-like callable and a
locale. Data flows one way: queries -> suppression -> (excel | charts).
"""
