"""``gongkai publish-static [--clear]``: (re)build the tree of static pages nginx serves.

Empties ``GONGKAI_PAGES_DIR`` and writes every anonymous portal page again — the home page, the
政府信息公开 index, each agency's column and each published item (gongkai.sites.static_publish,
docs/static-publishing.md). Publishing, correcting and withdrawing keep the tree current by
themselves; this command is for a first build, after restoring a backup or changing templates.
``--clear`` only empties the tree (nginx then asks the platform for every page).
"""

from __future__ import annotations

import argparse

from gongkai.commands import setup_database

HELP = "生成静态页面（供nginx直接提供） / build the static pages nginx serves"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--clear",
        action="store_true",
        help="只清空静态页面目录 / only empty the tree (every page falls back to the platform)",
    )


def run(args: argparse.Namespace) -> int:
    setup_database()
    from gongkai.sites import static_publish

    root = static_publish.pages_dir()
    if args.clear:
        static_publish.clear()
        print(f"已清空 / emptied {root}")
        return 0
    written, skipped = static_publish.publish_all(out=print)
    print(
        f"已生成 {written} 个页面，跳过 {skipped} 个 / wrote {written} pages to {root}, skipped {skipped}"
    )
    return 0
