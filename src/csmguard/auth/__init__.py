"""Accounts' security primitives, shared by the services and the web app: passwords (Argon2id), TOTP,
random secrets and API tokens, log-in throttling, and the roles with what each may do. No web code here."""
