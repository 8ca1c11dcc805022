"""The user's settings: ``kith.toml`` beside the database (or ``--config``), then the environment.

Everything has a working default, so the file is optional. Example::

    # data/kith.toml
    phone_region = "DE"            # numbers written without +CC are German
    inbox = "~/Downloads/kith-inbox"  # default: inbox/ beside the database
    out = "out"                    # relative to this file's folder
    list_size = 10
    timezone = "Europe/Stockholm"  # for the schedule; default: this machine's
    schedule = "0 8 * * 1"         # cron, for `kith serve`: Mondays 08:00

    [owner]                        # you: never a contact, never on the list
    names = ["Mara Lindqvist"]
    emails = ["mara@example.com", "mara.lindqvist@work.example"]
    linkedin = ["https://www.linkedin.com/in/mara-lindqvist"]

Environment overrides: ``KITH_PHONE_REGION``, ``KITH_OWNER_EMAILS`` and ``KITH_OWNER_NAMES``
(comma-separated), ``KITH_INBOX``, ``KITH_OUT``, ``KITH_LIST_SIZE``, ``KITH_TIMEZONE``,
``KITH_SCHEDULE``. A key kith does not know is an error, so a typo is not silently ignored.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping


from transforms.normalize import clean_text, linkedin_slug, normalize_email
from transforms.owner import Owner

CONFIG_NAME = "kith.toml"

# section -> key -> expected type, as written in the file
KEYS: dict[str | None, dict[str, type]] = {
    None: {"phone_region": str, "inbox": str, "out": str, "list_size": int, "timezone": str, "schedule": str},
    "owner": {"names": list, "emails": list, "linkedin": list},
}
ENV = {"KITH_PHONE_REGION": (None, "phone_region"), "KITH_OWNER_EMAILS": ("owner", "emails"),
       "KITH_OWNER_NAMES": ("owner", "names"), "KITH_INBOX": (None, "inbox"), "KITH_OUT": (None, "out"),
       "KITH_LIST_SIZE": (None, "list_size"), "KITH_TIMEZONE": (None, "timezone"),
       "KITH_SCHEDULE": (None, "schedule")}
DEFAULT_SCHEDULE = "0 8 * * 1"  # Mondays at 08:00, in the user's time zone


class ConfigError(ValueError):
    """A settings file or variable kith cannot use; the message names it."""


@dataclass(frozen=True)
class Settings:
    owner: Owner = field(default_factory=Owner)
    phone_region: str | None = None
    inbox: Path | None = None  # None: inbox/ beside the database
    out: Path | None = None  # None: out/ beside the database
    list_size: int = 10
    timezone: str | None = None  # IANA name; None: the machine's own
    schedule: str = DEFAULT_SCHEDULE  # cron, for `kith serve`
    path: Path | None = None  # the file read, if any
    origins: Mapping[str, str] = field(default_factory=dict)  # setting -> where it came from

    def effective(self) -> list[tuple[str, str, str]]:
        """(setting, value, where it came from) for `kith config`."""
        owner = self.owner
        values = {
            "owner.names": ", ".join(sorted(owner.names)) or "(from your exports)",
            "owner.emails": ", ".join(sorted(owner.emails)) or "(from your exports)",
            "owner.linkedin": ", ".join(sorted(owner.linkedin_slugs)) or "(from your exports)",
            "phone_region": self.phone_region or "(none: numbers without +CC are kept as written)",
            "inbox": str(self.inbox) if self.inbox else "inbox/ beside the database",
            "out": str(self.out) if self.out else "out/ beside the database",
            "list_size": str(self.list_size),
            "timezone": self.timezone or "(this machine's)",
            "schedule": self.schedule,
        }
        return [(key, value, self.origins.get(key, "default")) for key, value in values.items()]


def config_path(db: Path, explicit: Path | None = None) -> Path:
    """``--config``/``KITH_CONFIG`` when given, else kith.toml in the database's folder."""
    chosen = explicit or (Path(os.environ["KITH_CONFIG"]) if os.environ.get("KITH_CONFIG") else None)
    return chosen or db.parent / CONFIG_NAME


