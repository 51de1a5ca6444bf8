"""``gongkai demo``: a populated demo county in the data directory, served at once.

Migrates the database (by default the embedded SQLite file in GONGKAI_DATA_DIR), loads the
demo county (:mod:`gongkai.demo`), collects static files, prints the URL and the demo logins,
then serves the site like ``gongkai serve``. Running it again changes nothing in the data.
"""

from __future__ import annotations

import argparse
import logging

from gongkai.commands import setup_django
from gongkai.commands.serve import add_server_arguments, collect_static, serve_forever

HELP = "载入演示县并启动网站 / load the demo county and serve it"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_server_arguments(parser)
    parser.add_argument(
        "--no-serve",
        action="store_true",
        help="load the demo data and print the logins, but do not serve",
    )


def run(args: argparse.Namespace) -> int:
    setup_django(migrate=True)
    from django.conf import settings
    from django.db import connection

    from gongkai.demo import load_demo
    from gongkai.demo.staff import DEMO_PASSWORD, demo_logins, demo_second_factors

    print(f"数据目录 / data directory: {settings.DATA_DIR}")
    print(f"数据库 / database: {connection.vendor} {connection.settings_dict['NAME']}")
    # The steps' own INFO logging (each workflow transition) would bury the summary lines.
    logging.disable(logging.INFO)
    try:
        load_demo(out=print)
    finally:
        logging.disable(logging.NOTSET)
    collect_static()
    shown = f"[{args.host}]" if ":" in args.host else args.host
    print()
    print(f"网址 / URL: http://{shown}:{args.port}/")
    print(f"后台管理 / back office: http://{shown}:{args.port}/admin/ (admin)")
    print(f"演示账号 / demo logins (密码 / password: {DEMO_PASSWORD})")
    for username, role, agency in demo_logins():
        print(f"  {username:<15} {agency}（{role}）")
    print(
        "双因素登录 / second factor (TOTP 密钥，填入身份验证器应用 / secret for an authenticator app):"
    )
    for username, secret in demo_second_factors():
        print(f"  {username:<15} {secret}")
    if args.no_serve:
        return 0
    print()
    serve_forever(
        host=args.host, port=args.port, threads=8, server=args.server, workers=args.workers
    )
    return 0
