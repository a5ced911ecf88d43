"""The engine is pure (issue 9): `evaluate()` reads no file and holds no hidden state.

A `driver: ladder` line is resolved into data when the case loads (services.case.load_case):
the scenario's absolute path and the projected magnitude per year travel with the case, so the
same results come out after a chdir, after a JSON round trip, and on a Dask worker process —
even once the ladder files are gone. Results carry the parameter values they were computed
with, read-only, and the report appendix prints the values of the draw being reported.
"""

from __future__ import annotations

import builtins
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

from socinvest.case import load as case_load
from socinvest.case.expr import parse_expression
from socinvest.case.schema import Case, LadderDriver
from socinvest.engine.resolve import evaluate
from socinvest.errors import InputError
from socinvest.ladder import compare, load_model
from socinvest.services.case import load_case

from .conftest import EXAMPLES

LADDER_CASE = EXAMPLES / "ladder-strategi.yaml"
PLAIN_CASE = EXAMPLES / "tidlig-indsats-0-2.yaml"


def _savings_1000kr() -> np.ndarray:
    """The example's saving computed directly: the Markov projection of baseline minus
    scenario (kr.), in the case's unit (1.000 kr.), as spending (a saving is negative)."""
    return -compare(load_model(EXAMPLES / "ladder" / "scenario.yaml")).savings() / 1000


@pytest.fixture(scope="module")
def reference():
    res = evaluate(load_case(LADDER_CASE))
    ids = [ln.id for ln in res.case.lines]
    return res.amounts.copy(), ids.index("fewer_placements")


@pytest.fixture
def moved_case(tmp_path):
    """The ladder example loaded from a copy whose files are deleted afterwards: whatever
    evaluates it can only use what the case carries."""
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(LADDER_CASE, src / LADDER_CASE.name)
    shutil.copytree(EXAMPLES / "ladder", src / "ladder")
    case = load_case(src / LADDER_CASE.name)
    shutil.rmtree(src)
    return case


# -- resolved at load, into data ------------------------------------------------------------


def test_ladder_line_carries_absolute_path_and_projection():
    case = load_case(LADDER_CASE)
    d = case.lines[2].driver
    assert isinstance(d, LadderDriver)
    assert d.ladder == "ladder/scenario.yaml"  # as written in the file
    assert d.path == str((EXAMPLES / "ladder" / "scenario.yaml").resolve())
    assert Path(d.path).is_absolute()
    assert d.resolved is not None and sorted(d.resolved) == list(range(2025, 2033))
    np.testing.assert_allclose(list(d.resolved.values()), -_savings_1000kr())


def test_ladder_example_results_unchanged(reference):
    amounts, i = reference
    np.testing.assert_allclose(amounts[0, i], _savings_1000kr())
    # the other lines: 4 caseworkers x 600 (1.000 kr.) from 2026; the investment as typed
    np.testing.assert_allclose(amounts[0, 0], [0] + [2400] * 7)
    np.testing.assert_allclose(amounts[0, 1], [500, 250, 0, 0, 0, 0, 0, 0])


def test_unresolved_ladder_line_is_a_clear_input_error():
    parsed = case_load.load_case(LADDER_CASE)  # the case layer only parses: runs nothing
    assert parsed.lines[2].driver.resolved is None  # type: ignore[union-attr]
    with pytest.raises(InputError, match="fewer_placements") as info:
        evaluate(parsed)
    assert "services.case.load_case" in info.value.render("en")
    assert "has not been resolved" in info.value.render("en")


# -- no file, no state ----------------------------------------------------------------------


def test_evaluate_reads_no_file(monkeypatch, reference):
    case = load_case(LADDER_CASE)

    def refuse(*a, **k):
        raise AssertionError("evaluate() touched the file system")

    for name in ("open",):
        monkeypatch.setattr(builtins, name, refuse)
    for name in ("open", "read_bytes", "read_text", "stat", "is_file", "exists"):
        monkeypatch.setattr(Path, name, refuse)
    res = evaluate(case)
    monkeypatch.undo()
    np.testing.assert_array_equal(res.amounts, reference[0])


def test_evaluate_after_chdir_and_without_the_ladder_files(
    moved_case, tmp_path, monkeypatch, reference
):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    np.testing.assert_array_equal(evaluate(moved_case).amounts, reference[0])


def test_evaluate_after_dict_and_json_round_trip(moved_case, reference):
    again = Case.model_validate(moved_case.model_dump())
    via_json = Case.model_validate_json(moved_case.model_dump_json())
    assert via_json.lines[2].driver == moved_case.lines[2].driver  # path and projection kept
    for c in (again, via_json):
        np.testing.assert_array_equal(evaluate(c).amounts, reference[0])


