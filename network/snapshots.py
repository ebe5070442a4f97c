"""Write a computed network into a snapshot: metrics rows and the map payload."""

import gzip
import hashlib
import json
import math
import time

from django.conf import settings
from django.db import connection, transaction

from network.models import NetworkSnapshot, OrganizationMetrics, SnapshotMap

WRITE_IN_PREFIX = "write-in:"
BATCH_SIZE = 1000

# Measures with their own column; anything else the engine returns per
# organization is kept in `extras`.
COLUMNS = {
    "in_degree": 0,
    "out_degree": 0,
    "betweenness": 0.0,
    "closeness": 0.0,
    "pagerank": 0.0,
    "core": 0,
    "component": 0,
    "community": 0,
    "constraint": None,
    "effective_size": None,
    "position": "",
    "x": 0.0,
    "y": 0.0,
    "participant_x": None,
    "participant_y": None,
}
JSON_FIELDS = ("brokerage", "extras")
KNOWN = {
    *COLUMNS,
    "brokerage",
    "reported_by_others",
    "name",
    "sector",
    "on_roster",
    "responded",
}


def plain(value):
    """Return `value` as JSON-safe Python: no NaN, no infinity, no numpy."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return int(value)
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    return value if isinstance(value, int | str | bool) else str(value)


def store_snapshot(round, generation, organizations, result, timings, responses=0):
    """Store `result` as a new snapshot of the round, still marked building.

    The caller flips it to ready in the transaction that records the
    rebuild, so readers never see a half-written snapshot.
    """
    from network.services import next_version

    started = time.perf_counter()
    payload = map_payload(organizations, result)
    blob = gzip.compress(payload_json(payload), compresslevel=6)
    figures = plain(result.figures)

    with transaction.atomic():
        snapshot = NetworkSnapshot.objects.create(
            round=round,
            version=next_version(round),
            status=NetworkSnapshot.Status.BUILDING,
            generation=generation,
            responses_count=responses,
            organizations_count=len(payload["nodes"]),
            ties_count=len(result.ties),
            figures=figures,
            sampling=figures.get("sampling"),
            payload=blob,
        )
        write_metrics(snapshot, organizations, result)
    timings["store"] = time.perf_counter() - started
    snapshot.timings = {stage: round_time(t) for stage, t in timings.items()}
    return snapshot


def store_maps(snapshot, audience, build):
    """Store the snapshot's map payload for `audience` in every language.

    ``build(language)`` returns the payload dict; it is gzipped here, once,
    with an etag naming its content, so map requests only send bytes.
    """
    from network.map_payload import gzip_payload

    maps = []
    for language, _name in settings.LANGUAGES:
        blob = gzip_payload(build(language))
        digest = hashlib.sha256(blob).hexdigest()[:16]
        maps.append(
            SnapshotMap(
                snapshot=snapshot,
                audience=audience,
                language=language,
                payload=blob,
                etag=f"{audience}-{snapshot.pk}-{language}-{digest}",
            )
        )
    SnapshotMap.objects.filter(snapshot=snapshot, audience=audience).delete()
    SnapshotMap.objects.bulk_create(maps)
    return maps


def payload_json(payload):
    """Return the payload as compact JSON bytes, never with NaN in it.

    The engine returns plain Python, so the fast path nearly always works;
    anything else (a NaN, a numpy number) takes the slow, careful path.
    """
    try:
        text = json.dumps(payload, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError):
        text = json.dumps(plain(payload), separators=(",", ":"))
    return text.encode()


def round_time(seconds):
    return float(f"{seconds:.4f}")


def map_payload(organizations, result):
    """Return the map's JSON: nodes with their measures, and ties.

    Ties are stored as rows under `tie_columns`, which keeps a payload of a
    hundred thousand ties a quarter of the size it would be as objects;
    `NetworkSnapshot.read_payload` turns them back into dicts.
    """
    nodes = []
    for row in organizations:
        measures = result.organizations.get(row.id, {})
        nodes.append(
            {
                "id": row.id,
                "name": row.name,
                "sector": row.sector or "",
                "services": list(row.services),
                "on_roster": bool(row.on_roster),
                "responded": bool(row.responded),
                **measures,
            }
        )
    columns = list(result.ties[0]) if result.ties else ["source", "target"]
    ties = [[tie.get(column) for column in columns] for tie in result.ties]
    return {"nodes": nodes, "tie_columns": columns, "ties": ties}


def _metrics_values(snapshot, row, measures):
    values = {
        "snapshot_id": snapshot.pk,
        "name": row.name[:200],
        "on_roster": bool(row.on_roster),
        "responded": bool(row.responded),
        "reported_by_others": bool(measures.get("reported_by_others", False)),
        "brokerage": plain(measures.get("brokerage") or {}),
        "extras": plain({k: v for k, v in measures.items() if k not in KNOWN}),
    }
    if isinstance(row.id, str) and row.id.startswith(WRITE_IN_PREFIX):
        values["organization_id"] = None
        values["write_in_key"] = row.id[len(WRITE_IN_PREFIX) :][:200]
    else:
        values["organization_id"] = int(row.id)
        values["write_in_key"] = ""
    for column, default in COLUMNS.items():
        value = measures.get(column)
        if isinstance(value, float) and not math.isfinite(value):
            value = None
        values[column] = default if value is None else plain(value)
    values["position"] = str(values["position"] or "")[:20]
    return values


def write_metrics(snapshot, organizations, result):
    """Write one metrics row per organization: COPY on PostgreSQL, else one
    prepared INSERT run over batches of rows."""
    fields = [f for f in OrganizationMetrics._meta.concrete_fields if not f.primary_key]
    rows = (
        _metrics_row(fields, snapshot, row, result.organizations.get(row.id, {}))
        for row in organizations
    )
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(OrganizationMetrics._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for values in rows:
                    copy.write_row(values)
            return
        insert = (
            f"INSERT INTO {table} ({columns}) "
            f"VALUES ({', '.join(['%s'] * len(fields))})"
        )
        batch = []
        for values in rows:
            batch.append(values)
            if len(batch) >= BATCH_SIZE:
                cursor.executemany(insert, batch)
                batch = []
        if batch:
            cursor.executemany(insert, batch)


def _metrics_row(fields, snapshot, row, measures):
    values = _metrics_values(snapshot, row, measures)
    for name in JSON_FIELDS:
        values[name] = json.dumps(values[name])
    return [values[f.attname] for f in fields]
