"""The chairside look: large type, high contrast, touch-sized controls, status shown in words and icons."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

TOUCH_PX = 48  # buttons: above the 44 px minimum for gloved fingers
FIELD_PX = 44  # fields, spin and scroll buttons: the 44 px minimum, so a 1366 x 768 screen holds the chair flow
BASE_POINT_SIZE = 14

INK = "#111111"
PAPER = "#ffffff"
PANEL = "#f1f3f5"
ACCENT = "#0b4f9c"  # dark blue: readable for red/green colour-blind users
ERROR_BG = "#fde2e1"
ERROR_INK = "#8a0000"
WARN_BG = "#fff1c2"
WARN_INK = "#5c3b00"
OK_BG = "#dcefff"
OK_INK = "#0b3a6e"
PLACEHOLDER = "#4b5563"

STYLE = f"""
QWidget {{ color: {INK}; background: {PAPER}; font-size: {BASE_POINT_SIZE}pt; }}
QMainWindow, QScrollArea, QScrollArea > QWidget > QWidget {{ background: {PAPER}; }}
QGroupBox {{ font-weight: bold; border: 2px solid #6b7280; border-radius: 6px; margin-top: 16px;
            padding: 6px 4px 4px 4px; background: {PANEL}; }}
QGroupBox::title {{ subcontrol-origin: margin; left: 10px; padding: 0 6px; background: {PAPER}; }}
QGroupBox QWidget {{ background: {PANEL}; }}
QLineEdit, QPlainTextEdit, QComboBox, QDateEdit, QTimeEdit, QSpinBox, QListWidget, QTableView {{
    background: {PAPER}; border: 2px solid #4b5563; border-radius: 4px; padding: 4px 6px;
    min-height: {FIELD_PX - 12}px; }}
QPlainTextEdit, QListWidget, QTableView {{ min-height: {FIELD_PX}px; }}
QLineEdit:focus, QPlainTextEdit:focus, QComboBox:focus, QDateEdit:focus, QTimeEdit:focus,
QSpinBox:focus, QListWidget:focus, QTableView:focus {{ border: 3px solid {ACCENT}; }}
QLineEdit[invalid="true"] {{ border: 3px solid {ERROR_INK}; background: {ERROR_BG}; }}
QPushButton {{ min-height: {TOUCH_PX}px; min-width: {TOUCH_PX}px; padding: 4px 14px; border-radius: 6px;
              border: 2px solid #374151; background: #e5e7eb; font-weight: bold; }}
QPushButton:focus {{ border: 3px solid {ACCENT}; }}
QWidget#entry_form QPushButton {{ min-height: {FIELD_PX - 8}px; min-width: {FIELD_PX - 28}px; padding: 2px 12px; }}
QWidget#entry_form QPushButton[role="compact"] {{ padding: 2px 4px; }}
QPushButton:disabled {{ color: #6b7280; background: #f3f4f6; border: 2px dashed #9ca3af; }}
QPushButton#accept_button:enabled {{ background: {ACCENT}; color: white; }}
QCheckBox, QRadioButton {{ min-height: {FIELD_PX}px; spacing: 10px; }}
QCheckBox::indicator, QRadioButton::indicator {{ width: 30px; height: 30px; }}
QScrollBar:vertical {{ width: {FIELD_PX}px; }}
QScrollBar:horizontal {{ height: {FIELD_PX}px; }}
QScrollBar::handle:vertical {{ min-height: {FIELD_PX}px; background: #9ca3af; border-radius: 6px; margin: 2px; }}
QScrollBar::handle:horizontal {{ min-width: {FIELD_PX}px; background: #9ca3af; border-radius: 6px; margin: 2px; }}
QScrollBar::add-line, QScrollBar::sub-line {{ width: 0px; height: 0px; }}
QPushButton[role="choice"]:checked {{ background: {ACCENT}; color: white; border: 3px solid {INK}; }}
QPushButton[role="choice"][unanswered="true"] {{ border: 3px solid {ERROR_INK}; background: {ERROR_BG}; }}
QLabel[role="caption"] {{ color: {INK}; }}
QLabel[role="message"] {{ color: {ERROR_INK}; font-weight: bold; }}
QLabel[role="hint"] {{ color: #374151; }}
QLabel[role="heading"] {{ font-size: {BASE_POINT_SIZE + 4}pt; font-weight: bold; }}
QFrame[severity="error"], QFrame[severity="error"] QWidget {{ background: {ERROR_BG}; color: {ERROR_INK}; }}
QFrame[severity="error"] {{ border: 3px solid {ERROR_INK}; border-radius: 6px; }}
QFrame[severity="warning"], QFrame[severity="warning"] QWidget {{ background: {WARN_BG}; color: {WARN_INK}; }}
QFrame[severity="warning"] {{ border: 3px dashed {WARN_INK}; border-radius: 6px; }}
QFrame[severity="info"], QFrame[severity="info"] QWidget {{ background: {OK_BG}; color: {OK_INK}; }}
QFrame[severity="info"] {{ border: 2px dotted {OK_INK}; border-radius: 6px; }}
QFrame[severity="warning"] QCheckBox {{ font-weight: bold; }}
QFrame[severity="warning"] QCheckBox::indicator {{ background: {PAPER}; border: 3px solid {WARN_INK};
    border-radius: 4px; }}
QFrame[severity="warning"] QCheckBox::indicator:checked {{ background: {WARN_INK}; border: 3px solid {WARN_INK};
    image: none; }}
QFrame[severity="warning"] QCheckBox::indicator:focus {{ border: 3px solid {ACCENT}; }}
QFrame[role="line"], QFrame[role="line"] QWidget {{ background: {PAPER}; }}
QFrame[role="line"] {{ border: 2px solid #4b5563; border-radius: 6px; }}
QListWidget#nav_list {{ font-size: {BASE_POINT_SIZE}pt; background: {PANEL}; }}
QListWidget#nav_list::item {{ min-height: {TOUCH_PX + 8}px; padding: 4px 6px; }}
QListWidget#nav_list::item:selected {{ background: {ACCENT}; color: white; }}
QListWidget::item {{ min-height: {TOUCH_PX - 8}px; }}
QListWidget::item:selected, QTableView::item:selected {{ background: {ACCENT}; color: white; }}
QHeaderView::section {{ background: #d1d5db; font-weight: bold; padding: 6px; border: 1px solid #6b7280; }}
QStatusBar {{ background: #e5e7eb; border-top: 2px solid #6b7280; }}
QStatusBar QLabel {{ background: #e5e7eb; padding: 0 12px; }}
"""


def apply_theme(app: QApplication) -> None:
    if app.styleSheet() == STYLE:
        return  # re-applying re-polishes every widget in the process
    font = QFont(app.font())
    font.setPointSize(BASE_POINT_SIZE)
    app.setFont(font)
    app.setStyle("Fusion")
    palette = app.palette()
    # Example text in empty fields at 7:1 contrast, not Fusion's faint grey (3.5:1): it is read, not guessed.
    palette.setColor(QPalette.ColorRole.PlaceholderText, QColor(PLACEHOLDER))
    app.setPalette(palette)
    app.setStyleSheet(STYLE)
