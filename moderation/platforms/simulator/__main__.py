"""`python -m moderation.platforms.simulator --port 8765`: the demo platform (server.py), with
the demo accounts of the seed file (seeding.py) and a trickle of citizens' comments
(trickle.py). `manage.py runall` starts it when PLATFORM_SIMULATOR_URL is set."""

import argparse
import logging
import os
import signal
import sys
from pathlib import Path


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m moderation.platforms.simulator",
        description="Demoplattformen: en simulator av plattformarnas API för demo och test.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="bara 127.0.0.1 eller localhost")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--seed-file", type=Path, help="demokontona och deras token (skrivs av seed_demo)"
    )
    parser.add_argument(
        "--trickle-seconds",
        type=float,
        default=8.0,
        help="sekunder mellan demokommentarerna; 0 stänger av dem",
    )
    parser.add_argument("--trickle-seed", type=int, default=None)
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s simulator %(message)s")
    # The platforms' simulator modules may use Django's translations.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "atvida_social.settings")
    import django

    django.setup()

    from . import app, seeding, server, trickle

    entries = seeding.read_seed_file(args.seed_file) if args.seed_file else []
    dripping = None
    if args.trickle_seconds > 0:
        dripping = trickle.Trickle(
            app.STATE, [], seed=args.trickle_seed, interval=args.trickle_seconds
        )
    try:
        httpd = server.make_server(args.host, args.port, seed=entries, trickle=dripping)
    except (ValueError, OSError) as error:
        print(f"Simulatorn startade inte: {error}", file=sys.stderr)
        return 2
    accounts = len(httpd.get_app().applied)
    print(server.banner(httpd), flush=True)
    print(f"DEMOPLATTFORM: {accounts} demokonton.", flush=True)

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    if dripping is not None:
        dripping.start()
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        if dripping is not None:
            dripping.stop()
        httpd.server_close()
    print("DEMOPLATTFORM: simulatorn har stoppats.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
