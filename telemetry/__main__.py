"""``python -m telemetry migrate|status|retention|bench|loadgen|demo|export|retrain`` (database from MODROUTE_DATABASE_URL / data dir)."""

from __future__ import annotations

import argparse
import json
import logging
import sys


def _store(args):
    from runtime.settings import Settings
    from telemetry import database_url
    from telemetry.store import TelemetryStore

    settings = Settings()
    if args.url:
        return TelemetryStore(args.url)
    from pathlib import Path

    Path(settings.data_dir).mkdir(parents=True, exist_ok=True)
    return TelemetryStore(database_url(settings))


def main(argv: list[str] | None = None) -> int:
    from telemetry import bench, demo, export, loadgen

    p = argparse.ArgumentParser(prog="python -m telemetry", description=__doc__)
    sub = p.add_subparsers(dest="cmd", required=True)
    for name, help_ in (("migrate", "apply missing schema migrations"),
                        ("status", "migrations, row counts, spool")):
        s = sub.add_parser(name, help=help_)
        s.add_argument("--url", default="", help="database URL (default: from settings)")
    r = sub.add_parser("retention", help="delete raw text older than N days (keeps aggregates)")
    r.add_argument("--url", default="")
    r.add_argument("--days", type=float, default=None, help="default: MODROUTE_RETENTION_DAYS")
    bench.add_arguments(sub.add_parser("bench", help="events/s per backend and per-turn overhead"))
    loadgen.add_arguments(sub.add_parser("loadgen", help="steady event stream (durability tests)"))
    demo.add_arguments(sub.add_parser("demo", help="fill a database with synthetic traffic (admin analytics demo)"))
    export.add_arguments(sub.add_parser("export", help="interactions, ratings, signals as CSV/JSONL/Parquet"))
    rt = sub.add_parser("retrain", help="train a candidate router version from telemetry labels (prints JSON)")
    rt.add_argument("--url", default="")
    rt.add_argument("--out", default="", help="versions dir (default: <data_dir>/router/versions)")
    rt.add_argument("--min-labels", type=int, default=None, help="default: MODROUTE_RETRAIN_MIN_LABELS")
    args = p.parse_args(argv)
    quiet = args.cmd in ("bench", "loadgen")  # their stdout is the result; keep stderr for problems
    logging.basicConfig(level=logging.WARNING if quiet else logging.INFO, format="%(levelname)s %(name)s: %(message)s")

    if args.cmd == "bench":
        return bench.run(args)
    if args.cmd == "loadgen":
        return loadgen.main(args)

    from sqlalchemy import exc as sa_exc

    store = _store(args)
    try:
        if args.cmd == "migrate":
            applied = store.migrate()
            print(json.dumps({"applied_now": applied, "applied": store.applied_migrations()}))
        elif args.cmd == "status":
            from telemetry import migrations

            out = {"database": repr(store), "applied": store.applied_migrations(), "known": migrations.names()}
            if out["applied"]:
                out["rows"] = {t: store.count(t) for t in ("sessions", "interactions", "feedback", "signals",
                                                           "escalations", "router_versions")}
            print(json.dumps(out))
        elif args.cmd == "retention":
            from telemetry import TelemetrySettings
            from telemetry.retention import run_retention

            days = args.days if args.days is not None else TelemetrySettings().retention_days
            store.migrate()
            print(json.dumps(run_retention(store, days)))
        elif args.cmd == "demo":
            return demo.run(store, args)
        elif args.cmd == "export":
            store.migrate()
            return export.run(store, args)
        elif args.cmd == "retrain":
            from telemetry.retrain import run_from_settings

            store.migrate()
            result = run_from_settings(store, out_dir=args.out or None, min_labels=args.min_labels)
            print(json.dumps(result.to_dict()))
    except sa_exc.OperationalError as e:
        print(f"telemetry database unreachable ({store!r}): {str(e).splitlines()[0]}", file=sys.stderr)
        return 1
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
