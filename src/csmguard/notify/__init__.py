"""Notifications: events worth telling people (a requirement's status got worse, a deadline nears or passed, a
new privacy-policy version), delivered by e-mail over SMTP or by webhook (Microsoft Teams, Slack, generic JSON)."""
