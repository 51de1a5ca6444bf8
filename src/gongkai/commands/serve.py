"""``gongkai serve``: serve the site with granian (docs/adr/0002-granian.md), or waitress
(``--server waitress``, docs/adr/0001-waitress.md), production WSGI servers.

Static files are served by WhiteNoise from the data directory, so no separate web server is
needed for them; put a reverse proxy in front for TLS. Anonymous portal pages are answered from
the static tree (docs/static-publishing.md).
"""

from __future__ import annotations

import argparse
import os

from gongkai.commands import UsageError, refuse_unmigrated, setup_django
from gongkai.env import env_int, env_str

HELP = "提供网站服务 / serve the site (granian or waitress, production WSGI servers)"
SERVERS = ("granian", "waitress")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_server_arguments(parser)
    parser.add_argument(
        "--threads",
        type=int,
        default=env_int("GONGKAI_THREADS", 8),
        help="worker threads (per process under granian; default 8, or GONGKAI_THREADS)",
    )


def add_server_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    parser.add_argument(
        "--server",
        choices=SERVERS,
        default=env_str("GONGKAI_SERVER", "granian") or "granian",
        help="WSGI server (default granian, or GONGKAI_SERVER; docs/adr/0002-granian.md)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=env_int("GONGKAI_WORKERS", 2),
        help="processes under granian (default 2, or GONGKAI_WORKERS)",
    )


def accounts_with_demo_password() -> list[str]:
    """Return the user names of active accounts whose password is gongkai.demo's published one.

    Each password hash is checked once (about half a second each); a hash found not to be the
    demo password is remembered in the cache, so a restart checks only new or changed ones.
    """
    import hashlib

    from django.contrib.auth.hashers import check_password
    from django.core.cache import cache

    from gongkai.accounts.models import User
    from gongkai.demo.staff import DEMO_PASSWORD

    found = []
    for username, encoded in User.objects.filter(is_active=True).values_list(
        "username", "password"
    ):
        key = "demo-password-checked:" + hashlib.sha256(encoded.encode()).hexdigest()
        if cache.get(key):
            continue
        if check_password(DEMO_PASSWORD, encoded):
            found.append(username)
        else:
            cache.set(key, True, timeout=None)
    return sorted(found)


def refuse_demo_passwords() -> None:
    """Refuse to serve in production while an active account has the demo password."""
    from django.conf import settings

    if settings.DEBUG:
        return
    names = accounts_with_demo_password()
    if names:
        shown = ", ".join(names)
        raise UsageError(
            f"以下账号仍使用公开的演示密码，生产环境拒绝启动：{shown}。请修改密码"
            "（gongkai manage changepassword 用户名）或在后台停用这些账号 / "
            f"these active accounts still have the published demo password: {shown}; change "
            "their passwords (gongkai manage changepassword USERNAME) or deactivate them before "
            "serving (gongkai demo serves the demo as it is)"
        )


def sweep_orphans() -> None:
    """Delete uploads a killed server left without their row, older than an hour (another
    server process may be committing a younger one; gongkai.records.files)."""
    from gongkai.records.files import sweep_orphan_files

    swept = sweep_orphan_files(older_than_seconds=3600)
    if swept:
        print(f"gongkai: 已清理 {len(swept)} 个孤立文件 / swept {len(swept)} orphan files")


def collect_static() -> None:
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


