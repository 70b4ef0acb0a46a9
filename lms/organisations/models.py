"""Organising bodies and the tree of work units (current and historical)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import Base, utcnow


class BodyKind(StrEnum):
    SCIENCE_DEPARTMENT = "science_department"  # Sở KH&CN
    TRAINING_CENTRE = "training_centre"
    CONSULTANCY = "consultancy"
    OTHER = "other"


class UnitKind(StrEnum):
    PROVINCE = "province"  # tỉnh
    CITY = "city"  # thành phố trực thuộc trung ương
    COMMUNE = "commune"  # xã
    WARD = "ward"  # phường
    SPECIAL_ZONE = "special_zone"  # đặc khu
    DEPARTMENT = "department"  # sở, ban, ngành
    AGENCY = "agency"  # other state agency or public service unit
    DISTRICT = "district"  # huyện/quận/thị xã: historical since 1 July 2025


class OrganisingBody(Base):
    __tablename__ = "organising_bodies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    short_name: Mapped[str] = mapped_column(String(60), default="")
    kind: Mapped[str] = mapped_column(String(32), default=BodyKind.SCIENCE_DEPARTMENT)
    province_id: Mapped[int | None] = mapped_column(ForeignKey("work_units.id"))
    address: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    province: Mapped[WorkUnit | None] = relationship()


class WorkUnit(Base):
    __tablename__ = "work_units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str | None] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_folded: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("work_units.id"), index=True)
    valid_from: Mapped[date | None]
    valid_to: Mapped[date | None]  # set for former units (e.g. districts dissolved on 1 July 2025)
    successor_id: Mapped[int | None] = mapped_column(ForeignKey("work_units.id"))

    parent: Mapped[WorkUnit | None] = relationship(remote_side=[id], foreign_keys=[parent_id])
    successor: Mapped[WorkUnit | None] = relationship(remote_side=[id], foreign_keys=[successor_id])

    def is_current(self, on: date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (self.valid_to is None or on < self.valid_to)
