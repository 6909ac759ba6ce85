"""Indicator tables, on the ledger's Base (same metadata, same Alembic history).

`indicator_observation`: one value per region, indicator and period, wherever it
came from (csv, xlsx, manual entry, a plan's statement). `indicator_target`: a level
a plan sets, kept with its document for simulated evaluation (模拟测评).
The registry itself (dimensions, units, direction, weight) is a YAML file, not a table.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from duban.ledger.models import Base

SOURCE_LABELS = {"csv": "CSV 导入", "xlsx": "Excel 导入", "manual": "手工录入", "web": "网页录入",
                 "extract": "方案摘录", "api": "接口"}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class Observation(Base):
    __tablename__ = "indicator_observation"

    id: Mapped[int] = mapped_column(primary_key=True)
    region: Mapped[str] = mapped_column(String(120))
    indicator: Mapped[str] = mapped_column(String(255))
    period: Mapped[str] = mapped_column(String(32), default="")
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(32), default="manual")
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id", ondelete="SET NULL"))
    line: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(default=_now)

    __table_args__ = (
        UniqueConstraint("region", "indicator", "period", name="uq_indicator_observation_key"),
        Index("ix_indicator_observation_period_indicator", "period", "indicator"),
    )


class PlanTarget(Base):
    __tablename__ = "indicator_target"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    indicator: Mapped[str] = mapped_column(String(255))  # registry name, else as written
    name: Mapped[str] = mapped_column(String(255))  # as written in the plan
    region: Mapped[str | None] = mapped_column(String(120))
    comparator: Mapped[str] = mapped_column(String(4), default="≥")
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(32))
    year: Mapped[int | None] = mapped_column(Integer)
    higher_is_better: Mapped[bool | None] = mapped_column()
    line: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(default=_now)

    __table_args__ = (Index("ix_indicator_target_document_id", "document_id"),)
