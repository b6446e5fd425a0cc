"""The Core mirror ``casetrack.tables`` must agree with ``casetrack.models`` column for column."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import SQLModel

import casetrack.models  # noqa: F401  (fills SQLModel.metadata)
from casetrack import tables

ROOT = Path(__file__).resolve().parents[1]


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location("generate_tables", ROOT / "tools" / "generate_tables.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _shape(column: Any) -> tuple[Any, ...]:
    foreign_keys = sorted((fk.target_fullname, fk.ondelete) for fk in column.foreign_keys)
    kind = column.type
    return (
        column.name,
        type(kind),
        getattr(kind, "length", None),
        getattr(kind, "timezone", None),
        bool(column.nullable),
        column.primary_key,
        foreign_keys,
    )


def test_every_table_of_the_models_is_mirrored_and_nothing_else() -> None:
    assert sorted(tables.metadata.tables) == sorted(SQLModel.metadata.tables)


@pytest.mark.parametrize("name", sorted(SQLModel.metadata.tables))
def test_each_column_has_the_models_name_type_nullability_and_keys(name: str) -> None:
    model_table = SQLModel.metadata.tables[name]
    mirror = tables.metadata.tables[name]
    assert [_shape(c) for c in mirror.columns] == [_shape(c) for c in model_table.columns]
    assert getattr(tables, name) is mirror


def test_tables_py_is_what_the_generator_writes_now() -> None:
    expected = _generator().render()
    current = (ROOT / "src" / "casetrack" / "tables.py").read_text(encoding="utf-8")
    assert current == expected, "src/casetrack/tables.py is out of date: run python tools/generate_tables.py"


def test_the_shape_comparison_notices_a_changed_column() -> None:
    from sqlalchemy import Column, Integer, MetaData, String, Table

    original = Table("t", MetaData(), Column("name", String(300), nullable=False))
    for changed in (
        Column("name", String(200), nullable=False),
        Column("name", String(300), nullable=True),
        Column("label", String(300), nullable=False),
        Column("name", Integer(), nullable=False),
    ):
        altered = Table("t", MetaData(), changed)
        assert [_shape(c) for c in altered.columns] != [_shape(c) for c in original.columns]
