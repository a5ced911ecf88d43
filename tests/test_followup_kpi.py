"""Success criteria: the status rule on hand-made paths, dated parameters, the seeds' criteria
as data, and the reproducible synthetic examples."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from socinvest.errors import InputError
from socinvest.followup import kpi, params
from socinvest.followup.kpi import Status
from socinvest.followup.schema import Criterion, Measurement

ROOT = Path(__file__).resolve().parent.parent
D = dt.date


@dataclass(frozen=True)
class C:
    id: str = "k"
    baseline: float = 100
    baseline_date: dt.date | None = D(2018, 1, 1)
    target: float = 80
    direction: str = "down"
    due: tuple[dt.date, ...] = (D(2018, 7, 1), D(2019, 1, 1))  # 181 + 184 = 365 days


@dataclass(frozen=True)
class M:
    criterion: str
    date: dt.date
    value: float
    note: str | None = field(default=None)


def test_linear_path_and_tolerance():
    c = C()
    # path: 100 on 1 Jan 2018 → 80 on 1 Jan 2019; on 1 Jul 2018 (181 of 365 days):
    # 100 − 20·181/365 = 90.0822; tolerance 10 % of the change 20 = 2.
    exp = 100 - 20 * 181 / 365
    assert float(kpi.expected_on(c, D(2018, 7, 1))) == pytest.approx(exp)
    on = D(2018, 7, 15)
    cases = [(90.0, Status.ON_TRACK), (exp + 1.9, Status.AT_RISK), (exp + 2.1, Status.OFF_TRACK)]
    for value, expected in cases:
        st = kpi.status(c, [M("k", D(2018, 7, 1), value)], on)
        assert st.status is expected, (value, st)
    st = kpi.status(c, [M("k", D(2018, 7, 1), exp + 1.9)], on)
    assert st.shortfall == pytest.approx(1.9) and st.tolerance == 2
    assert st.next_due == D(2019, 1, 1)


def test_exactly_on_the_path_is_on_track():
    # 1 Jan 2018 → 1 Jan 2019 in whole days; 0.1 steps are exact as written (no float drift)
    c = C(baseline=0.3, target=0.1, due=(D(2019, 1, 1),))
    mid = D(2018, 1, 1) + dt.timedelta(days=365 // 2 + 1)  # not a round share of the year
    exp = kpi.expected_on(c, mid)
    st = kpi.status(c, [M("k", mid, float(exp))], mid)
    assert st.status in (Status.ON_TRACK, Status.AT_RISK)
    after = kpi.status(c, [M("k", D(2019, 2, 1), 0.1)], D(2019, 2, 1))
    assert after.status is Status.ON_TRACK and after.shortfall == 0  # 0.3 − 0.2 = 0.1 exactly


def test_direction_up():
    c = C(baseline=0, target=150, direction="up", due=(D(2019, 1, 1),))
    # halfway (1 Jul 2018 = 181 days): expected 150·181/365 = 74.38; 70 is 4.38 behind,
    # tolerance 15 → at risk; 50 is off track; 80 is ahead → on track.
    for value, expected in [(80, Status.ON_TRACK), (70, Status.AT_RISK), (50, Status.OFF_TRACK)]:
        st = kpi.status(c, [M("k", D(2018, 7, 1), value)], D(2018, 7, 2))
        assert st.status is expected


def test_overdue_and_not_measured():
    c = C()
    assert kpi.status(c, [], D(2018, 3, 1)).status is Status.NOT_MEASURED
    # due 1 Jul 2018, 30 days' grace: still not overdue on 31 Jul, overdue on 1 Aug
    assert kpi.status(c, [], D(2018, 7, 31)).status is Status.NOT_MEASURED
    late = kpi.status(c, [], D(2018, 8, 1))
    assert late.status is Status.OVERDUE and late.overdue == D(2018, 7, 1)
    # a good value measured for the first due date does not cover the second one
    ms = [M("k", D(2018, 6, 25), 85)]
    assert kpi.status(c, ms, D(2018, 12, 1)).status is Status.ON_TRACK
    st = kpi.status(c, ms, D(2019, 2, 15))
    assert st.status is Status.OVERDUE and st.latest_value == 85
    # measurements of other criteria and after as_of do not count
    other = [M("x", D(2019, 1, 2), 70), M("k", D(2019, 3, 1), 70)]
    assert kpi.status(c, ms + other, D(2019, 2, 15)).status is Status.OVERDUE


def test_schema_models_and_labels():
    c = Criterion(
        id="shorter",
        label="Forløb kortes ned",
        indicator="gennemsnitlig længde",
        unit="dage",
        baseline=150,
        baseline_date=D(2018, 1, 1),
        target=140,
        direction="down",
        due=[D(2019, 1, 1)],
    )
    m = Measurement(criterion="shorter", date=D(2019, 1, 1), value=141)
    st = kpi.statuses([c], [m], D(2019, 1, 10))[0]
    assert st.status is Status.AT_RISK and st.shortfall == pytest.approx(1)
    from socinvest.i18n import translator

    tr = translator("en")
    assert tr(st.label) == "at risk"


def test_dated_parameters():
    p = params.default()
    assert p.tenths("fit.ors_cutoff.adult", D(2018, 1, 1)) == 250
    assert p.tenths("fit.ors_cutoff.adolescent", D(2018, 1, 1)) == 280
    assert p.tenths("fit.ors_cutoff.child", D(2018, 1, 1)) == 320
    assert p.tenths("fit.reliable_change", D(2018, 1, 1)) == 50
    assert p.tenths("fit.srs_alliance_warning", D(2018, 1, 1)) == 360
    assert p.integer("adbb.threshold", D(2018, 1, 1)) == 5
    assert p.integer("privacy.min_persons", D(2018, 1, 1)) == 5
    for name, spec in p.items.items():
        assert spec.unit and all(e.source for e in spec.entries), name
    with pytest.raises(InputError, match="ingen værdi gyldig den 1999-01-01"):
        p.value("fit.ors_cutoff.adult", D(1999, 1, 1))


def test_a_later_value_applies_from_its_date(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text(
        "fit.ors_cutoff.adult:\n  unit: point\n  values:\n"
        "    - {from: 2003-01-01, value: 25, source: a}\n"
        "    - {from: 2019-01-01, value: 26.5, source: b}\n",
        "utf-8",
    )
    p = params.load(f)
    assert p.tenths("fit.ors_cutoff.adult", D(2018, 12, 31)) == 250
    assert p.tenths("fit.ors_cutoff.adult", D(2019, 1, 1)) == 265


def _fragments():
    for name in ("fit-familiebehandling", "tidlig-indsats-0-2"):
        path = ROOT / "examples" / "followup" / f"{name}.criteria.yaml"
        text = path.read_text("utf-8")
        assert text.startswith("# SYNTETISKE DATA")
        yield name, yaml.safe_load(text)


def test_seed_criteria_are_valid_follow_up_data():
    seeds = {
        "fit-familiebehandling": "fit-familiebehandling.yaml",
        "tidlig-indsats-0-2": "tidlig-indsats-0-2.yaml",
    }
    for name, data in _fragments():
        cs = [Criterion(**c) for c in data["criteria"]]
        ms = [Measurement(**m) for m in data["measurements"]]
        assert {m.criterion for m in ms} <= {c.id for c in cs}
        case = yaml.safe_load((ROOT / "examples" / seeds[name]).read_text("utf-8"))
        # every criterion of the seed's "Opfølgning" section is there, worded as in the case
        assert [c.label for c in cs] == [s["criterion"] for s in case["success_criteria"]]
        assert all(
            c.responsible == s["responsible"]
            for c, s in zip(cs, case["success_criteria"], strict=True)
        )


def test_seed_003_course_length_target_is_77_of_80():
    data = dict(_fragments())["fit-familiebehandling"]
    c = data["criteria"][0]
    assert c["target"] == pytest.approx(round(c["baseline"] * 77 / 80, 1))
    assert c["due"][0] == D(2018, 6, 30)  # "Midt 2018 og løbende hvert halve år"


def test_examples_are_reproducible(tmp_path):
    out = tmp_path / "followup"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_followup_examples.py"), str(out)],
        check=True,
        capture_output=True,
    )
    committed = ROOT / "examples" / "followup"
    names = sorted(p.name for p in out.iterdir())  # the folder holds other examples too
    assert len(names) == 9  # 5 of F2, 4 follow-up files and postings of F3
    for n in names:
        assert (out / n).read_bytes() == (committed / n).read_bytes(), n


BAD = ROOT / "tests" / "fixtures" / "followup" / "bad-measures"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("params-no-source.yaml", "hver værdi skal have from, value og source"),
        ("params-same-date.yaml", "værdierne skal have forskellige from-datoer"),
    ],
)
def test_bad_parameter_files(name, message):
    with pytest.raises(InputError) as e:
        params.load(BAD / name)
    assert message in str(e.value) and "fit.reliable_change" in str(e.value)
    assert e.value.render("en") != str(e.value)
