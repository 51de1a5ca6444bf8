"""``gongkai manage create_api_token USERNAME [--name 用途]``: print a new API token once.

The token is issued by :func:`gongkai.accounts.services.issue_api_token` as the command line
(:data:`gongkai.accounts.rules.COMMAND_LINE`), so the audit log records it.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from gongkai.accounts.models import User
from gongkai.accounts.rules import COMMAND_LINE
from gongkai.accounts.services import issue_api_token


class Command(BaseCommand):
    help = "为用户创建 API 令牌（只显示一次） / create an API token for a user (shown once)"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="用途 / what the token is for")

    def handle(self, *args, username, name, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有用户 {username} / no user named {username!r}")
        try:
            _row, token = issue_api_token(actor=COMMAND_LINE, user=user, name=name)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stderr.write("请妥善保存，令牌只显示这一次 / keep it safe: it is shown only once")
        self.stdout.write(token)
