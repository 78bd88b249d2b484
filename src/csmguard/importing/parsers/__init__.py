"""One reader per foreign report format; each returns the reports it read or raises InputError naming the
file and the format it expected."""
