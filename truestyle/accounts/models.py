"""Users, addresses, sign-in sessions and password-reset codes, all on MongoDB."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils import timezone

from truestyle.accounts.roles import STAFF_PERMISSIONS


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, password, **fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A shopper or a staff member. Staff are users with a staff role (see roles.py)."""

    email = models.EmailField(unique=True)
    name = models.CharField(max_length=150, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    # False for blocked and deactivated accounts: Django's backends refuse them.
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    blocked_at = models.DateTimeField(null=True, blank=True)
    blocked_reason = models.CharField(max_length=300, blank=True)
    deactivated_at = models.DateTimeField(null=True, blank=True)
    date_joined = models.DateTimeField(default=timezone.now)
    # Bumped by every role or permission change: the permission cache key carries it.
    permissions_version = models.PositiveIntegerField(default=0)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        db_table = "users"
        permissions = STAFF_PERMISSIONS

    def __str__(self):
        return self.email

    @property
    def status(self) -> str:
        if self.blocked_at:
            return "blocked"
        if self.deactivated_at:
            return "deactivated"
        return "active" if self.is_active else "inactive"

    def get_full_name(self):
        return self.name or self.email

    def get_short_name(self):
        return (self.name or self.email).split(" ")[0]


class Address(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="addresses")
    label = models.CharField(max_length=40, blank=True, help_text="Home, Work…")
    name = models.CharField(max_length=150)
    phone = models.CharField(max_length=20)
    line1 = models.CharField(max_length=200)
    line2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100)
    state = models.CharField(max_length=100)
    pincode = models.CharField(max_length=6)
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "addresses"
        ordering = ["-is_default", "created_at"]

    def __str__(self):
        return f"{self.name}, {self.line1}, {self.city} {self.pincode}"


class BrowserSession(AbstractBaseSession):
    """A signed-in browser: Django's session, plus whose it is and where it came from."""

    user_id = models.CharField(max_length=24, blank=True, db_index=True)
    device = models.CharField(max_length=300, blank=True)
    ip_address = models.CharField(max_length=45, blank=True)
    # Written on every save of the session, i.e. whenever the session changed.
    last_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "browser_sessions"

    @classmethod
    def get_session_store_class(cls):
        from truestyle.accounts.session_store import SessionStore

        return SessionStore


class RefreshSession(models.Model):
    """One issued refresh token of the mobile API (the store's `sessions`).

    Tokens of one sign-in form a family: each refresh rotates to a new token of
    the same family. Presenting a rotated token again revokes the whole family.
    """

    jti = models.CharField(max_length=64, unique=True)
    family = models.CharField(max_length=64, db_index=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="refresh_sessions")
    device = models.CharField(max_length=300, blank=True)
    ip_address = models.CharField(max_length=45, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    rotated_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=40, blank=True)

    class Meta:
        db_table = "sessions"


class PasswordResetCode(models.Model):
    """A one-time code for resetting a password. Only its HMAC is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_reset_codes")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    invalidated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "password_reset_codes"
        ordering = ["-created_at"]
