import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from qorgau.accounts.models import User
from qorgau.demo.second_factor import demo_code, ensure_demo_authenticators


@pytest.fixture
def demo_users(db):
    call_command("seed", children=30, seed=3, verbosity=0)


def test_every_demo_user_gets_one_demo_authenticator_however_often_it_runs(demo_users):
    added = ensure_demo_authenticators()
    assert added > 0
    assert ensure_demo_authenticators() == 0
    assert TOTPDevice.objects.filter(user__username="caseworker.pavlodar").count() == 1


def test_the_demo_code_is_one_the_authenticator_accepts(demo_users):
    ensure_demo_authenticators()
    device = TOTPDevice.objects.get(user__username="supervisor.astana")
    assert device.verify_token(demo_code("supervisor.astana"))


def test_no_demo_code_for_a_real_account_or_in_production(demo_users, settings):
    ensure_demo_authenticators()
    colleague = User.objects.get(username="caseworker.pavlodar")
    real = User.objects.create_user(
        username="real.account",
        password="x" * 16,
        role=colleague.role,
        organisation=colleague.organisation,
    )
    TOTPDevice.objects.create(user=real, name="phone", confirmed=True)
    with pytest.raises(CommandError, match="no demo authenticator"):
        call_command("demo_code", "real.account")
    settings.PRODUCTION = True
    with pytest.raises(PermissionError):
        demo_code("caseworker.pavlodar")
