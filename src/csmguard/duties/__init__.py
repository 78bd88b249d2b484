"""The calendar of duties: dated obligations computed from the registers and recorded scans."""
