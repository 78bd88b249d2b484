"""Settings of the web application, built once at the edge (``csmguard serve``) and passed down."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from csmguard.domain import Lang
from csmguard.web.uploads import UploadPolicy


class WebSettings(BaseSettings):
    """What ``csmguard serve`` can be told through options or ``CSMGUARD_WEB_…`` variables."""

    model_config = SettingsConfigDict(env_prefix="CSMGUARD_WEB_", extra="ignore")

    workspace: Path = Field(default_factory=Path.cwd, description="The workspace folder")
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    lang: Lang = Lang.ZH_TW
    secure_cookies: bool = Field(default=True, description="Mark cookies Secure (keep on; browsers accept "
                                 "Secure cookies from http://127.0.0.1 and localhost)")
    session_idle_minutes: int = Field(default=30, ge=1)
    session_absolute_hours: int = Field(default=12, ge=1)
    lockout_threshold: int = Field(default=5, ge=1, description="Failed log-ins before an account is locked")
    lockout_minutes: int = Field(default=15, ge=1, description="How long a lock-out lasts; also the window of "
                                 "log-in throttling and of the failed log-in tally in the audit trail")
    login_client_free_failures: int = Field(default=10, ge=1, description="Failed log-ins one client (IP "
                                            "address) may make in the window before each next try must wait "
                                            "(1 s, doubling, at most login_max_wait_seconds)")
    login_account_free_failures: int = Field(default=3, ge=1, description="Failed log-ins on one account name "
                                             "(existing or not) in the window before waits begin")
    login_max_wait_seconds: int = Field(default=300, ge=1)
    require_totp_for_all: bool = Field(default=False, description="Every user must enrol TOTP, not only "
                                       "administrators")
    min_password_length: int = Field(default=12, ge=8)
    argon2_time_cost: int = Field(default=3, ge=1, description="Argon2id passes (RFC 9106: 3 with 64 MiB)")
    argon2_memory_kib: int = Field(default=65536, ge=8, description="Argon2id memory in KiB")
    max_upload_mb: int = Field(default=200, ge=1)
    max_unpacked_mb: int = Field(default=1024, ge=1, description="Largest total size an uploaded archive "
                                 "may unpack to (zip-bomb guard)")
    max_compression_ratio: int = Field(default=200, ge=10)
    max_running_jobs: int = Field(default=3, ge=1, le=64, description="Background jobs (scans, imports, "
                                  "uploaded results) the local queue runs at once, each in a child process; also "
                                  "upload checks run at once in threads")
    job_queue: str = Field(default="local", pattern="^(local|procrastinate)$", description="Where background "
                           "jobs run: local (threads of this server start a child process per job) or "
                           "procrastinate (PostgreSQL only; `csmguard worker` processes run them)")
    job_memory_mb: int = Field(default=2048, ge=0, description="Address space a job's child process may use "
                               "(MB; 0: no limit); beyond it the job fails with a message")
    job_timeout_seconds: int = Field(default=3600, ge=1, description="Wall-clock time a job may take")
    jobs_per_user: int = Field(default=1, ge=1, le=64, description="Jobs one user may have queued "
                               "or running at once (and upload checks at once); more is refused with 429")
    request_threads: int = Field(default=4, ge=1, le=256, description="Threads that run request handlers "
                                 "(background jobs have their own); more lets slow requests overlap, fewer "
                                 "keeps latency low under load")

    @property
    def max_upload_bytes(self) -> int:
        """The upload size limit in bytes."""
        return self.max_upload_mb * 1024 * 1024

    def upload_policy(self, suffixes: frozenset[str]) -> UploadPolicy:
        """What an upload form accepting ``suffixes`` allows, with these settings' limits."""
        return UploadPolicy(suffixes, self.max_upload_bytes, self.max_unpacked_mb * 1024 * 1024,
                            self.max_compression_ratio)
