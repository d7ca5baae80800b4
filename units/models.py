from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

# Mã định danh (QĐ 20/2020/QĐ-TTg): dot-separated groups of digits and capitals, e.g. 000.00.00.H41.
UNIT_CODE_MAX_LENGTH = 35
unit_code_validator = RegexValidator(
    r"^[0-9A-Z]+(\.[0-9A-Z]+)*$",
    message=_(
        "An identifier code is groups of the digits 0-9 and the capital letters A-Z "
        "separated by dots, for example 000.00.00.H41."
    ),
    code="invalid_unit_code",
)


class UnitKind(models.TextChoices):
    NATIONAL = "national", _("Central")
    PROVINCE = "province", _("Provincial / city party committee")
    COMMITTEE = "committee", _("Directly subordinate party committee")
    COMMUNE = "commune", _("Commune party committee")
    WARD = "ward", _("Ward party committee")
    SPECIAL_ZONE = "special_zone", _("Special zone party committee")
    AGENCY = "agency", _("Advisory agency")
    DEPARTMENT = "department", _("Department")
    FRONT = "front", _("Fatherland Front and socio-political organisation")
    GRASSROOTS = "grassroots", _("Grassroots party organisation")
    CELL = "cell", _("Party cell")


class Unit(MP_Node):
    """A party unit. The tree is a materialized path so a subtree is one indexed prefix query."""

    code = models.CharField(
        _("identifier code"),
        max_length=UNIT_CODE_MAX_LENGTH,
        unique=True,
        validators=[unit_code_validator],
    )
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.opened_on and self.closed_on and self.closed_on < self.opened_on:
            raise ValidationError(
                {"closed_on": _("The closing date must not be before the opening date.")}
            )


class Membership(models.Model):
    """Ties a user to a unit with a role; a reviewer or viewer acts on the unit's whole subtree."""

    class Role(models.TextChoices):
        CLERK = "clerk", _("Clerk")
        REVIEWER = "reviewer", _("Reviewer")
        VIEWER = "viewer", _("Viewer")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique_role")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.unit}"
