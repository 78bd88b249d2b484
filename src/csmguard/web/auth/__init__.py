"""Authentication and authorization of the web app: passwords, TOTP, sessions, CSRF, roles, API tokens."""
