"""``gongkai manage reset_second_factor USERNAME``: remove a user's authenticator and recovery
codes (a lost phone); they enrol again at their next login. Audited as the command line."""

from django.core.management.base import BaseCommand, CommandError

from gongkai.accounts.models import User
from gongkai.accounts.rules import COMMAND_LINE
from gongkai.accounts.second_factor import reset_for


class Command(BaseCommand):
    help = "重置用户的双因素登录（手机丢失时） / remove a user's second-factor devices"

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有用户 {username} / no user named {username!r}")
        removed = reset_for(actor=COMMAND_LINE, user=user)
        self.stdout.write(
            f"已删除 {removed} 个设备，{username} 下次登录时重新设置 / removed {removed} "
            f"devices; {username} enrols again at the next login"
        )
