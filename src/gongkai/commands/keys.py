"""``gongkai keys status|rotate``: the keys that encrypt applicants' personal data
(gongkai.personaldata; docs/security.md).

``rotate`` adds a new key to ``GONGKAI_DATA_DIR/data_keys.json`` (or, with the keys in
``GONGKAI_DATA_KEY``, uses the highest id there) and re-encrypts every value under it in
batches, each committed on its own: interrupt it at any point and run ``rotate --resume``
to go on without making yet another key.
"""

from __future__ import annotations

import argparse

from gongkai.commands import UsageError, setup_database

HELP = "个人信息加密密钥：状态与轮换 / the personal-data keys: status and rotation"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=("status", "rotate"), help="status or rotate")
    parser.add_argument(
        "--resume",
        action="store_true",
        help="rotate: no new key, only re-encrypt what is still under an older one",
    )
    parser.add_argument(
        "--batch-size", type=int, default=500, help="rows per transaction (default 500)"
    )
    parser.add_argument(
        "--max-batches",
        type=int,
        default=None,
        help="rotate: stop after N batches (go on later with --resume)",
    )


def run(args: argparse.Namespace) -> int:
    setup_database()
    from gongkai.personaldata.keys import DataKeyError, add_key, key_ring
    from gongkai.personaldata.rotation import count_by_key, rotate

    if args.max_batches is not None and args.max_batches < 1:
        raise UsageError("--max-batches 须为正整数 / --max-batches must be at least 1")
    if args.batch_size < 1:
        raise UsageError("--batch-size 须为正整数 / --batch-size must be at least 1")
    try:
        if args.action == "rotate":
            if not args.resume and _from_file():
                new_id = add_key()
                print(f"新密钥 {new_id} 已加入密钥文件 / key {new_id} added to the key file")
            result = rotate(batch_size=args.batch_size, max_batches=args.max_batches, out=_say)
            if result.finished:
                print(
                    f"轮换完成：{result.values} 个值已用密钥 {result.current_key} 重新加密 / "
                    f"rotation done: {result.values} values re-encrypted under key "
                    f"{result.current_key}"
                )
            else:
                print(
                    f"已停止（{result.batches} 批），用 --resume 继续 / stopped after "
                    f"{result.batches} batches; go on with --resume"
                )
        ring = key_ring()
    except DataKeyError as error:
        raise UsageError(str(error)) from None
    print(f"密钥来源 / keys from: {ring.source}")
    print(f"当前密钥 / current key: {ring.current_id}; 全部 / all: {sorted(ring.keys)}")
    for label, counts in count_by_key().items():
        shown = ", ".join(
            f"{'明文 plaintext' if k is None else f'key {k}'}: {n}"
            for k, n in sorted(counts.items(), key=lambda item: -1 if item[0] is None else item[0])
        )
        print(f"{label}: {shown or '无数据 / no values'}")
    return 0


def _from_file() -> bool:
    from gongkai.env import env_str

    return not env_str("GONGKAI_DATA_KEY")


def _say(line: str) -> None:
    print(line, flush=True)  # one line per committed batch, as it happens
