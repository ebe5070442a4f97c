import csv
import io
import json

import networkx as nx
import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from network import engine
from network.exports import safe_cell
from network.services import latest_snapshot, rebuild_round
from tests.factories import OrganizationFactory
from tests.network.builders import roster_round, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_with_snapshot():
    round, (a, b, c) = roster_round(3, name="Export 2025")
    formula = OrganizationFactory(name='=HYPERLINK("http://evil.example","x")')
    submit(round, a, [b, formula], collaboration_level="coordination")
    submit(round, b, [a], sends_referrals=True, data_agreement="signed")
    submit(round, c, [a], write_ins=["Hilltop Food Pantry"])
    rebuild_round(round.pk, force=True)
    return round


def export(tmp_path, format, round_name="Export 2025"):
    path = tmp_path / f"network.{format}"
    out = io.StringIO()
    call_command(
        "export_network", round=round_name, format=format, output=str(path), stdout=out
    )
    assert "Wrote" in out.getvalue()
    return path


def test_csv_has_one_row_per_organization_with_its_measures(
    round_with_snapshot, tmp_path
):
    rows = list(csv.DictReader(export(tmp_path, "csv").open(encoding="utf-8")))

    assert len(rows) == 5
    columns = set(rows[0])
    assert {
        "organization",
        "sector",
        "in_degree",
        "out_degree",
        "betweenness",
        "closeness",
        "pagerank",
        "core",
        "component",
        "community",
        "constraint",
        "effective_size",
        "position",
        "respondent",
    } <= columns
    assert any(c.startswith("brokerage_") for c in columns)
    first = next(r for r in rows if r["organization"] == "Export 2025 organization 0")
    assert first["in_degree"] == "2"
    assert first["out_degree"] == "2"
    assert first["respondent"] == "True"


def test_csv_and_xlsx_cells_cannot_run_as_formulas(round_with_snapshot, tmp_path):
    text = export(tmp_path, "csv").read_text(encoding="utf-8")
    workbook = load_workbook(export(tmp_path, "xlsx"))

    assert "'=HYPERLINK(" in text
    assert "\n=HYPERLINK" not in text
    names = [row[0] for row in workbook["organizations"].iter_rows(values_only=True)]
    assert '\'=HYPERLINK("http://evil.example","x")' in names
    targets = [row[1] for row in workbook["ties"].iter_rows(values_only=True)]
    assert '\'=HYPERLINK("http://evil.example","x")' in targets


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_escaped(start):
    assert safe_cell(f"{start}1+1") == f"'{start}1+1"
    assert safe_cell("Plain name") == "Plain name"
    assert safe_cell(-3) == -3


def test_xlsx_has_organizations_ties_and_figures_sheets(round_with_snapshot, tmp_path):
    workbook = load_workbook(export(tmp_path, "xlsx"))

    assert workbook.sheetnames == ["organizations", "ties", "figures"]
    assert workbook["organizations"].max_row == 6
    ties = list(workbook["ties"].iter_rows(values_only=True))
    assert ties[0][:4] == ("source", "target", "confirmed", "reported_by")
    assert len(ties) == 1 + latest_snapshot(round_with_snapshot).ties_count
    figures = [row[0] for row in workbook["figures"].iter_rows(values_only=True)]
    assert any(name.startswith("reconstructed.") for name in figures[1:])


@pytest.mark.parametrize(
    "format, read", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)]
)
def test_graph_formats_read_back_in_networkx(
    round_with_snapshot, tmp_path, format, read
):
    snapshot = latest_snapshot(round_with_snapshot)

    graph = read(export(tmp_path, format))

    assert graph.number_of_nodes() == 5
    assert graph.number_of_edges() == snapshot.ties_count
    by_label = {graph.nodes[n]["label"]: graph.nodes[n] for n in graph}
    hub = by_label["Export 2025 organization 0"]
    assert int(hub["in_degree"]) == 2
    assert float(hub["betweenness"]) >= 0
    assert "Hilltop Food Pantry" in by_label
    confirmed = [
        d for _, _, d in graph.edges(data=True) if d["confirmed"] in (True, "true")
    ]
    assert len(confirmed) == 1
    assert {d["level"] for _, _, d in graph.edges(data=True)} >= {"coordination"}


def test_json_is_node_link_with_the_round_figures(round_with_snapshot, tmp_path):
    document = json.loads(export(tmp_path, "json").read_text(encoding="utf-8"))

    graph = nx.node_link_graph(document, edges="links")

    assert graph.number_of_nodes() == 5
    assert document["graph"]["round"] == "Export 2025"
    assert "reconstructed" in document["graph"]["figures"]
    assert {"x", "y", "pagerank", "name"} <= set(document["nodes"][0])


def test_export_reads_the_snapshot_and_does_not_recompute(
    round_with_snapshot, tmp_path, monkeypatch
):
    def refuse(*args, **kwargs):
        raise AssertionError("export recomputed the network")

    monkeypatch.setattr(engine, "compute_network", refuse)

    for format in ("csv", "xlsx", "graphml", "gexf", "json"):
        assert export(tmp_path, format).stat().st_size > 0


def test_export_of_a_round_without_snapshot_is_refused(tmp_path):
    roster_round(2, name="Empty 2025")

    with pytest.raises(CommandError, match="has no network snapshot yet"):
        export(tmp_path, "csv", round_name="Empty 2025")


def test_export_of_an_unknown_round_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="No round is named “Nowhere”"):
        export(tmp_path, "csv", round_name="Nowhere")


def test_rebuild_command_prints_a_summary_and_stage_times(round_with_snapshot):
    out = io.StringIO()

    call_command("rebuild_network", round="Export 2025", stdout=out)

    text = out.getvalue()
    assert "Snapshot v2: 5 organizations, 4 ties, 1 components, density" in text
    assert "betweenness" in text
    assert "store" in text
