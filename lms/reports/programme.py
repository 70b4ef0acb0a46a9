"""The programme report for the provincial People's Committee: classes over a date range, broken down.

Counted by class, by work unit, by commune/ward and (for classes before 1 July 2025) by former district, with
attendance (average percent and share meeting the class's rule) and the score histogram.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import Session

from lms.auth.models import User
from lms.classes.models import TrainingClass
from lms.classes.services import visible_classes_query
from lms.organisations.models import UnitKind, WorkUnit
from lms.reports.classes import NOT_SAT, PASSED, ClassReport, TraineeLine, class_reports
from lms.text import collation_key

# The day the district level ended (two-tier local government); older classes are also counted by district.
TWO_TIER_SINCE = date(2025, 7, 1)
COMMUNE_KINDS = {UnitKind.COMMUNE, UnitKind.WARD, UnitKind.SPECIAL_ZONE}
BINS = 10  # histogram of counted scores in steps of 10 %


@dataclass
class Group:
    """Counts of one row of a breakdown (a class, a unit, a commune or a former district)."""

    label: str
    participants: int = 0
    sat: int = 0
    passed: int = 0
    certified: int = 0
    attendance_counted: int = 0  # trainees with attendance recorded (a class with ended sessions)
    attendance_total: float = 0.0  # sum of their attendance percents
    attendance_met: int = 0  # of them, those meeting their class's rule

    @property
    def attendance_average(self) -> float | None:
        """Average attendance percent over the trainees whose attendance is recorded; None when none is."""
        return self.attendance_total / self.attendance_counted if self.attendance_counted else None

    @property
    def attendance_met_rate(self) -> float | None:
        return 100 * self.attendance_met / self.attendance_counted if self.attendance_counted else None

    @property
    def pass_rate(self) -> float | None:
        return 100 * self.passed / self.participants if self.participants else None

    @property
    def certified_rate(self) -> float | None:
        return 100 * self.certified / self.participants if self.participants else None

    def add(self, line: TraineeLine) -> None:
        self.participants += 1
        self.sat += line.result != NOT_SAT
        self.passed += line.result == PASSED
        self.certified += line.certificate is not None
        if line.attendance is not None:
            self.attendance_counted += 1
            self.attendance_total += line.attendance
            self.attendance_met += bool(line.attendance_met)


@dataclass
class ProgrammeReport:
    date_from: date | None
    date_to: date | None
    classes: list[ClassReport]
    total: Group = field(default_factory=lambda: Group(""))
    by_class: list[Group] = field(default_factory=list)
    by_unit: list[Group] = field(default_factory=list)
    by_commune: list[Group] = field(default_factory=list)
    by_district: list[Group] = field(default_factory=list)
    histogram: list[int] = field(default_factory=lambda: [0] * BINS)


def classes_in_range(session: Session, actor: User, *, date_from: date | None, date_to: date | None,
                     ) -> list[TrainingClass]:
    """The classes the actor may see that start within the range (either end open), by start then name."""
    query = visible_classes_query(actor)
    if date_from:
        query = query.where(TrainingClass.starts_on >= date_from)
    if date_to:
        query = query.where(TrainingClass.starts_on <= date_to)
    classes = list(session.scalars(query))
    return sorted(classes, key=lambda c: (c.starts_on or date.min, collation_key(c.name), c.id))


def programme_report(session: Session, classes: list[TrainingClass], *, date_from: date | None,
                     date_to: date | None, commune_label: str, district_label: str, now: datetime) -> ProgrammeReport:
    """Every breakdown over the chosen classes (active trainees, attendance as of `now`); a trainee of two classes
    counts once in each."""
    report = ProgrammeReport(date_from, date_to, class_reports(session, classes, now=now))
    units: dict[str, Group] = {}
    communes: dict[str, Group] = {}
    districts: dict[str, Group] = {}
    for class_report in report.classes:
        group = Group(class_report.training_class.name)
        before_two_tiers = (class_report.training_class.starts_on or date.max) < TWO_TIER_SINCE
        for line in class_report.lines:
            group.add(line)
            report.total.add(line)
            unit = line.user.work_unit
            units.setdefault(line.unit or "—", Group(line.unit or "—")).add(line)
            commune = _ancestor(unit, COMMUNE_KINDS)
            label = commune.name if commune else commune_label
            communes.setdefault(label, Group(label)).add(line)
            if before_two_tiers:
                district = _ancestor(unit, {UnitKind.DISTRICT})
                label = district.name if district else district_label
                districts.setdefault(label, Group(label)).add(line)
            if line.percent is not None:
                report.histogram[min(int(line.percent // (100 / BINS)), BINS - 1)] += 1
        report.by_class.append(group)
    report.by_unit, report.by_commune, report.by_district = (
        sorted(groups.values(), key=lambda g: collation_key(g.label)) for groups in (units, communes, districts))
    return report


def _ancestor(unit: WorkUnit | None, kinds: set[str]) -> WorkUnit | None:
    """The unit itself or the nearest unit above it of one of these kinds."""
    seen: set[int] = set()
    while unit is not None and unit.id not in seen:
        if unit.kind in kinds:
            return unit
        seen.add(unit.id)
        unit = unit.parent
    return None


def histogram_labels() -> list[str]:
    step = 100 // BINS
    return [f"{low}–{low + step}" for low in range(0, 100, step)]
