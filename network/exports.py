"""Export a snapshot as CSV, Excel, GraphML, GEXF or node-link JSON.

Exports read what a rebuild stored; they never recompute the network. The
graph formats hold one edge per tie, from its source to its target, with
`confirmed` telling whether both organizations named each other.
"""

import csv
import io
import json

import networkx as nx

FORMATS = ("csv", "xlsx", "graphml", "gexf", "json")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "graphml": "application/xml",
    "gexf": "application/xml",
    "json": "application/json",
}
# A spreadsheet program runs a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
INTEGER_MEASURES = ("in_degree", "out_degree", "core", "component", "community")
FLOAT_MEASURES = (
    "betweenness",
    "closeness",
    "pagerank",
    "constraint",
    "effective_size",
    "x",
    "y",
)


def safe_cell(value):
    """Return `value` so that no spreadsheet program reads it as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _brokerage_roles(nodes):
    return sorted({role for node in nodes for role in node.get("brokerage") or {}})


def organization_rows(snapshot):
    """Return one dict per organization: its name, attributes and measures."""
    nodes = snapshot.read_payload()["nodes"]
    roles = _brokerage_roles(nodes)
    rows = []
    for node in nodes:
        row = {
            "organization": node["name"],
            "id": str(node["id"]),
            "sector": node.get("sector") or "",
            "services": "; ".join(node.get("services") or ()),
            "respondent": bool(node.get("responded")),
            "on_roster": bool(node.get("on_roster")),
            "reported_by_others": bool(node.get("reported_by_others")),
        }
        for measure in INTEGER_MEASURES:
            row[measure] = int(node.get(measure) or 0)
        for measure in FLOAT_MEASURES:
            value = node.get(measure)
            row[measure] = None if value is None else float(value)
        row["position"] = node.get("position") or ""
        brokerage = node.get("brokerage") or {}
        for role in roles:
            row[f"brokerage_{role}"] = brokerage.get(role, 0)
        rows.append(row)
    return rows


def tie_rows(snapshot):
    """Return one dict per tie, organizations named rather than numbered."""
    payload = snapshot.read_payload()
    names = {str(node["id"]): node["name"] for node in payload["nodes"]}
    rows = []
    for tie in payload["ties"]:
        row = {
            "source": names.get(str(tie["source"]), str(tie["source"])),
            "target": names.get(str(tie["target"]), str(tie["target"])),
        }
        for key, value in tie.items():
            if key in ("source", "target"):
                continue
            if key == "reported_by":
                value = [names.get(str(v), str(v)) for v in value]
            row[key] = "; ".join(map(str, value)) if isinstance(value, list) else value
        rows.append(row)
    return rows


def figure_rows(snapshot):
    """Return the round's figures flattened to (figure, value) rows."""
    rows = []

    def walk(prefix, value):
        if isinstance(value, dict):
            for key, item in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), item)
        elif isinstance(value, list):
            rows.append({"figure": prefix, "value": json.dumps(value)})
        else:
            rows.append({"figure": prefix, "value": value})

    walk("", snapshot.figures)
    return rows


def csv_bytes(snapshot):
    """Return the organizations table as UTF-8 CSV, one row per organization."""
    rows = organization_rows(snapshot)
    stream = io.StringIO()
    columns = list(rows[0]) if rows else ["organization"]
    writer = csv.DictWriter(stream, fieldnames=columns)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: safe_cell(v) for k, v in row.items()})
    return stream.getvalue().encode("utf-8")


def xlsx_bytes(snapshot):
    """Return a workbook with sheets organizations, ties and figures."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for title, rows in [
        ("organizations", organization_rows(snapshot)),
        ("ties", tie_rows(snapshot)),
        ("figures", figure_rows(snapshot)),
    ]:
        sheet = workbook.create_sheet(title)
        columns = list(rows[0]) if rows else []
        sheet.append(columns)
        for row in rows:
            sheet.append([safe_cell(row.get(c)) for c in columns])
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def snapshot_graph(snapshot):
    """Return the snapshot as a networkx DiGraph, one edge per tie.

    Attribute values are plain str, int, float or bool so that GraphML and
    GEXF readers (networkx, igraph, Gephi) accept them.
    """
    graph = nx.DiGraph(
        round=snapshot.round.name, version=snapshot.version, edges="one per tie"
    )
    for row in organization_rows(snapshot):
        attributes = {k: v for k, v in row.items() if k != "id" and v is not None}
        attributes["label"] = attributes.pop("organization")
        graph.add_node(row["id"], **attributes)
    for tie in snapshot.ties:
        attributes = {
            key: "; ".join(map(str, value)) if isinstance(value, list) else value
            for key, value in tie.items()
            if key not in ("source", "target") and value is not None
        }
        graph.add_edge(str(tie["source"]), str(tie["target"]), **attributes)
    return graph


def graphml_bytes(snapshot):
    stream = io.BytesIO()
    nx.write_graphml(snapshot_graph(snapshot), stream)
    return stream.getvalue()


def gexf_bytes(snapshot):
    stream = io.BytesIO()
    nx.write_gexf(snapshot_graph(snapshot), stream)
    return stream.getvalue()


def json_bytes(snapshot):
    """Return node-link JSON with the round's figures in `graph`."""
    payload = snapshot.read_payload()
    document = {
        "directed": True,
        "multigraph": False,
        "graph": {
            "round": snapshot.round.name,
            "version": snapshot.version,
            "figures": snapshot.figures,
        },
        "nodes": payload["nodes"],
        "links": payload["ties"],
    }
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


BUILDERS = {
    "csv": csv_bytes,
    "xlsx": xlsx_bytes,
    "graphml": graphml_bytes,
    "gexf": gexf_bytes,
    "json": json_bytes,
}


def export_snapshot(snapshot, format):
    """Return the snapshot in `format`, one of FORMATS, as bytes."""
    return BUILDERS[format](snapshot)
