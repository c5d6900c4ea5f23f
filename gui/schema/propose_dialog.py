"""The "Propose from data" dialog: leaf paths not in the schema yet, to add in one step."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core.dataset.leaf_stats import LeafStats
from core.schema.entries import SchemaEntry
from gui.schema.delegates import TypeComboBox
from gui.schema.proposal_model import P_EXAMPLES, P_PATH, P_TYPE, ProposalModel


class _TypeDelegate(QStyledItemDelegate):
    def createEditor(self, parent: QWidget, option, index: QModelIndex) -> QWidget:
        editor = TypeComboBox(parent)
        editor.activated.connect(lambda _i, e=editor: self._commit_if_popup(e))
        return editor

    def _commit_if_popup(self, editor: TypeComboBox) -> None:
        if editor.popup_used:  # arrow keys on a closed combo end with Enter/Tab instead
            editor.popup_used = False
            self.commitData.emit(editor)
            self.closeEditor.emit(editor)

    def setEditorData(self, editor: TypeComboBox, index: QModelIndex) -> None:
        editor.set_value(index.model().entry(index.row()).value_type)

    def setModelData(self, editor: TypeComboBox, model: ProposalModel, index: QModelIndex) -> None:
        model.set_cell(index.row(), index.column(), editor.value())


class ProposeDialog(QDialog):
    """Check the paths to add; names and guessed types can be corrected before adding."""

    def __init__(self, proposals: list[SchemaEntry], stats: dict[str, LeafStats], n_files: int,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("proposeDialog")
        self.setWindowTitle("Propose schema entries from data")
        self.model = ProposalModel(proposals, stats, n_files, self)
        if proposals:
            n, verb = len(proposals), ("is" if len(proposals) == 1 else "are")
            text = (f"{n} leaf path{'s' if n != 1 else ''} found in {n_files} metadata "
                    f"file{'s' if n_files != 1 else ''} {verb} not in the schema yet. Check the ones "
                    "to add; names and types can be changed here or later.")
        else:
            text = f"Every leaf path found in the {n_files} metadata files is already in the schema."
        label = QLabel(text)
        label.setWordWrap(True)

        self.table = QTableView()
        self.table.setObjectName("proposalTable")
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(P_TYPE, _TypeDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.SelectedClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(P_EXAMPLES, QHeaderView.ResizeMode.Stretch)
        self.table.setVisible(bool(proposals))

        all_button = QPushButton("Select all")
        none_button = QPushButton("Select none")
        all_button.clicked.connect(lambda: self.model.set_all_checked(True))
        none_button.clicked.connect(lambda: self.model.set_all_checked(False))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.add_button = self.buttons.addButton("Add selected", QDialogButtonBox.ButtonRole.AcceptRole)
        self.add_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.model.dataChanged.connect(self._update_add_button)
        if not proposals:
            self.add_button.hide()
            self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Close")
        self._update_add_button()

        row = QHBoxLayout()
        row.addWidget(all_button)
        row.addWidget(none_button)
        row.addStretch(1)
        row.addWidget(self.buttons)
        all_button.setVisible(bool(proposals))
        none_button.setVisible(bool(proposals))
        lay = QVBoxLayout(self)
        lay.addWidget(label)
        lay.addWidget(self.table, 1)
        lay.addLayout(row)
        self.resize(820, 420 if proposals else 140)
        if proposals:
            self.table.setCurrentIndex(self.model.index(0, P_PATH))

    def _update_add_button(self, *_args) -> None:
        n = len(self.model.selected_entries())
        self.add_button.setEnabled(n > 0)
        self.add_button.setText(f"Add {n} selected" if n else "Add selected")

    def selected_entries(self) -> list[SchemaEntry]:
        return self.model.selected_entries()

    @classmethod
    def ask(cls, proposals: list[SchemaEntry], stats: dict[str, LeafStats], n_files: int,
            parent: QWidget | None = None) -> list[SchemaEntry] | None:
        """Show the dialog modally; the entries to add, or None when cancelled."""
        dlg = cls(proposals, stats, n_files, parent)
        dlg.setWindowModality(Qt.WindowModality.WindowModal)
        return dlg.selected_entries() if dlg.exec() == QDialog.DialogCode.Accepted else None
