"""A row-per-resource DataTable that is brought up to date in place, by id.

Screens hand `sync()` the rows they want (id + one `Text` per column) after
every store change; the table removes the rows that went away, updates only
the cells whose text changed, appends new rows, and rebuilds only when the
order itself changed (a new item sorted to the top) or many rows left at once.
The cursor stays on the same resource across all of that, so a poll never
yanks the selection.

Screens give it one page of rows, never a whole 50,000-item list: the stock
DataTable's bookkeeping grows with its rows (each removal renumbers all of
them, each cursor move walks them), so its cost must not follow the account.

Cells are always `rich.text.Text`: a plain `str` cell would be parsed as
markup by DataTable, and these cells carry server strings.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist

Row = tuple[str, Sequence[Text]]
# Up to this many rows leaving at once are removed in place (keeping the scroll position); more, and the
# table is rebuilt, because each removal renumbers every row: 5,000 removals took 44 s.
REMOVE_IN_PLACE = 8


class SyncedTable(DataTable[Text]):
    """DataTable with fixed columns (key, label) and `sync(rows)`; `selected_id` is the cursor row's id."""

    def __init__(
        self, columns: Sequence[tuple[str, str]], *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes, cursor_type="row", zebra_stripes=False)
        self._column_keys = [key for key, _ in columns]
        for key, label in columns:
            self.add_column(Text(label), key=key)

    @property
    def row_ids(self) -> list[str]:
        return [str(row.key.value) for row in self.ordered_rows]

    @property
    def selected_id(self) -> str | None:
        if self.row_count == 0:
            return None
        row_index = min(max(self.cursor_row, 0), self.row_count - 1)
        return str(self.ordered_rows[row_index].key.value)

    def select_id(self, row_id: str) -> bool:
        try:
            index = self.get_row_index(row_id)
        except RowDoesNotExist:
            return False
        self.move_cursor(row=index, animate=False)
        return True

    def sync(self, rows: Sequence[Row]) -> None:
        wanted_ids = [row_id for row_id, _ in rows]
        current_ids = self.row_ids
        selected = self.selected_id
        wanted = set(wanted_ids)
        gone = [row_id for row_id in current_ids if row_id not in wanted]
        present = set(current_ids) - set(gone)
        after_edits = [row_id for row_id in current_ids if row_id in wanted]
        after_edits += [row_id for row_id in wanted_ids if row_id not in present]
        if after_edits != wanted_ids or len(gone) > REMOVE_IN_PLACE:
            # The order changed, or so many rows went that removing them one by one would cost more
            # (DataTable renumbers every row on each removal): rebuild once, in the wanted order.
            self.clear()
            self._add_rows(rows)
        else:
            for row_id in gone:
                self.remove_row(row_id)
            for row_id, cells in rows:
                if row_id in present:
                    for column_key, cell in zip(self._column_keys, cells, strict=True):
                        if self.get_cell(row_id, column_key) != cell:
                            self.update_cell(row_id, column_key, cell)
                else:
                    self.add_row(*cells, key=row_id)
        if selected is not None and selected in wanted:
            self.select_id(selected)

    def _add_rows(self, rows: Sequence[Row]) -> None:
        for row_id, cells in rows:
            self.add_row(*cells, key=row_id)