def load_settings(path: Path, environ: Mapping[str, str] | None = None, required: bool = False) -> Settings:
    """Read ``path`` (absent is fine unless ``required``) and apply environment overrides."""
    environ = os.environ if environ is None else environ
    raw: dict[str, Any] = {}
    origins: dict[str, str] = {}
    if path.exists():
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: not valid TOML ({exc})") from None
        _check_keys(raw, path)
        origins = {_dotted(section, key): str(path) for section, key in _present(raw)}
    elif required:
        raise ConfigError(f"{path}: no such settings file")
    for var, (section, key) in ENV.items():
        if environ.get(var):
            value: Any = environ[var]
            if KEYS[section][key] is list:
                value = [v.strip() for v in value.split(",") if v.strip()]
            elif KEYS[section][key] is int:
                try:
                    value = int(value)
                except ValueError:
                    raise ConfigError(f"${var}: expected a whole number, got {value!r}") from None
            (raw.setdefault(section, {}) if section else raw)[key] = value
            origins[_dotted(section, key)] = f"${var}"
    owner_raw = raw.get("owner", {})
    base = path.parent

    def where(key: str) -> str:
        return origins.get(key, str(path))

    return Settings(
        owner=_owner(owner_raw, path),
        phone_region=_region(raw.get("phone_region"), where("phone_region")),
        inbox=_folder(raw.get("inbox"), base),
        out=_folder(raw.get("out"), base),
        list_size=_list_size(raw.get("list_size", 10), where("list_size")),
        timezone=_timezone(raw.get("timezone"), where("timezone")),
        schedule=_schedule(raw.get("schedule") or DEFAULT_SCHEDULE, where("schedule")),
        path=path if path.exists() else None,
        origins=origins,
    )


def _folder(value: str | None, base: Path) -> Path | None:
    """A folder setting; relative paths are relative to the settings file's folder."""
    if not value:
        return None
    folder = Path(value).expanduser()
    return folder if folder.is_absolute() else base / folder


def _list_size(value: int, where: str) -> int:
    if isinstance(value, bool) or not 1 <= value <= 500:
        raise ConfigError(f"{where}: list_size should be between 1 and 500, got {value!r}")
    return value


def _timezone(value: str | None, where: str) -> str | None:
    if not value:
        return None
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{where}: timezone {value!r} is not a time zone name like 'Europe/Berlin'") from None
    return value


_CRON_FIELD = re.compile(r"^[\d*/,\-A-Za-z]+$")


def _schedule(value: str, where: str) -> str:
    """A five-field cron expression (minute hour day month weekday)."""
    fields = value.split()
    if len(fields) != 5 or not all(_CRON_FIELD.match(f) for f in fields):
        raise ConfigError(f"{where}: schedule {value!r} should be a cron expression like '0 8 * * 1' "
                          "(minute hour day month weekday)")
    return " ".join(fields)


def _dotted(section: str | None, key: str) -> str:
    return f"{section}.{key}" if section else key


def _present(raw: dict[str, Any]) -> list[tuple[str | None, str]]:
    found = [(None, k) for k in raw if not isinstance(raw[k], dict)]
    found += [(s, k) for s, table in raw.items() if isinstance(table, dict) for k in table]
    return found


def _check_keys(raw: dict[str, Any], path: Path) -> None:
    for section, key in _present(raw):
        expected = KEYS.get(section, {}).get(key)
        where = _dotted(section, key)
        if expected is None:
            known = ", ".join(sorted(_dotted(s, k) for s, keys in KEYS.items() for k in keys))
            raise ConfigError(f"{path}: unknown setting {where!r} (known: {known})")
        value = raw[section][key] if section else raw[key]
        if expected is list and isinstance(value, str):
            continue  # one value where a list is expected is fine
        if not isinstance(value, expected) or (expected is list and not all(isinstance(v, str) for v in value)):
            kind = {list: "a list of strings", int: "a whole number"}.get(expected, "a string")
            raise ConfigError(f"{path}: {where} should be {kind}, got {value!r}")


def _as_list(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


def _owner(raw: dict[str, Any], path: Path) -> Owner:
    owner = Owner()
    owner.names = {n for n in (clean_text(v) for v in _as_list(raw.get("names"))) if n}
    for value in _as_list(raw.get("emails")):
        email = normalize_email(value)
        if not email:
            raise ConfigError(f"{path}: owner.emails: {value!r} is not an email address")
        owner.emails.add(email)
    for value in _as_list(raw.get("linkedin")):
        slug = linkedin_slug(value)
        if not slug:
            raise ConfigError(f"{path}: owner.linkedin: {value!r} is not a LinkedIn profile URL")
        owner.linkedin_slugs.add(slug)
    return owner


def _region(value: str | None, where: str) -> str | None:
    if not value:
        return None
    region = value.strip().upper()
    import phonenumbers  # (here: most commands never check a region)

    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise ConfigError(f"{where}: phone_region {value!r} is not a country code like 'US', 'DE' or 'GB'")
    return region
