"""TOTP enrolment and verification (django-otp): the services behind the 2FA screens."""

from __future__ import annotations

import base64
import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice


def totp_device_pending(*, user: AbstractBaseUser) -> TOTPDevice:
    """The unconfirmed device to enrol, created once and reused until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Приложение-аутентификатор", confirmed=False)
    return device


def totp_secret_base32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def totp_qr_svg(device: TOTPDevice) -> str:
    url = device.config_url.replace("issuer=", f"issuer={settings.OTP_TOTP_ISSUER}&x=", 1)
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


@transaction.atomic
def totp_confirm(*, device: TOTPDevice, token: str) -> bool:
    """Confirm enrolment with a first valid code; other pending devices of the user go."""
    if not device.verify_token(token.strip()):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    return True