def serve_forever(
    *, host: str, port: int, threads: int = 8, server: str = "granian", workers: int = 2
) -> None:
    """Serve the WSGI application until interrupted."""
    if not 1 <= port <= 65535:
        raise UsageError(
            f"端口应在 1–65535 之间，实际为 {port} / the port must be 1-65535, got {port}"
        )
    if threads < 1:
        raise UsageError(
            f"线程数至少为 1，实际为 {threads} / --threads must be at least 1, got {threads}"
        )
    if workers < 1:
        raise UsageError(
            f"进程数至少为 1，实际为 {workers} / --workers must be at least 1, got {workers}"
        )
    options = {}
    trusted_proxy = env_str("GONGKAI_TRUSTED_PROXY")
    if trusted_proxy:
        # Behind a reverse proxy: believe its X-Forwarded-* headers (client address, https).
        options = {
            "trusted_proxy": trusted_proxy,
            "trusted_proxy_headers": "x-forwarded-for x-forwarded-host x-forwarded-proto x-forwarded-port",
            "clear_untrusted_proxy_headers": True,
        }
    shown = f"[{host}]" if ":" in host else host
    print(f"gongkai: http://{shown}:{port}/  (Ctrl+C 停止 / to stop)", flush=True)
    if host not in ("127.0.0.1", "localhost", "::1"):
        from django.conf import settings

        print(
            "提示：从其他电脑访问时，须把网址中的主机名加入 GONGKAI_ALLOWED_HOSTS（当前："
            f"{','.join(settings.ALLOWED_HOSTS)}） / to reach the site from other machines, add "
            "the host name they use to GONGKAI_ALLOWED_HOSTS",
            flush=True,
        )
    try:
        if server == "granian":
            serve_granian(host=host, port=port, threads=threads, workers=workers)
        else:
            import waitress

            from gongkai.wsgi import application

            waitress.serve(
                application, host=host, port=port, threads=threads, ident="gongkai", **options
            )
    except OSError as error:
        raise UsageError(
            f"无法在 {host}:{port} 上监听（端口被占用或地址无效）：{error} / "
            f"cannot listen on {host}:{port} (port in use or bad address): {error}"
        ) from None


def check_address(host: str, port: int) -> None:
    """Raise OSError when ``host:port`` cannot be listened on: another server listens there, or
    it is not an address of this machine.

    With SO_REUSEADDR, as granian (and waitress) listen: connections a killed server left in
    TIME_WAIT do not count, so a server restarted after a crash gets its port back at once."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))
        probe.listen()


def serve_granian(*, host: str, port: int, threads: int, workers: int) -> None:
    """Run gongkai.wsgi under granian: ``workers`` processes of ``threads`` threads each. The
    address is tried first, so a port in use gets the same message as under waitress."""
    from granian import Granian
    from granian.constants import Interfaces

    check_address(host, port)
    # The worker processes import gongkai.wsgi, which reads these (GONGKAI_TRUSTED_PROXY).
    os.environ["GONGKAI_SERVER"] = "granian"
    Granian(
        "gongkai.wsgi:application",
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        workers=workers,
        blocking_threads=threads,
        respawn_failed_workers=True,
        log_level="warning",
    ).serve()


def refuse_unusable_keys() -> None:
    """Refuse to serve when the personal-data keys do not open the stored data (docs/security.md)."""
    from gongkai.personaldata.keys import DataKeyError
    from gongkai.personaldata.rotation import check_keys_open_the_data

    try:
        check_keys_open_the_data()
    except DataKeyError as error:
        raise UsageError(
            f"个人信息密钥无法解密已存数据，拒绝启动 / the personal-data keys do not open the "
            f"stored data; not serving: {error}"
        ) from None


def clear_static_pages() -> None:
    """Empty the tree of static pages: they were rendered by the code and data of an earlier
    run (an upgrade changes templates; a restore changes data); visits fill it again."""
    from gongkai.sites import static_publish

    static_publish.clear()


def run(args: argparse.Namespace) -> int:
    # The production server answers anonymous pages from the static tree (a page cache that
    # publishing keeps current): docs/static-publishing.md. GONGKAI_PAGE_CACHE=0 turns it off.
    os.environ.setdefault("GONGKAI_PAGE_CACHE", "1")
    setup_django()
    refuse_unmigrated()
    refuse_unusable_keys()
    refuse_demo_passwords()
    collect_static()
    sweep_orphans()
    clear_static_pages()
    os.environ.setdefault("GONGKAI_SERVING", "1")
    serve_forever(
        host=args.host,
        port=args.port,
        threads=args.threads,
        server=args.server,
        workers=args.workers,
    )
    return 0