def test_evaluate_on_a_dask_worker_process(moved_case, reference):
    from dask.distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=1,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=40,
        ) as cluster,
        Client(cluster) as client,
    ):
        worker_pid = client.submit(_pid, pure=False).result()
        res = client.submit(evaluate, moved_case, pure=False).result()
    import os

    assert worker_pid != os.getpid()  # really another process
    np.testing.assert_array_equal(res.amounts, reference[0])


def _pid() -> int:
    import os

    return os.getpid()


def test_expressions_are_parsed_once(monkeypatch):
    case = load_case(PLAIN_CASE)
    first = evaluate(case)
    assert parse_expression("fte_sof * fte_rate - bridge") is parse_expression(
        "fte_sof * fte_rate - bridge"
    )

    def refuse(*a, **k):
        raise AssertionError("an expression was parsed again")

    monkeypatch.setattr(sys.modules["socinvest.case.expr"].ast, "parse", refuse)
    np.testing.assert_array_equal(evaluate(case).amounts, first.amounts)


def test_loading_keeps_no_module_level_yaml_state():
    def module_state() -> dict[str, int]:
        out = {}
        for name, v in vars(case_load).items():
            assert not hasattr(v, "constructed_objects"), f"{name} is a long-lived YAML loader"
            if isinstance(v, dict | list | set):
                out[name] = len(v)
        return out

    before = module_state()
    for _ in range(50):
        load_case(PLAIN_CASE)
    assert module_state() == before


# -- results carry what they were computed from ---------------------------------------------


def test_results_carry_the_parameter_values_of_each_draw():
    case = load_case(PLAIN_CASE)
    rate = np.array([[450.0], [600.0]])
    res = evaluate(case, overrides={"fte_rate": rate})
    assert set(res.parameters) == set(case.parameters)
    assert res.parameters["fte_rate"].shape == (2, 13)
    np.testing.assert_array_equal(res.parameters["fte_rate"][:, 0], [450.0, 600.0])
    np.testing.assert_array_equal(res.parameters["fte_buf"], 9.0)  # the case's base value
    # team_buf = fte_buf x fte_rate: 9 x 450 = 4.050 and 9 x 600 = 5.400 (1.000 kr.)
    np.testing.assert_allclose(res.amounts[:, 0, 0], [4050.0, 5400.0])
    rate[1, 0] = 1.0  # the caller reusing its array does not change the results
    assert res.parameters["fte_rate"][1, 0] == 600.0


def test_results_arrays_are_read_only():
    res = evaluate(load_case(PLAIN_CASE), overrides={"fte_rate": np.array([[600.0]])})
    for a in (res.years, res.amounts, res.allocation, *res.parameters.values()):
        with pytest.raises(ValueError, match="read-only"):
            a[(0,) * a.ndim] = 1.0
    with pytest.raises(TypeError):
        res.parameters["fte_rate"] = np.zeros((1, 13))  # type: ignore[index]


def test_appendix_shows_the_values_of_the_reported_draw():
    from socinvest.reports.document import build_document

    res = evaluate(load_case(PLAIN_CASE), overrides={"fte_rate": np.array([[600.0]])})
    doc = build_document(res)
    appendix = next(s for s in doc.sections if s.key == "appendix")
    text = "\n".join(_texts(appendix))
    # by hand: team_buf = 9 årsværk x 600 = 5.400; team_sof in 2017 = 6 x 600 - 2.100 = 1.500
    # the appendix names parameters by their labels (examples/tidlig-indsats-0-2.yaml)
    assert "Løn pr. årsværk = 9 årsværk × 600 = 5.400 (2017–2029)" in text
    assert "Puljefinansieret del af SOF's team = 6 × 600 − 2.100 = 1.500 (2017)" in text
    assert "årsværk × 500" not in text and "6 × 500" not in text  # the base rate: not used
    params = next(b for b in appendix.blocks if getattr(b, "key", None) == "parameters")
    assert params.row("Løn pr. årsværk").cells[1].text.startswith("600")


def _texts(obj) -> list[str]:
    """Every string inside a document block, depth first."""
    import dataclasses

    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, tuple | list):
        return [t for x in obj for t in _texts(x)]
    if dataclasses.is_dataclass(obj):
        return [t for f in dataclasses.fields(obj) for t in _texts(getattr(obj, f.name))]
    return []
