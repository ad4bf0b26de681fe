"""Tables as files people open in Excel: CSV (UTF-8 with BOM, ";", CRLF, Belgian dates) and XLSX — with every
cell that could start a formula defused (CSV/formula injection). Used by every export of the app."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "%d/%m/%Y"
DATETIME_FORMAT = "%d/%m/%Y %H:%M"
XLSX_DATE_FORMAT = "dd/mm/yyyy"
XLSX_DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
XLSX_MAX_CELL = 32_767  # Excel's limit on the characters in one cell
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def needs_protection(text: str) -> bool:
    return text.startswith(FORMULA_START)


def csv_text(value: Any) -> str:
    """A cell for the CSV: dates in Belgian notation, numbers as digits, risky text defused with a leading '."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, dt.datetime):
        return value.strftime(DATETIME_FORMAT)
    if isinstance(value, dt.date):
        return value.strftime(DATE_FORMAT)
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    return "'" + text if needs_protection(text) else text


def _xlsx_cell(ws, row: int, column: int, value: Any) -> None:
    if isinstance(value, bool):
        value = "ja" if value else "nee"
    if value is None or isinstance(value, int | float | dt.date):
        cell = ws.cell(row=row, column=column, value=value)
        if isinstance(value, dt.datetime):
            cell.number_format = XLSX_DATETIME_FORMAT
        elif isinstance(value, dt.date):
            cell.number_format = XLSX_DATE_FORMAT
        return
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))[:XLSX_MAX_CELL]
    cell = ws.cell(row=row, column=column, value=text)
    cell.data_type = "s"  # openpyxl makes a formula of any text starting with "="; this one stays text
    if needs_protection(text):
        cell.quotePrefix = True  # and stays text when someone edits it in Excel


# ----------------------------------------------------------------------------- files

def build_csv(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([csv_text(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def build_xlsx(title: str, columns: Sequence[tuple[str, int]], rows: Sequence[Sequence[Any]],
               summary: Sequence[tuple[str, Any]] = ()) -> bytes:
    """One sheet of typed cells (bold frozen header, widths, autofilter), plus a "Filters" sheet when given."""
    wb = Workbook()
    ws = wb.active
    ws.title = title
    bold = Font(bold=True)
    for column, (name, width) in enumerate(columns, start=1):
        ws.cell(row=1, column=column, value=name).font = bold
        ws.column_dimensions[get_column_letter(column)].width = width
    for number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            _xlsx_cell(ws, number, column, value)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(len(rows) + 1, 1)}"
    if not summary:
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()

    info = wb.create_sheet("Filters")
    info.cell(row=1, column=1, value="Filter").font = bold
    info.cell(row=1, column=2, value="Waarde").font = bold
    info.column_dimensions["A"].width = 22
    info.column_dimensions["B"].width = 50
    for number, (name, value) in enumerate(summary, start=2):
        _xlsx_cell(info, number, 1, name)
        _xlsx_cell(info, number, 2, value)
    info.freeze_panes = "A2"

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


