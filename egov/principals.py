"""Who is acting: the authenticated principal every command and read runs for.

Plain Python (no Django): the front doors resolve a principal once per request
(``egov.portal.accounts.principal_of``) and pass it to the use cases, which decide there who
may act for which NIK. A citizen acts only for their own *verified* NIK; an officer by role
and office; an integrator by the scopes of its credentials; the system for reactions.
Access is decided by ``principal.id``, never by a name the caller typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from egov.eventstore.domain import DomainError, EventMetadata

ANONYMOUS = "anonymous"
CITIZEN = "citizen"
OFFICER = "officer"
INTEGRATOR = "integrator"
SYSTEM = "system"

# Principal ids are prefixed so a user id can never collide with a client id.
USER_PREFIX = "user:"
CLIENT_PREFIX = "client:"
SYSTEM_PREFIX = "system:"


def gettext_noop(message: str) -> str:
    """Marks a message for translation (plain Python: the front doors translate it)."""
    return message


MSG_TIDAK_BERHAK = gettext_noop("Anda tidak berhak melakukan tindakan ini.")
MSG_PERLU_MASUK = gettext_noop("Silakan masuk terlebih dahulu.")
MSG_NIK_BELUM_TERVERIFIKASI = gettext_noop(
    "NIK akun Anda belum terverifikasi. Datang ke kantor Dukcapil dengan e-KTP atau Kartu "
    "Keluarga untuk verifikasi."
)


class AccessDenied(DomainError):
    """The principal may not do this (API: 403; 401 for an anonymous caller)."""

    code = "tidak_berhak"


class NotVisible(DomainError):
    """The record does not exist *for this principal* (API: 404): another citizen's records are
    not even acknowledged to exist (UU PDP)."""

    code = "tidak_ditemukan"


@dataclass(frozen=True)
class Principal:
    kind: str
    id: str  # "user:12", "client:<client id>", "system:<name>", "anonymous"
    name: str  # shown as the actor in events and the audit trail
    subject_id: str = ""  # keyed hash of the citizen's VERIFIED NIK; "" when unverified
    roles: frozenset[str] = field(default_factory=frozenset)
    office: str = ""  # officer's region code prefix ("" = national)
    scopes: frozenset[str] = field(default_factory=frozenset)
    is_admin: bool = False

    @property
    def is_authenticated(self) -> bool:
        return self.kind != ANONYMOUS

    @property
    def is_officer(self) -> bool:
        return self.kind == OFFICER

    def has_role(self, role: str) -> bool:
        """Officer roles; the superuser holds every role."""
        return self.kind == OFFICER and (self.is_admin or role in self.roles)

    def has_scope(self, scope: str) -> bool:
        return self.kind == INTEGRATOR and scope in self.scopes

    def owns(self, subject_id: str) -> bool:
        """A citizen's own data: their verified NIK's subject id, nothing else."""
        return self.kind == CITIZEN and bool(self.subject_id) and self.subject_id == subject_id

    def covers_region(self, region_code: str) -> bool:
        """An officer's office covers the regions whose code starts with it."""
        return not self.office or region_code.startswith(self.office)

    def metadata(
        self, *, source: str, correlation_id: str = "", request_id: str = "", reason: str = ""
    ) -> EventMetadata:
        """Who, when, why for the events this principal causes."""
        extra = {"correlation_id": correlation_id} if correlation_id else {}
        return EventMetadata(
            actor=self.name,
            source=source,
            officer_id=self.name if self.kind == OFFICER else "",
            request_id=request_id,
            reason=reason,
            principal_id=self.id,
            office=self.office,
            **extra,
        )


ANONYMOUS_PRINCIPAL = Principal(kind=ANONYMOUS, id=ANONYMOUS, name=ANONYMOUS)


def system(name: str) -> Principal:
    """The platform itself (workers, beat jobs, policies reacting to events)."""
    return Principal(kind=SYSTEM, id=f"{SYSTEM_PREFIX}{name}", name=name)


def require_authenticated(principal: Principal) -> None:
    if not principal.is_authenticated:
        raise AccessDenied(MSG_PERLU_MASUK, code="perlu_masuk")


def require(allowed: bool, message: str = MSG_TIDAK_BERHAK, *, code: str = "tidak_berhak") -> None:
    """Refuse unless ``allowed`` (an anonymous caller is told to sign in instead)."""
    if not allowed:
        raise AccessDenied(message, code=code)


def require_verified_citizen(principal: Principal) -> str:
    """The citizen's verified subject id, or a refusal saying how to get verified."""
    require_authenticated(principal)
    require(principal.kind == CITIZEN)
    require(bool(principal.subject_id), MSG_NIK_BELUM_TERVERIFIKASI, code="nik_belum_terverifikasi")
    return principal.subject_id
