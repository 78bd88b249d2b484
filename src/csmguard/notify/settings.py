"""The workspace's delivery settings (``[notify]`` in csmguard.toml). The SMTP password is never in the file:
the file names the environment variable that holds it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class NotifySettings(BaseModel):
    """How notifications leave the workspace: the SMTP relay for e-mail and the address policy for webhooks."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    smtp_host: str = Field("", description="SMTP relay host for e-mail notifications (empty: e-mail is off)")
    smtp_port: int = Field(587, ge=1, le=65535, description="SMTP port (587 submission with STARTTLS, 25 relay)")
    smtp_starttls: bool = Field(True, description="upgrade the SMTP connection with STARTTLS (refuse to send "
                                "when the server does not offer it)")
    smtp_ca_file: str = Field("", description="CA certificates (PEM) to verify the SMTP server's certificate with "
                              "(empty: the system's)")
    smtp_username: str = Field("", description="SMTP login name (empty: no login)")
    smtp_password_env: str = Field("CSMGUARD_SMTP_PASSWORD", description="the environment variable holding the "
                                   "SMTP password (the password is never written in this file)")
    mail_from: str = Field("", description="the From address of notification e-mails")
    smtp_timeout_seconds: float = Field(20, gt=0, le=300, description="SMTP connection and command timeout")
    webhook_allow_private: bool = Field(False, description="let webhooks reach private and loopback addresses "
                                        "(by default only public addresses, like endpoint and site scans)")
    webhook_timeout_seconds: float = Field(10, gt=0, le=120, description="webhook request timeout")
