"""Input and output shapes of the accounts API: one input and one output serializer per action."""

from rest_framework import serializers

from api.serializers import PlainCharField, StrictSerializer


class RegisterInput(StrictSerializer):
    email = PlainCharField(max_length=254)
    name = PlainCharField(max_length=150)
    phone = PlainCharField(max_length=20, required=False, allow_blank=True, default="")
    password = PlainCharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})


class UserOutput(serializers.Serializer):
    id = serializers.CharField()
    email = serializers.EmailField()
    name = serializers.CharField()
    phone = serializers.CharField()
    status = serializers.CharField()
    is_staff = serializers.BooleanField()
    date_joined = serializers.DateTimeField()


class TokenInput(StrictSerializer):
    email = PlainCharField(max_length=254)
    password = PlainCharField(max_length=128, trim_whitespace=False)
    device = PlainCharField(max_length=300, required=False, allow_blank=True, default="")


class TokenPairOutput(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()
    token_type = serializers.CharField(default="Bearer")
    expires_in = serializers.IntegerField(help_text="Seconds until the access token expires.")


class RefreshInput(StrictSerializer):
    refresh = PlainCharField()
    device = PlainCharField(max_length=300, required=False, allow_blank=True, default="")


class LogoutInput(StrictSerializer):
    refresh = PlainCharField()


class OtpRequestInput(StrictSerializer):
    email = PlainCharField(max_length=254)


class DetailOutput(serializers.Serializer):
    detail = serializers.CharField()


class PasswordResetInput(StrictSerializer):
    email = PlainCharField(max_length=254)
    code = serializers.RegexField(r"^\d{6}$", error_messages={"invalid": "Enter the 6-digit code."})
    new_password = PlainCharField(max_length=128, trim_whitespace=False)


class ProfileInput(StrictSerializer):
    name = PlainCharField(max_length=150, required=False)
    phone = PlainCharField(max_length=20, required=False, allow_blank=True)


class EmailChangeInput(StrictSerializer):
    new_email = PlainCharField(max_length=254)
    password = PlainCharField(max_length=128, trim_whitespace=False)


class PasswordChangeInput(StrictSerializer):
    current_password = PlainCharField(max_length=128, trim_whitespace=False)
    new_password = PlainCharField(max_length=128, trim_whitespace=False)


class PasswordConfirmInput(StrictSerializer):
    password = PlainCharField(max_length=128, trim_whitespace=False)


class AddressInput(StrictSerializer):
    label = PlainCharField(max_length=40, required=False, allow_blank=True, default="")
    name = PlainCharField(max_length=150)
    phone = PlainCharField(max_length=20)
    line1 = PlainCharField(max_length=200)
    line2 = PlainCharField(max_length=200, required=False, allow_blank=True, default="")
    city = PlainCharField(max_length=100)
    state = PlainCharField(max_length=100)
    pincode = PlainCharField(max_length=6)
    is_default = serializers.BooleanField(required=False, default=False)


class AddressOutput(serializers.Serializer):
    id = serializers.CharField()
    label = serializers.CharField()
    name = serializers.CharField()
    phone = serializers.CharField()
    line1 = serializers.CharField()
    line2 = serializers.CharField()
    city = serializers.CharField()
    state = serializers.CharField()
    pincode = serializers.CharField()
    is_default = serializers.BooleanField()


class SessionOutput(serializers.Serializer):
    id = serializers.CharField(help_text="Family id (app) or session key (browser); use it to sign that one out.")
    kind = serializers.ChoiceField(choices=["app", "browser"])
    device = serializers.CharField()
    ip_address = serializers.CharField()
    last_active = serializers.DateTimeField()
    current = serializers.BooleanField()
